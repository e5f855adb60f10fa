import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, scriptForInline } from '#backup/report/html/html-escape.js';

describe('HTML escaping', () => {
  it('escapes everything that could open a tag or close an attribute', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });

  it('puts JSON in a script element with no way to close it, and reads back the same', () => {
    const value = { name: '</script><script>alert(1)</script><!--', line: 'a\u2028b' };
    const text = jsonForScript(value);
    expect(text).not.toContain('<');
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('keeps an inlined script from ending its element early', () => {
    expect(scriptForInline('const s = "</script>";')).toBe('const s = "<\\/script>";');
  });
});
