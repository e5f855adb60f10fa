/** The native record scanner (rpm-spans.c) and the JavaScript one (rpm-fields.ts) find the same records, and the reader reads the same tables with either. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { FieldSpans, FIRST_SPANS, scanFields, takeSpans, type RecordScanner } from '#backup/domain/rpm/rpm-fields.js';
import { RpmQueryReader } from '#backup/domain/rpm/rpm-query-reader.js';

const native = loadNativeWalker()?.rpmSpans;
const MAX_FIELDS = 16;
/** The most ints one record takes in a scanner's `out`. */
const RECORD_INTS = 1 + 3 * MAX_FIELDS;

/** A record as the scanner left it: field count, then start, end and kind of each field kept. */
function snapshot(spans: FieldSpans): number[] {
  const kept: number[] = [spans.count];
  for (let n = 0; n < Math.min(spans.count, MAX_FIELDS); n++) kept.push(spans.start[n]!, spans.end[n]!, spans.kind[n]!);
  return kept;
}

function byJavaScript(bytes: Buffer, from: number): { records: number[][]; stop: number } {
  const spans = new FieldSpans();
  const records: number[][] = [];
  const stop = scanFields(bytes, from, spans, () => records.push(snapshot(spans)));
  return { records, stop };
}

/** The scanner asked again while its `out` (room for `room` records at the least) fills. */
function byScanner(scanner: RecordScanner, bytes: Buffer, from: number, room: number): { records: number[][]; stop: number } {
  const out = new Int32Array(FIRST_SPANS + room * RECORD_INTS);
  const spans = new FieldSpans();
  const records: number[][] = [];
  for (let at = from; ; at = out[0]!) {
    const found = scanner(bytes, at, out);
    for (let r = 0, i = FIRST_SPANS; r < found; r++) {
      i = takeSpans(out, i, spans);
      records.push(snapshot(spans));
    }
    if (out[1] === 0) return { records, stop: out[0]! };
  }
}

/** Bytes full of what splits, quotes and escapes, and of bytes that are not UTF-8. */
const tricky = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(9, 10, 39, 92) },
      { weight: 2, arbitrary: fc.integer({ min: 128, max: 255 }) },
      { weight: 3, arbitrary: fc.constantFrom(65, 70, 80, 48) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    ),
    { maxLength: 300 },
  )
  .map((b) => Buffer.from(b));

