import { describe, expect, it } from 'vitest';
import type { ReportData } from '#backup/report/html/report-data.js';
import { renderHtmlReport } from '#backup/report/html/render-html-report.js';
import { sampleOutline, treeOf } from '#test/backup/html/support/sample-tree.js';
import { readPageAssets } from '#backup/cli/read-page-assets.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { spaceTreeFromJson } from '#backup/report/html/summary-json-tree.js';
import { summaryJson } from '#backup/report/json/json-report.js';

const hostile = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">';
const tree = treeOf(['/', [[hostile, 'new', 100], ['etc', [['a', 'modified', 5], ['b', 'unreadable', 0]]]]]);
const html = renderHtmlReport(tree, readPageAssets());

function embeddedData(page: string): ReportData {
  const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(page)![1]!;
  return JSON.parse(json) as ReportData;
}

describe('the report page as HTML', () => {
  it('is one self-contained file: no external scripts, styles, fonts or links to fetch', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  });

  it('inlines d3-hierarchy and its own scripts, none of which imports anything at run time', () => {
    expect(html).toContain('d3-hierarchy');
    const modules = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(modules).toHaveLength(5);
    for (const code of modules) {
      expect(code).not.toMatch(/^\s*import\b/m);
      expect(code).not.toMatch(/sourceMappingURL/);
    }
  });

  it('never lets a file name inject markup: it appears only escaped', () => {
    expect(html).not.toContain('<script>window.pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(embeddedData(html).root.ch!.map((c) => c.n)).toContain(hostile);
  });

  it('embeds the drawn tree as data, and the tables as HTML', () => {
    const data = embeddedData(renderHtmlReport(treeOf(sampleOutline), readPageAssets()));
    expect(data.root).toMatchObject({ n: '/', S: '14G' });
    expect(data.labels.new).toMatch(/new/);
    expect(html).toContain('<table class="sortable" id="largest-table">');
    expect(html).toMatch(/<table class="sortable" id="errors-table"><caption>1 entry with errors<\/caption>/);
    expect(html).toMatch(/<td data-sort="unreadable">unreadable<\/td>/);
  });

  it('says so when there is nothing to save and nothing went wrong', () => {
    const empty = renderHtmlReport(treeOf(['/', [['usr', 'unmodified', 0, 10]]]), readPageAssets());
    expect(empty).toContain('Nothing to save.');
    expect(empty).toContain('No errors: every entry was read and scanned.');
  });

  it('counts errors beyond the rows it shows', () => {
    const many = treeOf(['/', [['ok', 'new', 1], ...Array.from({ length: 5 }, (_, i) => [`e${i}`, 'not-scanned', 0] as const)]]);
    expect(renderHtmlReport(many, readPageAssets(), { errorRows: 2 })).toContain('The first 2 of 5 entries with errors');
  });

  it('limits the table of largest subtrees', () => {
    const page = renderHtmlReport(treeOf(sampleOutline), readPageAssets(), { largestRows: 3 });
    expect(page).toContain('The 3 largest save subtrees');
  });
});

describe('the report page of a scan from its summary', () => {
  it('shows an empty scan as nothing scanned and nothing to save, without counts', () => {
    const page = renderHtmlReport(spaceTreeFromJson(summaryJson(new BackupSummary().close())), readPageAssets());
    expect(page).toContain('Save <strong>0 bytes</strong> of 0 bytes scanned (0%)</p>');
    expect(page).toContain('Nothing to save.');
  });

  it('lists every entry with an error, with its reason', () => {
    const summary = new BackupSummary();
    summary.add({ path: '/', kind: 'directory', class: 'unmodified', size: 0n });
    summary.add({ path: '/x', kind: 'file', class: 'unreadable', size: 0n, reason: 'EACCES' });
    summary.add({ path: '/y', kind: 'directory', class: 'not-scanned', size: 0n, reason: 'mount point' });
    const page = renderHtmlReport(spaceTreeFromJson(summaryJson(summary.close())), readPageAssets());
    expect(page).toContain('<caption>2 entries with errors</caption>');
    expect(page).toContain('<td class="path" data-sort="/x">/x</td><td data-sort="unreadable">unreadable</td><td data-sort="EACCES">EACCES</td>');
    expect(page).toContain('<td data-sort="not-scanned">not scanned</td><td data-sort="mount point">mount point</td>');
  });
});
