/**
 * The mail thread behind one text channel: a stable Subject, and In-Reply-To/References that
 * chain each mail to the previous one so mail programs show a single conversation.
 * @module
 */

/** What cave remembers about a conversation with one contact. */
export interface ConversationThread {
  /** The Subject without any `Re:`; every mail of the conversation carries it. */
  readonly subject: string;
  /** Message-IDs of the conversation so far, oldest first (at most {@link maxReferences}). */
  readonly messageIds: readonly string[];
}

/** How many ids a References header keeps: the first and the most recent, as RFC 5322 suggests. */
export const maxReferences = 20;

/** The headers of the next mail cave sends in a thread. */
export interface ThreadHeaders {
  /** `Re:` and the thread's Subject, or the bare Subject for its first mail. */
  readonly subject: string;
  /** The Message-ID of the previous mail. */
  readonly inReplyTo?: string;
  /** The thread's Message-IDs so far. */
  readonly references: readonly string[];
}

/** The next mail's headers and the thread after it. */
export interface NextMail {
  /** Headers for the mail about to be sent. */
  readonly headers: ThreadHeaders;
  /** The thread once it is sent. */
  readonly thread: ConversationThread;
}

/** The Subject of a conversation cave starts with `contact`. */
export function newThread(selfAddress: string, contact: string): ConversationThread {
  return { subject: `Chat between ${selfAddress} and ${contact}`, messageIds: [] };
}

/** A Subject without its reply and forward prefixes (`Re:`, `RE[2]:`, `Fwd:`, `AW:`, `SV:`), trimmed. */
export function baseSubject(subject: string): string {
  return subject.replace(/^(\s*(re|fwd?|aw|sv|wg)(\[\d+\])?\s*:\s*)+/i, '').trim();
}

function remember(ids: readonly string[], id: string): string[] {
  const all = ids.includes(id) ? [...ids] : [...ids, id];
  return all.length <= maxReferences ? all : [all[0]!, ...all.slice(all.length - maxReferences + 1)];
}

/** The thread after a mail from the contact: a first mail sets the Subject, each mail joins the chain. */
export function threadAfterArrival(
  thread: ConversationThread | undefined, mail: { subject: string; messageId?: string },
): ConversationThread {
  const subject = thread && thread.messageIds.length > 0 ? thread.subject : baseSubject(mail.subject) || '(chat)';
  const ids = thread?.messageIds ?? [];
  return { subject, messageIds: mail.messageId ? remember(ids, mail.messageId) : [...ids] };
}

/** The headers for the next mail with id `messageId`, and the thread once it is sent. */
export function nextMail(thread: ConversationThread, messageId: string): NextMail {
  const last = thread.messageIds[thread.messageIds.length - 1];
  const headers: ThreadHeaders = last === undefined
    ? { subject: thread.subject, references: [] }
    : { subject: `Re: ${thread.subject}`, inReplyTo: last, references: [...thread.messageIds] };
  return { headers, thread: { subject: thread.subject, messageIds: remember(thread.messageIds, messageId) } };
}
