/** The code a report page inlines; `cli/read-page-assets.ts` reads it from the package. @module */

/** Script text the page inlines, so it works offline from one file. */
export interface PageAssets {
  /** d3-hierarchy's UMD bundle: defines the global `d3`. */
  readonly d3: string;
  /** Module scripts, in the order the page runs them: listeners before the treemap that fires. */
  readonly scripts: readonly string[];
}
