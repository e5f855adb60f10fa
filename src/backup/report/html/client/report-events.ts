/**
 * The events the page's scripts talk through, so each script does one thing: the treemap
 * announces what it shows; the breadcrumb, details panel and keyboard focus listen.
 */

/** `report:describe`: a tile (or the current folder) to describe, as text ready to show. */
export interface TileDescription {
  /** The entry's path, escaped where it is not UTF-8. */
  readonly path: string;
  /** Its class in words, as the legend names it. */
  readonly kind: string;
  /** Bytes to back up, for people. */
  readonly save: string;
  /** Bytes its packages can restore, for people. */
  readonly unmodified: string;
  /** Share of the whole report's save size, and of the folder in view when that is not the root. */
  readonly shareOfTotal: string;
  /** e.g. `12% of usr`; absent when the root is in view. */
  readonly shareOfView?: string;
  /** Save part of save + unmodified, as the text report's `save 12M/40M=30%`. */
  readonly savedPart: string;
  /** Entry counts in words, e.g. `3 new, 40 unmodified`. */
  readonly counts?: string;
  /** The note of a rule that marked it. */
  readonly note?: string;
  /** Why it has its class, e.g. rpm's verify flags. */
  readonly reason?: string;
  /** A few names a folded folder holds. */
  readonly contents?: string;
  /** Entries inside not drawn as their own tiles. */
  readonly hidden?: string;
}

/** `report:zoomed`: the folders from the root down to the one now in view. */
export interface ZoomTrail {
  /** Root first; each folder with its tile id, to zoom back to it. */
  readonly trail: ReadonlyArray<{
    /** The folder's tile id. */
    readonly id: number;
    /** Its name as shown. */
    readonly name: string;
  }>;
}

/** `report:rendered`: tiles were redrawn; which one should hold the keyboard focus. */
export interface RenderedTiles {
  /** The tile to focus; absent: the first tile. */
  readonly focusId?: number;
  /** Move the focus there now (the user zoomed with the keyboard). */
  readonly takeFocus: boolean;
}

// Typed event names for addEventListener and dispatchEvent on the document.
declare global {
  interface DocumentEventMap {
    'report:describe': CustomEvent<TileDescription>;
    'report:zoomed': CustomEvent<ZoomTrail>;
    'report:rendered': CustomEvent<RenderedTiles>;
  }
}
