import { describe, expect, it } from 'vitest';
import { escapeAsIdentifier } from '#telepathy/domain/names/escape.js';

describe('escapeAsIdentifier', () => {
  it('keeps ASCII letters and digits', () => {
    expect(escapeAsIdentifier('alice42')).toBe('alice42');
  });

  it('escapes every other byte as _ and two lower-case hex digits, underscore included', () => {
    expect(escapeAsIdentifier('me@example.com')).toBe('me_40example_2ecom');
    expect(escapeAsIdentifier('a_b')).toBe('a_5fb');
  });

  it('escapes a leading digit so the result is a valid bus-name element', () => {
    expect(escapeAsIdentifier('1x1')).toBe('_31x1');
  });

  it('turns the empty string into a lone underscore', () => {
    expect(escapeAsIdentifier('')).toBe('_');
  });

  it('escapes non-ASCII text byte by byte in UTF-8', () => {
    expect(escapeAsIdentifier('é')).toBe('_c3_a9');
    expect(escapeAsIdentifier('€')).toBe('_e2_82_ac');
    expect(escapeAsIdentifier('😀')).toBe('_f0_9f_98_80');
  });
});
