/** What the generated page embeds as JSON for its scripts. */
import type { PageNode } from './page-model.js';
import type { TileClass } from './tile-class.js';

/** The page's data: the tile tree and the legend. */
export interface ReportData {
  /** The top tile; every other tile is below it. */
  readonly root: PageNode;
  /** Legend words per colour class. */
  readonly labels: Readonly<Record<TileClass, string>>;
}
