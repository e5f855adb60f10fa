import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { Verify, verifyString } from './verify-flags.js';
import type { VerifyOutcome } from './verify-file.js';

/** The verdict on an existing path, given each owning record and what checking it found. */
export interface OwnedVerdict {
  /** What the path is for the backup. */
  readonly class: Extract<EntryClass, 'new' | 'modified' | 'unmodified' | 'unreadable'>;
  /** Why, e.g. rpm's verify string (`S.5....T.  c`); absent when nothing is to report. */
  readonly reason?: string;
}

/** The verdicts without a reason, shared: most paths get one of them. */
const PLAIN: Readonly<Record<OwnedVerdict['class'], OwnedVerdict>> = Object.freeze({
  new: Object.freeze({ class: 'new' }),
  modified: Object.freeze({ class: 'modified' }),
  unmodified: Object.freeze({ class: 'unmodified' }),
  unreadable: Object.freeze({ class: 'unreadable' }),
});

/** Failures that mean the content differs; an mtime difference alone does not (the digest decided). */
const CHANGED = ~Verify.MTIME & ~(Verify.READFAIL | Verify.READLINKFAIL);

/**
 * new when no package owns the path; modified when rpm would flag anything but the mtime, or the
 * path is a %ghost (rpm never verifies a ghost's content, so only a backup keeps it); unreadable
 * when the content could not be read to decide (with why, e.g. `changed-while-reading`); unmodified otherwise. The reason carries rpm's
 * verdict string, a `c` for %config, and the package when several own the path.
 */
export function classifyOwned(owners: readonly OwnedFile[], outcomes: readonly VerifyOutcome[]): OwnedVerdict {
  if (owners.length === 0) return PLAIN.new;
  const reasons: string[] = [];
  let verdict: OwnedVerdict['class'] = 'unmodified';
  owners.forEach((owner, i) => {
    const outcome = outcomes[i]!;
    const marker = owner.flags.config ? ' c' : '';
    const who = owners.length > 1 ? ` ${owner.package}` : '';
    if (outcome.result & (Verify.READFAIL | Verify.READLINKFAIL)) {
      verdict = 'unreadable';
      const why = outcome.readError === undefined ? '' : ` (${outcome.readError})`;
      reasons.push(`${verifyString(outcome.result)}${marker}${who}${why}`);
    } else if (outcome.result & CHANGED) {
      if (verdict !== 'unreadable') verdict = 'modified';
      reasons.push(`${verifyString(outcome.result)}${marker}${who}`);
    } else if (owner.flags.ghost) {
      if (verdict === 'unmodified') verdict = 'modified';
      reasons.push(`%ghost${who}`);
    }
  });
  return reasons.length ? { class: verdict, reason: reasons.join('; ') } : PLAIN[verdict];
}
