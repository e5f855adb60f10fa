import { describe, expect, it } from 'vitest';
import { makeMessageId, messageIdsIn } from '#telepathy/domain/email/make-message-id.js';

const ones = (n: number) => new Uint8Array(n).fill(1);

describe('makeMessageId', () => {
  it("puts 128 random bits before the account's domain", () => {
    expect(makeMessageId(ones, 'me@cave.test')).toBe(`<${'01'.repeat(16)}.cave@cave.test>`);
  });

  it('falls back to cave.invalid for an address with nothing after the @', () => {
    expect(makeMessageId(ones, 'me@')).toBe(`<${'01'.repeat(16)}.cave@cave.invalid>`);
  });
});

describe('messageIdsIn', () => {
  it('finds every angle-bracketed id in order, and none in a header without any or no header', () => {
    expect(messageIdsIn('<a@x> junk <b@y>')).toEqual(['<a@x>', '<b@y>']);
    expect(messageIdsIn('no ids here')).toEqual([]);
    expect(messageIdsIn(undefined)).toEqual([]);
  });
});
