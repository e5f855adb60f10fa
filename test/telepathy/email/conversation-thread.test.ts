import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseSubject, maxReferences, newThread, nextMail, threadAfterArrival } from '#telepathy/domain/email/conversation-thread.js';
import { makeMessageId, messageIdsIn } from '#telepathy/domain/email/make-message-id.js';

const counter = () => { let n = 0; return (size: number) => Uint8Array.from({ length: size }, () => n++ % 256); };

describe('Message-IDs', () => {
  it('are 128 random bits in the account\'s domain, from the injected source', () => {
    expect(makeMessageId(() => new Uint8Array(16).fill(0xab), 'me@cave.test')).toBe(`<${'ab'.repeat(16)}.cave@cave.test>`);
  });

  it('differ while the random source does', () => {
    const random = counter();
    expect(makeMessageId(random, 'me@cave.test')).not.toBe(makeMessageId(random, 'me@cave.test'));
  });

  it('are read back from References headers', () => {
    expect(messageIdsIn('<a@x>\r\n <b@y> junk <c@z>')).toEqual(['<a@x>', '<b@y>', '<c@z>']);
    expect(messageIdsIn(undefined)).toEqual([]);
  });
});

describe('conversation threads', () => {
  it('start with a stable subject and chain each mail to the previous one', () => {
    let thread = newThread('me@cave.test', 'alice@cave.test');
    const first = nextMail(thread, '<1@cave.test>');
    expect(first.headers).toEqual({ subject: 'Chat between me@cave.test and alice@cave.test', references: [] });
    thread = threadAfterArrival(first.thread, { subject: 'Re: Chat between me@cave.test and alice@cave.test', messageId: '<a@x>' });
    const second = nextMail(thread, '<2@cave.test>');
    expect(second.headers).toEqual({
      subject: 'Re: Chat between me@cave.test and alice@cave.test', inReplyTo: '<a@x>', references: ['<1@cave.test>', '<a@x>'],
    });
  });

  it('take the subject of a conversation the contact started, without its Re:', () => {
    const thread = threadAfterArrival(undefined, { subject: 'RE: AW: lunch?', messageId: '<a@x>' });
    expect(thread.subject).toBe('lunch?');
    expect(nextMail(thread, '<1@c>').headers).toEqual({ subject: 'Re: lunch?', inReplyTo: '<a@x>', references: ['<a@x>'] });
    expect(threadAfterArrival(undefined, { subject: '  ' }).subject).toBe('(chat)');
  });

  it('strip reply prefixes only at the start', () => {
    expect(baseSubject('Re[2]: Fwd: re: plans: re: later')).toBe('plans: re: later');
  });

  it('keep the first mail\'s subject, the first id and at most maxReferences ids, whatever the exchange', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (fromUs) => {
      let thread = newThread('me@c', 'a@c');
      fromUs.forEach((ours, i) => {
        const id = `<${i}@c>`;
        thread = ours ? nextMail(thread, id).thread : threadAfterArrival(thread, { subject: `Re: from ${i}`, messageId: id });
      });
      expect(thread.subject).toBe(fromUs[0] === false ? 'from 0' : 'Chat between me@c and a@c');
      expect(thread.messageIds.length).toBe(Math.min(fromUs.length, maxReferences));
      if (fromUs.length > 0) expect(thread.messageIds[0]).toBe('<0@c>');
      if (fromUs.length > 0) expect(nextMail(thread, '<n@c>').headers.inReplyTo).toBe(`<${fromUs.length - 1}@c>`);
    }));
  });
});
