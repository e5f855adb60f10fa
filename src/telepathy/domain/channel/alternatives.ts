/**
 * Message parts grouped as alternatives (the `alternative` key, like MIME multipart/alternative):
 * the spec lets a CM whose protocol has no alternatives keep, from each group, the first one it
 * supports, and drop the rest.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { typedEntry, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** A body part kept for sending, with its 1-based position in the message (for error texts). */
export interface ChosenPart {
  /** The part itself. */
  readonly part: VariantMap;
  /** Its position among the message's parts (the header is 0). */
  readonly position: number;
  /** Every part of its group of alternatives, itself included (just itself for a lone part). */
  readonly group: readonly VariantMap[];
}

/**
 * The body parts to send: each part outside a group, and the first supported part of each group
 * of alternatives, in the order the groups first appear. InvalidArgument names a lone part or a
 * whole group with nothing supported.
 */
export function chooseAlternatives(body: readonly VariantMap[], supported: (part: VariantMap) => boolean): ChosenPart[] {
  const groups = new Map<string, Omit<ChosenPart, 'group'>[]>();
  body.forEach((part, index) => {
    const group = typedEntry(part, 'alternative', 's');
    const key = typeof group === 'string' && group !== '' ? `group:${group}` : `part:${index}`;
    groups.set(key, [...(groups.get(key) ?? []), { part, position: index + 1 }]);
  });
  return [...groups.entries()].map(([key, parts]) => {
    const chosen = parts.find(({ part }) => supported(part));
    if (chosen) return { ...chosen, group: parts.map(({ part }) => part) };
    const what = key.startsWith('group:') ? `the alternatives ${JSON.stringify(key.slice(6))}` : `part ${parts[0]!.position}`;
    throw invalidArgument(`${what} offer no text/plain content; only text/plain is supported`);
  });
}
