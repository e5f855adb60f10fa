/** The page's style sheet, inlined: system fonts only, colour-blind-safe class colours. */
export const pageStyle = `
:root {
  --new: #2f6fbf; --modified: #e3882b; --rule: #8e5bb5; --unmodified: #c3c8cf; --mixed: #4a5968;
  --error: #c8413b; --excluded: #dcdfe3; --small: #9aa8b6; --ink: #1b1f24; --link: #1a56a6;
  --line: #d4d8de; --paper: #fff;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f3f4f6; }
header { padding: 12px 16px 2px; }
h1 { font-size: 1.25rem; margin: 0; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; margin: 18px 0 6px; }
.summary { margin: 2px 0 0; color: #3d4450; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; padding: 6px 16px; }
.area-choice { border: 0; margin: 0; padding: 0; display: flex; gap: 10px; align-items: center; }
.area-choice legend { float: left; font-weight: 600; margin-right: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none; margin: 0; padding: 0; font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -2px; }
#breadcrumb ol { display: flex; flex-wrap: wrap; list-style: none; margin: 0; padding: 2px 16px 6px; }
#breadcrumb li { overflow-wrap: anywhere; }
#breadcrumb li + li::before { content: "›"; margin: 0 6px; color: #6b7280; }
#breadcrumb button, .zoom-link { font: inherit; color: var(--link); background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline; text-align: left; overflow-wrap: anywhere; }
#breadcrumb button { padding: 2px 6px; min-width: 24px; text-align: center; }
#breadcrumb [aria-current] { font-weight: 600; padding: 2px 6px; }
.map-area { display: grid; grid-template-columns: minmax(0, 1fr) 290px; gap: 12px; padding: 0 16px; }
#treemap { position: relative; height: max(300px, calc(100vh - 180px)); background: var(--paper); border: 1px solid var(--line); border-radius: 4px; overflow: hidden; }
#details { background: var(--paper); border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; font-size: 13px; overflow-wrap: anywhere; align-self: start; min-height: 120px; }
.details-path { font-weight: 600; margin: 0 0 6px; }
#details dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
#details dt { color: #5b6370; }
#details dd { margin: 0; }
.help { margin: 6px 16px 0; font-size: 12px; color: #5b6370; }
.tile { position: absolute; overflow: hidden; border: 1px solid rgba(255, 255, 255, 0.75); cursor: default; color: #fff; }
.tile.folder { cursor: zoom-in; }
.tile:hover { filter: brightness(1.08); }
.tile:focus-visible { outline: 3px solid #ffbf00; outline-offset: -3px; z-index: 1; }
.tile[style*="--unmodified-part"] { background-image: linear-gradient(to top, var(--unmodified) var(--unmodified-part), transparent var(--unmodified-part)); }
.c-new { --c: var(--new); }
.c-modified { --c: var(--modified); color: var(--ink); }
.c-rule { --c: var(--rule); }
.c-unmodified { --c: var(--unmodified); color: var(--ink); }
.c-mixed { --c: var(--mixed); }
.c-excluded { --c: var(--excluded); color: var(--ink); }
.c-error { --c: var(--error); background-image: repeating-linear-gradient(45deg, transparent 0 6px, rgba(0, 0, 0, 0.14) 6px 12px); }
.c-small { --c: var(--small); color: var(--ink); background-image: repeating-linear-gradient(45deg, transparent 0 5px, rgba(255, 255, 255, 0.22) 5px 10px); }
.tile, .swatch { background-color: var(--c); }
/* A folder's frame is darker than what it holds, so nesting reads at a glance. */
.tile.d1.folder { background-color: color-mix(in srgb, var(--c) 62%, #000); color: #fff; }
.label { display: flex; gap: 6px; padding: 1px 4px; font-size: 12px; line-height: 16px; white-space: nowrap; pointer-events: none; }
.label .name { overflow: hidden; text-overflow: ellipsis; font-weight: 600; }
.label .size { opacity: 0.85; flex-shrink: 0; }
.tile.d2 .label, .tile.d3 .label { font-size: 11px; }
.tile.d2 .label .name, .tile.d3 .label .name { font-weight: 500; }
.tile.d2.folder { background-color: color-mix(in srgb, var(--c) 80%, #000); }
.tables { padding: 0 16px 24px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: var(--paper); font-size: 13px; }
caption { text-align: left; padding: 4px 0; color: #3d4450; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
td.size { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.path { min-width: 14em; overflow-wrap: anywhere; }
th .sort { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] .sort::after { content: " ▲"; }
th[aria-sort="descending"] .sort::after { content: " ▼"; }
.empty { color: #3d4450; }
@media (max-width: 760px) {
  .map-area { grid-template-columns: minmax(0, 1fr); padding: 0 8px; }
  #treemap { height: 60vh; }
  header, .controls, .tables { padding-left: 8px; padding-right: 8px; }
  #breadcrumb ol { padding: 2px 8px 6px; }
}
`;
