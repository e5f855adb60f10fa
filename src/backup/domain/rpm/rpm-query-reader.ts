/**
 * Reads the answer to rpm's bulk query (rpm-query-format.ts) as it streams in, into packages and a
 * compact table of owned files. Loaded only when rpm is asked: a run that finds the rpm database
 * unchanged takes the snapshot of its last answer instead.
 * @module
 */
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { ByteRecord } from '#backup/domain/owned-files/byte-record.js';
import { FieldSpans, fieldText, fieldTexts, FIRST_SPANS, PLAIN, scanFields, scanRecord, takeSpans, type RecordScanner } from './rpm-fields.js';
import { fileRow } from './rpm-file-row.js';
import { ownedFile } from './rpm-owned-file.js';
import { RpmQueryError, UnsealedRecordError } from './rpm-query-error.js';
import { digestAlgoFromRpm } from './rpm-digest-algo.js';
import { F_FIELDS, FIRST_PLAIN, sealedQueryFormat } from './rpm-query-format.js';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';

export { RpmQueryError, UnsealedRecordError } from './rpm-query-error.js';
export type { RecordScanner } from './rpm-fields.js';

const P = 80;
const F = 70;
const NONE: Buffer = Buffer.alloc(0);
/** How much of a chunk is joined to the unfinished record before it, to finish that record. */
const JOIN = 4096;
/** A RecordScanner's `out`: room for a 64 KB chunk's records (~600 on the 100k-file fixture) in one call. */
const OUT_INTS = 1 << 15;
/**
 * Room made at once for a large answer's records, once it holds more than `SMALL` (and `end` trims
 * it): ~30 MB of address space, touched only as it fills. Grown by doubling from small, each
 * doubling copied the table into fresh memory, and a fresh page costs a fault (13-26 us on a virtual
 * machine that gives freed pages back to its host): measured on the 100k-file fixture's 72,732
 * records, the parse took 170-210 ms so, 120-135 ms with the room made at once.
 */
const ROOM_ROWS = 1 << 18;
const SMALL = 1024;
/** Name and digest bytes per record in that room: a long file name, a SHA-256 (more grows as before). */
const NAME_BYTES = 32;
const DIGEST_BYTES = 32;

/** Refuses output whose last record is unfinished; `stop` is what `scanFields` returned for it. */
function refuseRest(stop: number, length: number): void {
  if (stop < 0) throw new RpmQueryError('rpm query output ends inside a quoted name');
  if (stop < length) throw new RpmQueryError('rpm query output ends in the middle of a record');
}

/** Splits complete query output (latin1) into records of fields; throws when it ends mid-record. */
export function* records(text: string): Generator<string[]> {
  const bytes = Buffer.from(text, 'latin1');
  const spans = new FieldSpans();
  const all: string[][] = [];
  const stop = scanFields(bytes, 0, spans, () => all.push(fieldTexts(bytes, spans)));
  yield* all;
  refuseRest(stop, bytes.length);
}

/**
 * Reads the bulk query's output as it arrives (`feed` each chunk, as bytes or latin1 text, then
 * `end`), into packages and a compact table of owned-file records: the whole output is never held
 * at once, and an ordinary record becomes table columns straight from its bytes (measured: making
 * strings and objects of every field was most of the database load).
 */
export class RpmQueryReader {
  /** How many packages the output lists. */
  packageCount = 0;
  /** One record per file of each package. */
  readonly files = new OwnedFileTable();
  private pkg = '';
  private pkgId = 0;
  /** The package's digest algorithm (undefined: one this scanner cannot compute). */
  private algo: DigestAlgo | undefined;
  /** The unfinished record the last chunk ended with, at its start (`carried` bytes). */
  private carry = NONE;
  private carried = 0;
  /** Where that record is joined to the start of the next chunk. */
  private joint = NONE;
  private bytes = NONE;
  private readonly spans = new FieldSpans();
  private readonly row = new ByteRecord();
  private readonly onRecord = (): void => this.record();
  /** The seal every `F` record ends with (sealedQueryFormat); undefined for the escaped query. */
  private readonly seal: Buffer | undefined;
  private readonly fields: number;
  private readonly out: Int32Array;
  private roomMade = false;

  /**
   * `seal`: the output is the sealed query's with that seal; without it, the escaped query's.
   * `scanner`: finds each chunk's records in one call (native, rpm-spans.c), the same as `scanFields`.
   */
  constructor(
    seal?: string,
    private readonly scanner?: RecordScanner,
  ) {
    if (seal !== undefined) sealedQueryFormat(seal); // checks it
    this.out = scanner ? new Int32Array(OUT_INTS) : new Int32Array(0);
    this.seal = seal === undefined ? undefined : Buffer.from(seal, 'latin1');
    this.fields = seal === undefined ? F_FIELDS : F_FIELDS + 1;
  }

  /** Parses every record the output so far completes; keeps the unfinished rest for the next chunk. */
  feed(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const from = this.carried ? this.finishCarried(bytes) : 0;
    if (from >= 0) this.scan(bytes, from);
    else this.scan(Buffer.concat([this.carry.subarray(0, this.carried), bytes]), 0); // a record longer than JOIN
  }