describe('the native record scanner (rpmSpans)', () => {
  it('is in the addon, built from source', () => {
    expect(typeof native).toBe('function');
  });

  it('finds the records, spans, kinds and stop scanFields finds, from any offset, however small its answer', () => {
    fc.assert(
      fc.property(tricky, fc.nat(), fc.integer({ min: 1, max: 8 }), (bytes, from, room) => {
        const at = from % (bytes.length + 1);
        expect(byScanner(native!, bytes, at, room)).toEqual(byJavaScript(bytes, at));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on bytes cut at every position', () => {
    fc.assert(
      fc.property(tricky, (bytes) => {
        for (let cut = 0; cut <= bytes.length; cut++) {
          const part = bytes.subarray(0, cut);
          expect(byScanner(native!, part, 0, 64)).toEqual(byJavaScript(part, 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts the fields of a record longer than it keeps, and reads a backslash at the very end as unfinished', () => {
    const cases = [`${'x\t'.repeat(20)}y\nP\n`, "a\\'b\t'c'\td'e'f\n", 'a\\', "a\\'", "'a\\", "ok\n'open", 'ok\nrest', '\n\n\t\n'];
    for (const text of cases) {
      const bytes = Buffer.from(text, 'latin1');
      for (let from = 0; from <= bytes.length; from++) expect(byScanner(native!, bytes, from, 1), JSON.stringify([text, from])).toEqual(byJavaScript(bytes, from));
    }
    expect(byScanner(native!, Buffer.from(`${'x\t'.repeat(20)}\n`), 0, 1).records[0]![0]).toBe(21);
  });

  it('refuses an offset outside the bytes and an answer too small for one record', () => {
    const bytes = Buffer.from('a\tb\n');
    expect(() => native!(bytes, 5, new Int32Array(FIRST_SPANS + RECORD_INTS))).toThrow(RangeError);
    expect(() => native!(bytes, -1, new Int32Array(FIRST_SPANS + RECORD_INTS))).toThrow(RangeError);
    expect(() => native!(bytes, 0, new Int32Array(FIRST_SPANS + RECORD_INTS - 1))).toThrow(RangeError);
  });
});

const SEAL = '0123456789abcdef';
const shescape = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
const latin1 = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString('latin1'));
const name = fc.oneof(fc.constantFrom('/usr/a', '/a b', '/t\tb', '/n\nl', "/it's", "''", '/back\\slash', '\\', '/caf\xe9', '/\xff\xfe'), latin1(12));
/** A field as rpm would print it, or now and then as it would not (a quoted owner, a stray quote or field). */
const owner = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('root', 'daemon') }, { weight: 1, arbitrary: fc.constantFrom("'root'", 'ro\tot', "o'k", 'a\\') });
const fileRecord = fc
  .record({ path: name, link: fc.oneof(fc.constant(''), name), user: owner, size: fc.constantFrom('0', '6', '18446744073709551615', 'x'), digest: fc.constantFrom('', 'ABCDEF', "'abc'") })
  .map((f) => ['F', shescape(f.path), f.size, '33188', f.digest, '1700000000', shescape(f.link), f.user, 'root', '0', '4294967295', '0', '0']);
const output = fc.array(fc.record({ pkg: name, files: fc.array(fileRecord, { maxLength: 4 }), sealed: fc.boolean() }), { minLength: 1, maxLength: 4 }).map((pkgs) => ({
  sealed: pkgs[0]!.sealed,
  text: pkgs.map((p) => `P\t${shescape(p.pkg)}\t8\n${p.files.map((f) => `${[...f, ...(pkgs[0]!.sealed ? [SEAL] : [])].join('\t')}\n`).join('')}`).join(''),
}));

/** What a reader makes of `text` fed in chunks of `size`: its table's records, or the error it threw. */
function readWith(text: string, sealed: boolean, size: number, scanner: RecordScanner | undefined): unknown {
  const all = Buffer.from(text, 'latin1');
  const reader = new RpmQueryReader(sealed ? SEAL : undefined, scanner);
  try {
    for (let at = 0; at < all.length; at += size) reader.feed(Buffer.from(all.subarray(at, at + size)));
    reader.end();
    return { packageCount: reader.packageCount, files: [...reader.files] };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('the rpm query reader with the native scanner', () => {
  it('reads the same tables, and refuses the same output the same way, fed in chunks of every size', () => {
    fc.assert(
      fc.property(output, ({ text, sealed }) => {
        for (let size = 1; size <= text.length; size++) expect(readWith(text, sealed, size, native), `chunks of ${size}`).toEqual(readWith(text, sealed, size, undefined));
      }),
      { numRuns: 80 },
    );
  });

  it('reads a record longer than it joins across chunks, and a chunk of more records than one call answers', () => {
    const long = `P\t'a-1'\t8\nF\t'/${'x'.repeat(9000)}'\t6\t33188\tab\t1\t''\troot\troot\t0\t0\t0\t0\t${SEAL}\n`;
    const many = `P\t'b-1'\t8\n${"F\t'/y'\t6\t33188\tab\t1\t''\troot\troot\t0\t0\t0\t0\tSEAL\n".replaceAll('SEAL', SEAL).repeat(3000)}`;
    const text = long + many;
    for (const size of [1000, 4096, 65536, text.length]) {
      const read = readWith(text, true, size, native) as { files: unknown[] };
      expect(read.files).toHaveLength(3001);
      expect(read).toEqual(readWith(text, true, size, undefined));
    }
  });
});
