/** Which colour a tile gets: what must be saved and why, at a glance. */
import type { SpaceNode } from './space-tree.js';

/** A tile's colour class, named after what it shows. */
export type TileClass =
  | 'new'
  | 'modified'
  /** A rule annotated it (its note says why); shown apart whatever its class. */
  | 'rule'
  | 'unmodified'
  | 'mixed'
  | 'error'
  | 'excluded'
  /** Many entries too small to draw, as one tile. */
  | 'small';

/** The colour for a summary node: a rule's note wins, errors share one colour. */
export function tileClassOf(node: SpaceNode): TileClass {
  if (node.note) return 'rule';
  switch (node.class) {
    case 'unreadable':
    case 'not-scanned':
      return 'error';
    default:
      return node.class;
  }
}

/** The words the legend uses for each colour. */
export const tileClassLabels: Readonly<Record<TileClass, string>> = {
  new: 'new (no package owns it)',
  modified: 'modified package file',
  rule: 'annotated by a rule',
  unmodified: 'unmodified package file',
  mixed: 'folder of several kinds',
  error: 'unreadable or not scanned',
  excluded: 'excluded',
  small: 'many small entries',
};
