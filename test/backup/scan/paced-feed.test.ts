import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PacedFeed } from '#backup/adapters/rpm/paced-feed.js';

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('feeding rpm output to the parser in slices', () => {
  it('hands on every byte, in order, whatever the chunks', async () => {
    const stream = new PassThrough();
    const got: Buffer[] = [];
    const feed = new PacedFeed(stream, (b) => got.push(Buffer.from(b)));
    const chunks = [bytes(1, 1), bytes(70_000, 2), bytes(4096, 3), bytes(200_000, 4), bytes(0, 5), bytes(3, 6)];
    for (const c of chunks) stream.write(c);
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    await feed.done();
    expect(Buffer.concat(got).equals(Buffer.concat(chunks))).toBe(true);
    expect(Math.max(...got.map((b) => b.length))).toBeLessThanOrEqual(64 * 1024);
  });

  it('stops at the first error of the parser and reports it', async () => {
    const stream = new PassThrough();
    let calls = 0;
    const feed = new PacedFeed(stream, () => {
      calls++;
      throw new Error('bad record');
    });
    stream.write(bytes(10_000, 1));
    stream.end(bytes(10, 2));
    await new Promise((resolve) => stream.on('end', resolve));
    await expect(feed.done()).rejects.toThrow('bad record');
    expect(feed.error?.message).toBe('bad record');
    expect(calls).toBe(1);
  });

  it('stops reading while much is queued, and reads on once it is fed', async () => {
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    let fed = 0;
    const feed = new PacedFeed(stream, (b) => (fed += b.length));
    stream.write(bytes(9 * 1024 ** 2, 1)); // more than may be queued: the stream is paused
    expect(stream.isPaused()).toBe(true);
    stream.end(bytes(5, 2));
    await new Promise((resolve) => stream.on('end', resolve));
    await feed.done();
    expect(fed).toBe(9 * 1024 ** 2 + 5);
  });
});
