import { describe, expect, it } from 'vitest';
import { matchBounce } from '#telepathy/domain/email/match-bounce.js';

/** What Postfix writes in a bounce: the per-message block, then the per-recipient one. */
const postfixStatus = `Reporting-MTA: dns; mail.cave.test
X-Postfix-Queue-ID: 4ABC
Arrival-Date: Tue,  1 Dec 2026 14:00:00 +0000

Final-Recipient: rfc822; bob@elsewhere.test
Original-Recipient: rfc822;bob@elsewhere.test
Action: failed
Status: 5.4.4
Diagnostic-Code: X-Postfix; the cave test network has no route
    outside cave.test
`;
const returned = 'From: me@cave.test\r\nTo: bob@elsewhere.test\r\nMessage-ID:\r\n <1.cave@cave.test>\r\nSubject: hi\r\n';
const sent = new Set(['<1.cave@cave.test>', '<2.cave@cave.test>']);

describe('matchBounce', () => {
  it('matches a permanent failure to the mail it returns', () => {
    expect(matchBounce({ deliveryStatus: postfixStatus, returnedHeaders: returned }, sent)).toEqual({
      messageId: '<1.cave@cave.test>', severity: 'permanent', status: '5.4.4', recipient: 'bob@elsewhere.test',
      diagnostic: 'the cave test network has no route outside cave.test',
    });
  });

  it('reports a delay as temporary, matched through the DSN\'s References when no headers came back', () => {
    const delayed = 'Final-Recipient: rfc822; bob@x\nAction: delayed\nStatus: 4.4.1\n';
    expect(matchBounce({ deliveryStatus: delayed, references: ['<2.cave@cave.test>'] }, sent)).toMatchObject({
      messageId: '<2.cave@cave.test>', severity: 'temporary', status: '4.4.1',
    });
  });

  it('ignores success reports, ordinary mail and bounces of mail cave did not send', () => {
    expect(matchBounce({ deliveryStatus: 'Action: delivered\nStatus: 2.0.0\n', returnedHeaders: returned }, sent)).toBeUndefined();
    expect(matchBounce({ inReplyTo: '<1.cave@cave.test>' }, sent)).toBeUndefined();
    expect(matchBounce({ deliveryStatus: postfixStatus, returnedHeaders: 'Message-ID: <other@x>\n' }, sent)).toBeUndefined();
  });

  it('takes the recipient from Original-Recipient when there is no Final-Recipient, and reads In-Reply-To', () => {
    const failed = 'Original-Recipient: rfc822; carol@x\nAction: failed\n';
    expect(matchBounce({ deliveryStatus: failed, inReplyTo: 'Re: <1.cave@cave.test>' }, sent)).toEqual({
      messageId: '<1.cave@cave.test>', severity: 'permanent', status: '', recipient: 'carol@x',
    });
  });

  it('leaves out the recipient and diagnostic a report does not give, and ignores a status that is not one', () => {
    const delayed = 'Action: delayed\nStatus: soon, maybe\n';
    expect(matchBounce({ deliveryStatus: delayed, references: ['<2.cave@cave.test>'] }, sent)).toEqual({
      messageId: '<2.cave@cave.test>', severity: 'temporary', status: '',
    });
  });
});
