/** rpm's answer to the bulk query is not in the form asked for; the message says where. */
export class RpmQueryError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'RpmQueryError';
}
