/**
 * The text of rpm's bulk query (`rpm -qa --qf`): what the rpm adapter asks and the snapshot's
 * identity includes; `rpm-query-reader.ts` reads its answer.
 * @module
 */

/**
 * One bulk query for every package and every file it owns. Text that may hold any byte (names,
 * link targets, owners) is `shescape`d — single-quoted, `'` written as `'\''` — so tabs and
 * newlines inside names cannot break a record; numbers are plain, and so are digests, which rpm
 * writes in hex (escaping them cost rpm a tenth of its time: 0.18 -> 0.16 s of CPU on the 100k-file
 * fixture). A quoted digest is still read as one. A `P` line starts each package, with its digest
 * algorithm, one number per package (asked for on every file it was a tenth of rpm's time).
 */
export const RPM_QUERY_FORMAT =
  'P\\t%{NEVRA:shescape}\\t%{FILEDIGESTALGO}\\n' +
  '[F\\t%{FILENAMES:shescape}\\t%{LONGFILESIZES}\\t%{FILEMODES}\\t%{FILEDIGESTS}' +
  '\\t%{FILEMTIMES}\\t%{FILELINKTOS:shescape}\\t%{FILEUSERNAME:shescape}\\t%{FILEGROUPNAME:shescape}' +
  '\\t%{FILEFLAGS}\\t%{FILEVERIFYFLAGS}\\t%{FILESTATES}\\t%{FILERDEVS}\\n]';

const OWNERS_ESCAPED = '\\t%{FILEUSERNAME:shescape}\\t%{FILEGROUPNAME:shescape}';
const OWNERS_PLAIN = '\\t%{FILEUSERNAME}\\t%{FILEGROUPNAME}';
const RECORD_END = '\\t%{FILERDEVS}\\n]';
/** A seal: a random word, lower-case hex, long enough that no name written before the run holds it. */
const SEAL = /^[0-9a-f]{12,64}$/;
/** Fields of an `F` record: the tag and 12 values, then the seal in a sealed query. */
export const F_FIELDS = 13;
/** The first field a sealed record holds as rpm printed it, unescaped: the owner's user name. */
export const FIRST_PLAIN = 7;

/**
 * The bulk query with the owners' names as rpm holds them, not escaped (escaping them took a
 * quarter of rpm's time on the 100k-file fixture: 278 -> 203 ms of CPU, best of 8), each `F`
 * record ending in `seal`, a random word chosen for the run. A name holding a tab, newline, quote
 * or backslash cannot then pass for something else: a record must have exactly its fields, those
 * from the user name on plain bytes, the last one the seal, which no name written before the run
 * can hold (a newline would end a record before its seal). `new RpmQueryReader(seal)` refuses any
 * other with an RpmQueryError, and the escaped query (RPM_QUERY_FORMAT) is asked instead.
 */
export function sealedQueryFormat(seal: string): string {
  if (!SEAL.test(seal)) throw new RangeError(`a seal must be 12 to 64 lower-case hex digits, not ${JSON.stringify(seal)}`);
  return RPM_QUERY_FORMAT.replace(OWNERS_ESCAPED, OWNERS_PLAIN).replace(RECORD_END, `\\t%{FILERDEVS}\\t${seal}\\n]`);
}
