/**
 * Delivery status notifications (RFC 3464): which mail a bounce reports on, and how it failed.
 * @module
 */

import { messageIdsIn } from './make-message-id.js';

/** What a DSN says about one mail cave sent. */
export interface BounceReport {
  /** The Message-ID of the mail it reports on. */
  readonly messageId: string;
  /** `permanent` for Action failed / Status 5.x.x, `temporary` for delayed / 4.x.x. */
  readonly severity: 'permanent' | 'temporary';
  /** The recipient it failed for, when the DSN names one. */
  readonly recipient?: string;
  /** The status code, e.g. `5.1.1`. */
  readonly status: string;
  /** The remote server's explanation, when given. */
  readonly diagnostic?: string;
}

/** The fields of the first per-recipient block of a `message/delivery-status` part. */
function fields(deliveryStatus: string): Map<string, string> {
  const unfolded = deliveryStatus.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  const found = new Map<string, string>();
  for (const line of unfolded.split('\n')) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m && !found.has(m[1]!.toLowerCase())) found.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return found;
}

function headerValue(headers: string, name: string): string | undefined {
  const unfolded = headers.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return m?.[1];
}

/**
 * The report in a DSN on one of the mails in `sent` (their Message-IDs), or undefined when it is
 * not a failure or delay report on any of them. The original's id is read from the returned
 * headers, or failing that from the DSN's own In-Reply-To/References.
 */
export function matchBounce(
  dsn: { deliveryStatus?: string; returnedHeaders?: string; inReplyTo?: string; references?: readonly string[] },
  sent: ReadonlySet<string>,
): BounceReport | undefined {
  if (!dsn.deliveryStatus) return undefined;
  const f = fields(dsn.deliveryStatus);
  const action = f.get('action')?.toLowerCase();
  const status = /\d\.\d{1,3}\.\d{1,3}/.exec(f.get('status') ?? '')?.[0] ?? '';
  const severity = action === 'failed' || status.startsWith('5') ? 'permanent'
    : action === 'delayed' || status.startsWith('4') ? 'temporary' : undefined;
  if (!severity) return undefined;
  const candidates = [
    ...messageIdsIn(dsn.returnedHeaders ? headerValue(dsn.returnedHeaders, 'Message-ID') : undefined),
    ...messageIdsIn(dsn.inReplyTo), ...(dsn.references ?? []),
  ];
  const messageId = candidates.find((id) => sent.has(id));
  if (!messageId) return undefined;
  const recipient = /;\s*(\S+)/.exec(f.get('final-recipient') ?? f.get('original-recipient') ?? '')?.[1];
  const diagnostic = f.get('diagnostic-code')?.replace(/^[a-z-]+;\s*/i, '');
  return { messageId, severity, status, ...(recipient ? { recipient } : {}), ...(diagnostic ? { diagnostic } : {}) };
}
