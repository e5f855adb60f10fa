import { describe, expect, it } from 'vitest';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { OrderedEmitter } from '#backup/scan/ordered-emitter.js';

const entry = (n: number): ScannedEntry => ({ path: `/f${n}`, kind: 'file', class: 'new', size: BigInt(n) });

describe('the ordered emitter', () => {
  it('hands entries on in the order pushed, whatever order their digests finish in, through many windows', async () => {
    const delivered: string[] = [];
    let waits = 0;
    const emitter = new OrderedEmitter((e) => delivered.push(e.path), () => waits++, 8);
    const resolvers: Array<() => void> = [];
    const pushed: string[] = [];
    for (let n = 0; n < 100; n++) {
      pushed.push(`/f${n}`);
      if (n % 3 === 0) emitter.push(new Promise<ScannedEntry>((resolve) => resolvers.push(() => resolve(entry(n)))));
      else emitter.push(entry(n));
      if (emitter.full) {
        for (const r of resolvers.splice(0).reverse()) r(); // the last digest first
        await emitter.drain(emitter.half);
        expect(emitter.full).toBe(false);
      }
    }
    for (const r of resolvers.splice(0)) r();
    await emitter.drain();
    expect(delivered).toEqual(pushed);
    expect(waits).toBeGreaterThan(0);
  });

  it('holds ready entries behind a pending one until it is ready', async () => {
    const delivered: string[] = [];
    const emitter = new OrderedEmitter((e) => delivered.push(e.path));
    let release!: () => void;
    emitter.push(new Promise<ScannedEntry>((resolve) => (release = () => resolve(entry(0)))));
    emitter.push(entry(1));
    expect(delivered).toEqual([]);
    release();
    await emitter.drain();
    expect(delivered).toEqual(['/f0', '/f1']);
  });
});
