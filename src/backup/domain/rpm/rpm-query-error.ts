/** rpm's answer to the bulk query is not in the form asked for; the message says where. */
export class RpmQueryError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name: string = 'RpmQueryError';
}

/**
 * A record of the sealed query (`sealedQueryFormat`) that is not exactly as asked: an owner's name
 * held a tab, newline, quote or backslash, or the output is not rpm's. Nothing of that answer may
 * be used; the escaped query (`RPM_QUERY_FORMAT`) says which.
 */
export class UnsealedRecordError extends RpmQueryError {
  /** Names the error in messages and stack traces. */
  override readonly name: string = 'UnsealedRecordError';
}
