/** What the generated page embeds as JSON for its scripts. */
import type { PageNode } from './page-model.js';
import type { TileClass } from './tile-class.js';

export interface ReportData {
  readonly root: PageNode;
  /** Legend words per colour class. */
  readonly labels: Readonly<Record<TileClass, string>>;
}
