import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { sha256Now, sha256Of } from '#backup/adapters/native-walker/sha256-of.js';

const native = loadNativeWalker();

describe("the SHA-256 of a snapshot or cache file, on the thread pool", () => {
  it('is in the addon, built from source', () => {
    expect(typeof native?.sha256Later).toBe('function');
  });

  it('equals node:crypto and the fallback without the addon, for any two byte arrays, views at any offset and empty ones included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.nat(3000), fc.nat(3000), async (bytes, cut, from) => {
        const at = Math.min(cut, bytes.length);
        const first = Buffer.from(bytes.buffer, bytes.byteOffset, at);
        const second = bytes.subarray(Math.min(at + from, bytes.length));
        const expected = createHash('sha256').update(first).update(second).digest();
        expect(await sha256Of(first, second, native)).toEqual(expected);
        expect(await sha256Of(first, second, { ...native!, sha256Later: undefined })).toEqual(expected); // an undefined argument takes the default
      }),
      { numRuns: 200 },
    );
  });

  it('of 6.7 MB, as the 100k-file fixture has, the same as node:crypto', async () => {
    const big = Buffer.alloc(6_700_000, 7);
    big[6_000_000] = 1;
    expect(await sha256Of(big.subarray(0, 1234), big.subarray(1240), native)).toEqual(createHash('sha256').update(big.subarray(0, 1234)).update(big.subarray(1240)).digest());
  });

  it('refuses arguments that are not two byte arrays', () => {
    expect(() => native!.sha256Later!('x' as never, new Uint8Array(1))).toThrow(/two Uint8Arrays/);
    expect(() => (native!.sha256Later as unknown as (a: Uint8Array) => unknown)(new Uint8Array(1))).toThrow(/two Uint8Arrays/);
  });

  it('of a name or a small file, here (sha256Now): node:crypto\'s, through the addon or without it, text as UTF-8', () => {
    expect(typeof native?.sha256Now).toBe('function');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 3000 })), (data) => {
        const expected = createHash('sha256').update(data).digest();
        expect(sha256Now(data, native)).toEqual(expected);
        expect(sha256Now(data, { ...native!, sha256Now: undefined })).toEqual(expected);
      }),
      { numRuns: 200 },
    );
    expect(() => native!.sha256Now!('x' as never)).toThrow(/a Uint8Array/);
  });
});
