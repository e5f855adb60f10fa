import { describe, expect, it } from 'vitest';
import { parseSignature, parseType } from '#telepathy/adapters/dbus-next/signature.js';
import { signatureOf } from '#telepathy/adapters/dbus-next/interface-definitions.js';

describe('signatures', () => {
  it('are parsed once each: every echo converted the same few again (~1.6 KB of garbage per echo)', () => {
    expect(parseSignature('aa{sv}u')).toBe(parseSignature('aa{sv}u'));
    expect(parseType('a{sv}')).toBe(parseType('a{sv}'));
    expect(parseSignature('sa{sv}').map((t) => t.text)).toEqual(['s', 'a{sv}']);
    expect(() => parseSignature('a{sv')).toThrow(/ends too early/);
  });

  it("of a method's arguments are joined once per argument list", () => {
    const args = [{ type: 'aa{sv}' }, { type: 'u' }];
    expect(signatureOf(args)).toBe('aa{sv}u');
    expect(signatureOf([])).toBe('');
  });
});
