import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapePath, unescapePath } from '#backup/domain/paths/path-escape.js';
import { decodeUtf8, encodeUtf8 } from '#backup/domain/paths/utf8.js';

const byteString = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), maxLength: 40 });
/** Byte strings rich in UTF-8 sequences, well-formed or nearly so. */
const utf8ish = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }).map(encodeUtf8), byteString.map((s) => s.slice(0, 2))), { maxLength: 8 })
  .map((parts) => parts.join(''));

describe('escapePath', () => {
  it.each([
    ['/plain/path', '/plain/path'],
    ['/new\nline', '/new\\nline'],
    ['/tab\there\rcr', '/tab\\there\\rcr'],
    ['/back\\slash', '/back\\\\slash'],
    ['/bell\x07del\x7f', '/bell\\x07del\\x7f'],
    ['/latin1-\xe9', '/latin1-\\xe9'],
    ['/utf8-caf\xc3\xa9', '/utf8-café'],
    ['/emoji-\xf0\x9f\x98\x80', '/emoji-😀'],
    ['/c1-\xc2\x85', '/c1-\\xc2\\x85'],
    ['/overlong-\xc0\xaf', '/overlong-\\xc0\\xaf'],
    ['/surrogate-\xed\xa0\x80', '/surrogate-\\xed\\xa0\\x80'],
    ['/truncated-\xe2\x82', '/truncated-\\xe2\\x82'],
  ])('prints %j as %j', (bytes, text) => {
    expect(escapePath(bytes)).toBe(text);
    expect(unescapePath(text)).toBe(bytes);
  });

  it('round-trips every byte string exactly', () => {
    fc.assert(fc.property(fc.oneof(byteString, utf8ish), (bytes) => {
      expect(unescapePath(escapePath(bytes))).toBe(bytes);
    }));
  });

  it('never prints a line break, a NUL or another control character', () => {
    fc.assert(
      fc.property(fc.oneof(byteString, utf8ish), (bytes) => {
        // eslint-disable-next-line no-control-regex
        expect(escapePath(bytes)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      }),
    );
  });

  it('keeps well-formed UTF-8 text readable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 10 }), (text) => {
        const printable = text.replace(/[\x00-\x1f\x7f-\x9f\\]/g, '');
        expect(escapePath(encodeUtf8(printable))).toBe(printable);
      }),
    );
  });
});

describe('unescapePath', () => {
  it.each(['\\', '\\q', '\\x4', '\\xzz'])('refuses the malformed escape %j', (text) => {
    expect(() => unescapePath(text)).toThrow(SyntaxError);
  });

  it('accepts upper-case hex digits', () => {
    expect(unescapePath('\\xFF')).toBe('\xff');
  });
});

describe('UTF-8 over byte strings', () => {
  it('decodes well-formed bytes and refuses the rest', () => {
    expect(decodeUtf8('caf\xc3\xa9')).toBe('café');
    expect(decodeUtf8('\xf4\x8f\xbf\xbf')).toBe('\u{10ffff}');
    expect(decodeUtf8('\xf4\x90\x80\x80')).toBeUndefined(); // above U+10FFFF
    expect(decodeUtf8('\xe0\x80\x80')).toBeUndefined(); // overlong
    expect(decodeUtf8('\xf0\x80\x80\x80')).toBeUndefined(); // overlong
    expect(decodeUtf8('\xff')).toBeUndefined();
  });

  it('agrees with the platform decoder on every byte string', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.oneof(byteString, utf8ish), (bytes) => {
        let expected: string | undefined;
        try {
          expected = decoder.decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
        } catch {
          expected = undefined;
        }
        expect(decodeUtf8(bytes)).toBe(expected);
      }),
    );
  });

  it('encodes any text as the platform does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 10 }), (text) => {
        const expected = String.fromCharCode(...new TextEncoder().encode(text));
        expect(encodeUtf8(text)).toBe(expected);
      }),
    );
  });
});
