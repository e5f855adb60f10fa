/// <reference lib="dom" />
/**
 * The events the page's scripts talk through, so each script does one thing: the treemap
 * announces what it shows; the breadcrumb, details panel and keyboard focus listen.
 */

/** `report:describe`: a tile (or the current folder) to describe, as text ready to show. */
export interface TileDescription {
  readonly path: string;
  readonly kind: string;
  readonly save: string;
  readonly unmodified: string;
  /** Share of the whole report's save size, and of the folder in view when that is not the root. */
  readonly shareOfTotal: string;
  readonly shareOfView?: string;
  /** Save part of save + unmodified, as the text report's `save 12M/40M=30%`. */
  readonly savedPart: string;
  readonly counts?: string;
  readonly note?: string;
  readonly reason?: string;
  readonly contents?: string;
  /** Entries inside not drawn as their own tiles. */
  readonly hidden?: string;
}

/** `report:zoomed`: the folders from the root down to the one now in view. */
export interface ZoomTrail {
  readonly trail: ReadonlyArray<{ readonly id: number; readonly name: string }>;
}

/** `report:rendered`: tiles were redrawn; which one should hold the keyboard focus. */
export interface RenderedTiles {
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
