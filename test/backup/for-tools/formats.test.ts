import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '#backup/domain/rules/rules-file.js';
import { rulesFromPlugin } from '#backup/domain/rules/plugin.js';
import type { SummaryNode } from '#backup/domain/summary/summary-node.js';
import { forTool } from '#backup/report/for-tools/for-tool.js';
import { toolExclusions } from '#backup/report/for-tools/tool-exclusions.js';
import { toolItems, ToolFormatError, type ToolItem } from '#backup/report/for-tools/tool-items.js';
import { resticExcludes } from '#backup/report/for-tools/restic.js';

const rules = (text: string) => parseRulesFile(text, { file: 'rules' });
const lines = (text: string, separator = '\0') => text.split(separator).slice(0, -1);

/** A summary where /home and /home/alice are mixed save folders (listed bare) and /srv is an entry. */
const tree = {
  shape: 'mixed',
  kind: 'directory',
  path: '/',
  class: undefined,
  children: [
    { shape: 'mixed', kind: 'directory', path: '/home', class: 'new', children: [{ shape: 'mixed', kind: 'directory', path: '/home/alice', class: 'modified', children: [] }] },
    { shape: 'entry', kind: 'file', path: '/srv', class: 'new' },
  ],
} as unknown as SummaryNode;

const list = ['/home', '/home/alice', '/home/alice/a*b', '/srv', '/usr/local/'];
const input = (extra: Partial<Parameters<typeof forTool>[1]> = {}) => ({ list, root: tree, rules: [], hostRoot: '/mnt/sys', ...extra });

describe('tool items', () => {
  it('tells files, bare folders and folders saved whole apart', () => {
    expect(toolItems(list, tree).map((item) => item.kind)).toEqual(['bare-folder', 'bare-folder', 'entry', 'entry', 'whole-folder']);
    expect(toolItems(['/'], undefined)).toEqual([{ path: '/', kind: 'whole-folder' }]);
  });
});

describe('--for restic', () => {
  it('hands over files, whole folders and bare folders with nothing listed inside, relative to the root', () => {
    expect(lines(forTool('restic', input({ list: ['/home', '/home/alice', '/home/alice/x', '/srv', '/usr/local/'] })).stdout)).toEqual([
      'home/alice/x',
      'srv',
      'usr/local',
    ]);
    const leaf = forTool('restic', input({ list: ['/home', '/home/alice'] }));
    expect(lines(leaf.stdout)).toEqual(['home/alice']);
    expect(leaf.second).toContain('\n/mnt/sys/home/alice/*\n');
  });

  it('escapes wildcards and $ in exclude lines, and refuses what a line cannot hold', () => {
    const bare = (path: string): ToolItem[] => [{ path, kind: 'bare-folder' }];
    expect(resticExcludes(bare('/a*$b'), [], '/r')).toContain('\n/r/a\\*$$b/*\n');
    expect(() => resticExcludes(bare('/new\nline'), [], '/')).toThrow(ToolFormatError);
    expect(resticExcludes(bare('/x'), [], '/')).toContain('\n/x/*\n');
  });

  it('turns skip rules into restic excludes against the scanned root', () => {
    const out = forTool('restic', input({ rules: rules('skip /var/cache/\nskip *.tmp\nskip ~/.cache/\n') }));
    expect(lines(out.second!, '\n').filter((line) => !line.startsWith('#'))).toEqual([
      '/mnt/sys/var/cache/*',
      '*.tmp',
      '/mnt/sys/root/.cache/*',
      '/mnt/sys/home/*/.cache/*',
    ]);
  });
});

