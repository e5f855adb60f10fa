import { describe, expect, it } from 'vitest';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { OrderedEmitter } from '#backup/scan/ordered-emitter.js';
import { PendingEntry } from '#backup/scan/pending-entry.js';

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

  it('hands on entries waiting for a content check in order, each made by `finish` once its batch answers', async () => {
    const delivered: string[] = [];
    let waits = 0;
    const finish = (p: PendingEntry) => ({ ...entry(p.id), class: p.answer === true ? ('unmodified' as const) : ('modified' as const) });
    const emitter = new OrderedEmitter((e) => delivered.push(`${e.path} ${e.class}`), () => waits++, 8, finish);
    let batch: PendingEntry[] = [];
    let answer!: () => void;
    const answerLater = () => {
      const pending = batch;
      batch = [];
      const ready = new Promise<void>((resolve) => (answer = () => (pending.forEach((p) => (p.answer = p.id % 5 ? true : { ok: false, code: 'EIO' })), resolve())));
      pending.forEach((p) => (p.ready = ready));
      return answer;
    };
    const answers: Array<() => void> = [];
    const pushed: string[] = [];
    for (let n = 0; n < 60; n++) {
      if (n % 4 === 3) {
        emitter.push(entry(n));
        pushed.push(`/f${n} new`);
      } else {
        const p = new PendingEntry(`/f${n}`, undefined as never, n);
        batch.push(p);
        emitter.push(p);
        pushed.push(`/f${n} ${n % 5 ? 'unmodified' : 'modified'}`);
        if (batch.length === 3) answers.push(answerLater());
      }
      if (emitter.full) {
        for (const a of answers.splice(0).reverse()) a(); // the last batch first
        await emitter.drain(emitter.half);
      }
    }
    answers.push(answerLater());
    setTimeout(() => answers.forEach((a) => a()), 5);
    await emitter.drain();
    expect(delivered).toEqual(pushed);
    expect(waits).toBeGreaterThan(0);
  });
});
