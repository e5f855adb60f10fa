import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv, repoRoot } from '#test/support/child-env.js';
import { buildDebRoot, type DebRoot } from '#test/support/deb-root.js';
import { run } from './support.js';

const schemaOf = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'docs', 'schema', name), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validSummary = ajv.compile(schemaOf('what-to-backup.schema.json'));
const validPageData = ajv.compile(schemaOf('what-to-backup-html-data.schema.json'));

/** Validation errors, as short lines; empty when `value` fits. */
function errors(valid: typeof validSummary, value: unknown): string[] {
  return valid(value) ? [] : (valid.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

let system: DebRoot;
let root: string;

/** A dpkg system with a package (so folders mix saved and unmodified files) and odd entries beside it. */
beforeAll(async () => {
  system = await buildDebRoot([
    { name: 'base', paths: [{ path: '/usr/share/base/README', content: 'base\n' }, { path: '/etc/base.conf', content: 'a=1\n', config: true }, { path: '/usr/share/base/link', kind: 'symlink', target: 'README' }] },
  ]);
  root = system.root;
  const at = (path: string) => Buffer.from(`${root}${path}`, 'latin1');
  await writeFile(at('/etc/base.conf'), 'a=2\n');
  await writeFile(at('/usr/share/base/local-notes'), 'mine\n');
  await mkdir(at('/srv/data/empty'), { recursive: true });
  await writeFile(at('/srv/data/caf\xe9-latin1.txt'), 'not UTF-8 in the name\n');
  await writeFile(at('/srv/data/line\nbreak'), 'a newline in the name\n');
  await symlink('/nowhere', at('/srv/data/dangling'));
  execFileSync('mkfifo', [`${root}/srv/data/fifo`]);
  await writeFile(at('/srv/data/app.sqlite'), 'SQLite format 3\0');
  await mkdir(at('/var/cache/thing'), { recursive: true });
  await writeFile(at('/var/cache/thing/x'), 'cached\n');
  await writeFile(join(root, '..', `${root.split('/').pop()}.rules`), 'save /srv/data/ when=shutdown name=cold  # a cold copy\n');
});
afterAll(async () => {
  for (const suffix of ['.rules', '.covered']) await rm(join(root, '..', `${root.split('/').pop()}${suffix}`), { force: true });
  await system.remove();
});

async function scan(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [bins.whatToBackup, '--json', '--root', root, '--admindir', system.admindir, ...args], { env: childEnv(), maxBuffer: 64 << 20 }).catch((e: { stdout: string; code: number }) => {
    if (e.code === 1) return e; // complete, with entries it could not read
    throw e;
  });
  return JSON.parse(stdout);
}

describe('docs/schema/what-to-backup.schema.json', () => {
  it('fits what --json prints for a system with odd names, a FIFO, a dangling link, an empty folder and rules', async () => {
    const rules = join(root, '..', `${root.split('/').pop()}.rules`);
    const summary = await scan(['--rules', rules]);
    expect(errors(validSummary, summary)).toEqual([]);
    const text = JSON.stringify(summary);
    for (const shape of ['entry', 'save-folder', 'mixed']) expect(text).toContain(`"shape":"${shape}"`);
    for (const field of ['"pathBase64"', '"when":"shutdown"', '"action":"dump"', '"action":"skip"']) expect(text).toContain(field);
  });

  it('fits what --json prints with no package database, and with no rules', async () => {
    expect(errors(validSummary, await scan(['--package-db', 'none', '/srv']))).toEqual([]);
    expect(errors(validSummary, await scan(['--exclude-from', '/dev/null', '--no-builtin-rules', '/usr']))).toEqual([]);
  });

  it('fits what --json prints with --already-covered', async () => {
    const covered = join(root, '..', `${root.split('/').pop()}.covered`);
    await writeFile(covered, '/srv/\n');
    const summary = await scan(['--already-covered', covered]);
    expect(errors(validSummary, summary)).toEqual([]);
    expect(JSON.stringify(summary)).toContain('"alreadyCovered"');
  });

  it('is closed: a field the program does not print, or a size as a number, is refused', async () => {
    const summary = (await scan(['/srv'])) as { totals: { saveSize: unknown }; list: object[] };
    expect(errors(validSummary, { ...summary, extra: 1 })).not.toEqual([]);
    expect(errors(validSummary, { ...summary, list: [...summary.list, { path: '/x', folder: false, size: '1' }] })).not.toEqual([]);
    expect(errors(validSummary, { ...summary, totals: { ...summary.totals, saveSize: 1 } })).not.toEqual([]);
  });
});

describe('docs/schema/what-to-backup-html-data.schema.json', () => {
  it('fits the data the --html page embeds for its treemap', async () => {
    const page = join(root, '..', `${root.split('/').pop()}.html`);
    await scan(['--html', page]);
    const html = await readFile(page, 'utf8');
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1];
    expect(json).toBeDefined();
    const data = JSON.parse(json as string) as { root: object };
    expect(errors(validPageData, data)).toEqual([]);
    expect(errors(validPageData, { ...data, root: { ...data.root, size: 3 } })).not.toEqual([]);
    await rm(page);
  });
});
