import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeContactAddress } from '#telepathy/domain/email/normalize-contact-address.js';

describe('normalizeContactAddress', () => {
  it('makes Alice@Example.COM the same contact as the alice@example.com her mail comes from', () => {
    expect(normalizeContactAddress('Alice@Example.COM')).toBe('alice@example.com');
    expect(normalizeContactAddress('  <alice@example.com> ')).toBe('alice@example.com');
    expect(normalizeContactAddress('mailto:Alice@example.com')).toBe('alice@example.com');
  });

  it('keeps a quoted local part exactly as written', () => {
    expect(normalizeContactAddress('"Alice Smith"@Example.com')).toBe('"Alice Smith"@example.com');
  });

  it('accepts plus addresses and address literals', () => {
    expect(normalizeContactAddress('me+chat@cave.test')).toBe('me+chat@cave.test');
    expect(normalizeContactAddress('me@[127.0.0.1]')).toBe('me@[127.0.0.1]');
  });

  it('refuses what is not one address', () => {
    for (const bad of ['', 'alice', '@example.com', 'alice@', 'a b@example.com', 'alice@exa mple.com',
      'alice@-x.com', 'a..b@example.com', 'Alice <alice@example.com>', `${'a'.repeat(65)}@example.com`]) {
      expect(normalizeContactAddress(bad), bad).toBeUndefined();
    }
  });

  it('is idempotent and ignores case', () => {
    const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
    const address = fc.tuple(fc.stringMatching(/^[a-zA-Z0-9._+-]{1,20}$/), fc.array(label, { minLength: 1, maxLength: 3 }))
      .map(([local, labels]) => `${local}@${labels.join('.')}`);
    fc.assert(fc.property(address, (a) => {
      const id = normalizeContactAddress(a);
      if (id === undefined) return;
      expect(normalizeContactAddress(id)).toBe(id);
      expect(normalizeContactAddress(a.toUpperCase())).toBe(id);
    }));
  });
});
