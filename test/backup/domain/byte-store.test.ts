import { describe, expect, it } from 'vitest';
import { ByteStore } from '#backup/domain/owned-files/byte-store.js';

describe('the byte store', () => {
  it('gives back its room for growth when trimmed, but keeps a buffer whose spare room is a sliver (a copy of megabytes would cost more)', () => {
    const roomy = ByteStore.of(Buffer.alloc(1 << 20), 1 << 19);
    roomy.trim();
    expect(roomy.byteLength).toBe(1 << 19);
    const full = Buffer.alloc(1 << 20);
    const nearlyFull = ByteStore.of(full, (1 << 20) - 1000);
    nearlyFull.trim();
    expect(nearlyFull.buffer).toBe(full);
    expect(nearlyFull.byteLength).toBe(1 << 20);
  });
});