describe('tool exclusions', () => {
  it('hands over no rule that matches a listed path or a folder above one', () => {
    const items = toolItems(['/srv/keep.tmp', '/var/cache/x/y'], undefined);
    expect(toolExclusions(rules('skip *.tmp\nsave /srv/keep.tmp\nskip /var/cache/\n'), items)).toEqual([]);
  });

  it('leaves out patterns the tools cannot all spell, and plugin match functions', () => {
    const plugin = rulesFromPlugin([{ name: 'p', action: 'skip', match: () => true }], 'p.js', { homes: ['/root'] });
    expect(toolExclusions([...rules('skip /a[bc]/\nskip /d\\*e\nskip /x/**/y\nsave /s/\n'), ...plugin], [])).toEqual([
      { names: ['x', '**', 'y'], anchored: true, directoryOnly: false, rule: 'rules:3' },
    ]);
  });
});

describe('--for tar', () => {
  it('writes entries and bare folders to stdout, folders saved whole to the second list', () => {
    const out = forTool('tar', input());
    expect(lines(out.stdout)).toEqual(['home', 'home/alice', 'home/alice/a*b', 'srv']);
    expect(lines(out.second!)).toEqual(['usr/local']);
    expect(lines(forTool('tar', input({ list: ['/'] })).second!)).toEqual(['.']);
  });
});

describe('--for rsync', () => {
  it('orders excludes, listed paths, the folders above them, then everything else out', () => {
    const out = forTool('rsync', input({ list: [...list, '/a[b]/'], rules: rules('skip /var/cache/\nskip *.tmp\nskip /x/y\n') }));
    expect(lines(out.stdout)).toEqual([
      '- /var/cache/',
      '- *.tmp',
      '- /x/y',
      '+ /home/',
      '+ /home/alice/',
      '+ /home/alice/a\\*b',
      '+ /srv',
      '+ /usr/local/***',
      '+ /a\\[b]/***',
      '+ /home/',
      '+ /home/alice/',
      '+ /usr/',
      '- *',
    ]);
    expect(lines(forTool('rsync', input({ list: ['/'] })).stdout)).toEqual(['+ /***', '- *']);
  });
});

describe('--for borg', () => {
  it('writes pf: and pp: patterns, and anchored re: escapes for names a line cannot hold', () => {
    const out = forTool('borg', input({ list: ['/home/alice', '/home/alice/new\nline', '/home/alice/l\xe9', '/home/alice/caf\xc3\xa9 ', '/usr/local/'], rules: rules('skip *.tmp\nskip /var/cache/\n') }));
    expect(lines(out.stdout, '\n')).toEqual([
      'R .',
      '! sh:**/*.tmp',
      '! sh:var/cache/*',
      '+ pf:home/alice',
      '+ re:^home/alice/new\\u000aline$',
      '+ re:^home/alice/l\\udce9$',
      '+ re:^home/alice/caf\\u00e9\\u0020$',
      '+ pp:usr/local',
      '- pf:.',
      '- pf:home',
      '- pf:usr',
      '! sh:**',
    ]);
    expect(lines(forTool('borg', input({ list: ['/'] })).stdout, '\n')).toEqual(['R .', '+ pp:.']);
  });
});

describe('excludes a tool cannot spell', () => {
  it('are left out of that tool only, so the tool copies more, never less', () => {
    const odd = rulesFromPlugin(
      [
        { name: 'trailing', action: 'skip', pattern: '/srv/trail ' },
        { name: 'everything', action: 'skip', pattern: '**' },
      ],
      'odd.js',
      { homes: ['/root'] },
    );
    const run = (tool: 'restic' | 'rsync' | 'borg') => forTool(tool, { list: [], root: undefined, rules: odd, hostRoot: '/' });
    expect(run('restic').second).not.toContain('trail');
    expect(run('borg').stdout).not.toContain('trail');
    expect(run('rsync').stdout).toContain('- /srv/trail \0');
    expect(run('rsync').stdout).not.toContain('**');
  });

  it('do not stop a name beyond the Basic Multilingual Plane from reaching borg exactly', () => {
    const out = forTool('borg', input({ list: ['/home/\xf0\x9f\x93\xb7 '] }));
    expect(out.stdout).toContain('+ re:^home/\\U0001f4f7\\u0020$\n');
  });
});
