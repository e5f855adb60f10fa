import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newTextOfReply } from '#telepathy/domain/email/new-text-of-reply.js';

describe('newTextOfReply', () => {
  it('shows only what the colleague wrote above the quote', () => {
    const mail = 'Sounds good, see you at noon.\r\n\r\nOn Mon, 1 Dec 2026 at 12:00, Me <me@cave.test> wrote:\r\n> lunch?\r\n> at noon\r\n';
    expect(newTextOfReply(mail)).toBe('Sounds good, see you at noon.');
  });

  it('keeps interleaved answers and drops the quoted lines between them', () => {
    expect(newTextOfReply('> lunch?\nyes\n> where?\nthe usual place\n')).toBe('yes\nthe usual place');
  });

  it('drops an attribution a mail program wrapped over two lines', () => {
    const mail = 'ok\n\nOn Mon, 1 Dec 2026 at 12:00, A Very Long Name\n<me@cave.test> wrote:\n\n> lunch?\n';
    expect(newTextOfReply(mail)).toBe('ok');
  });

  it('keeps a line that starts with "On" when no quote follows', () => {
    expect(newTextOfReply('On Monday I\ncould, she wrote:\nthen left')).toBe('On Monday I\ncould, she wrote:\nthen left');
  });

  it('drops the signature and Outlook\'s original message', () => {
    expect(newTextOfReply('fine\n-- \nAlice\nACME')).toBe('fine');
    expect(newTextOfReply('fine\n\n-----Original Message-----\nFrom: me\nlunch?')).toBe('fine');
  });

  it('keeps a mail that is all quote as it came', () => {
    expect(newTextOfReply('> only a quote')).toBe('> only a quote');
  });

  it('never adds text, and leaves text without quotes or signatures as it was (trimmed)', () => {
    const plain = fc.array(fc.stringMatching(/^[a-z][a-z ,.!?]{0,30}$/), { minLength: 1, maxLength: 6 }).map((l) => l.join('\n'));
    fc.assert(fc.property(plain, (text) => {
      expect(newTextOfReply(text)).toBe(text.replace(/ +$/gm, '').trim());
    }));
    fc.assert(fc.property(fc.string(), (text) => {
      for (const line of newTextOfReply(text).split('\n')) expect(text.replace(/\r\n?/g, '\n')).toContain(line);
    }));
  });
});