  /** The output is complete: throws when it ends inside a record. */
  end(): void {
    this.bytes = this.carry.subarray(0, this.carried);
    refuseRest(scanFields(this.bytes, 0, this.spans, this.onRecord), this.carried);
    this.bytes = this.carry = this.joint = NONE;
    this.files.trim();
  }

  /** Reads the records of `bytes` from `from` on, and carries the unfinished rest (a copy). */
  private scan(bytes: Buffer, from: number): void {
    if (this.files.length > SMALL && !this.roomMade) {
      this.roomMade = true;
      this.files.reserve(ROOM_ROWS, ROOM_ROWS * NAME_BYTES, ROOM_ROWS * DIGEST_BYTES);
    }
    this.bytes = bytes;
    const stop = this.scanner ? this.scanAll(bytes, from, this.scanner) : scanFields(bytes, from, this.spans, this.onRecord);
    const rest = stop < 0 ? ~stop : stop;
    this.carried = bytes.length - rest;
    if (this.carry.length < this.carried) this.carry = Buffer.allocUnsafe(Math.max(this.carried, JOIN));
    bytes.copy(this.carry, 0, rest);
    this.bytes = NONE;
  }

  /** `scanFields` by the scanner: one call a chunk (another when `out` filled), then each record as it found it. */
  private scanAll(bytes: Buffer, from: number, scanner: RecordScanner): number {
    const out = this.out;
    for (let at = from; ; at = out[0]!) {
      const found = scanner(bytes, at, out);
      for (let r = 0, i = FIRST_SPANS; r < found; r++) {
        i = takeSpans(out, i, this.spans);
        this.record();
      }
      if (out[1] === 0) return out[0]!;
    }
  }

  /**
   * Reads the carried record joined to the start of `chunk` only, in a buffer kept for it (measured:
   * joining whole chunks, each in a new buffer, cost a tenth of the parse); returns where in
   * `chunk` the next record starts, or -1 when the record does not end within JOIN bytes.
   */
  private finishCarried(chunk: Buffer): number {
    const join = Math.min(chunk.length, JOIN);
    const length = this.carried + join;
    if (this.joint.length < length) this.joint = Buffer.allocUnsafe(Math.max(length, 2 * JOIN));
    this.carry.copy(this.joint, 0, 0, this.carried);
    chunk.copy(this.joint, this.carried, 0, join);
    const head = this.joint.subarray(0, length);
    const next = scanRecord(head, 0, this.spans);
    if (next < 0) return -1;
    this.bytes = head;
    this.record();
    return next - this.carried;
  }

  private tag(): number {
    const s = this.spans;
    if (s.count === 0) return -1;
    if (s.kind[0] === PLAIN && s.end[0]! - s.start[0]! === 1) return this.bytes[s.start[0]!]!;
    const text = fieldText(this.bytes, s, 0);
    return text === 'P' ? P : text === 'F' ? F : -1;
  }

  private record(): void {
    const s = this.spans;
    const tag = this.tag();
    if (tag === P && s.count === 3) {
      this.pkg = fieldText(this.bytes, s, 1);
      this.pkgId = this.files.textId(this.pkg);
      const algo = fieldText(this.bytes, s, 2);
      this.algo = digestAlgoFromRpm(/^\d+$/.test(algo) ? Number(algo) : undefined);
      this.packageCount++;
      return;
    }
    if (tag !== F || s.count !== this.fields || !this.pkg) {
      throw new (this.seal ? UnsealedRecordError : RpmQueryError)(`rpm query: unexpected record ${JSON.stringify(fieldTexts(this.bytes, s).slice(0, 3))}`);
    }
    if (this.seal && !this.sealed()) throw new UnsealedRecordError(`rpm query: a record not sealed as asked ${JSON.stringify(fieldTexts(this.bytes, s).slice(0, 3))}`);
    if (!(fileRow(this.bytes, s, this.pkgId, this.algo, this.row) && this.files.addBytes(this.row))) {
      this.files.add(ownedFile(fieldTexts(this.bytes, s), this.pkg, this.algo));
    }
  }

  /** The current `F` record of a sealed query: plain bytes from the user name on, the seal last. */
  private sealed(): boolean {
    const s = this.spans;
    const seal = this.seal!;
    for (let n = FIRST_PLAIN; n <= F_FIELDS; n++) if (s.kind[n] !== PLAIN) return false;
    const start = s.start[F_FIELDS]!;
    if (s.end[F_FIELDS]! - start !== seal.length) return false;
    for (let i = 0; i < seal.length; i++) if (this.bytes[start + i] !== seal[i]) return false;
    return true;
  }
}

/** Parses the bulk query's complete output into packages and owned-file records. */
export function parseRpmQuery(text: string): {
  /** How many packages the output lists. */
  packageCount: number;
  /** One record per file of each package. */
  files: OwnedFileTable;
} {
  const reader = new RpmQueryReader();
  reader.feed(text);
  reader.end();
  return { packageCount: reader.packageCount, files: reader.files };
}
