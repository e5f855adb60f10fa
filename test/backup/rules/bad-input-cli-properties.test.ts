/**
 * Bad input through the program (issue #16): a rules file that cannot be read, and plugin modules
 * that are random bytes, export the wrong shape or throw while imported, end what-to-backup with
 * status 2 and one line naming the file, before anything is written: no list on stdout, no
 * --html page, no digest cache. Rules files run in-process (whatToBackup, as the built program
 * runs it) so many runs stay fast; plugins run in the built program, as Node imports them there.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';
import { bins, childEnv } from '#test/support/child-env.js';
import { parseRulesFile } from '#backup/domain/rules/rules-file.js';

const run = promisify(execFile);
let top: string;
let runs = 0;

/** Where a run may write: its --html page and its digest cache. */
function outputs() {
  const n = ++runs;
  const html = join(top, `page-${n}.html`);
  const cache = join(top, `cache-${n}`);
  const written = () => [existsSync(html) ? html : '', existsSync(cache) && readdirSync(cache, { recursive: true }).length ? cache : ''].filter(Boolean);
  return { html, cache, written };
}

/** Runs the program on a small tree with `args`; returns its status and everything it wrote. */
async function program(args: string[]) {
  const { html, cache, written } = outputs();
  let stdout = '';
  let stderr = '';
  const code = await whatToBackup(['--root', join(top, 'sys'), '--package-db', 'none', '--html', html, ...args], {
    stdout: { write: (chunk: string | Uint8Array) => (stdout += String(chunk)) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { XDG_CACHE_HOME: cache },
  });
  return { code, stdout, stderr, written: written() };
}

/** The same, through the built program. */
async function builtProgram(args: string[]) {
  const { html, cache, written } = outputs();
  const argv = [bins.whatToBackup, '--root', join(top, 'sys'), '--package-db', 'none', '--html', html, ...args];
  const options = { env: childEnv({ XDG_CACHE_HOME: cache }), timeout: 30_000 };
  let r: { code: number; stdout: string; stderr: string };
  try {
    r = { code: 0, ...(await run(process.execPath, argv, options)) };
  } catch (error) {
    r = error as { code: number; stdout: string; stderr: string };
  }
  return { ...r, written: written() };
}

/** Status 2, one line naming `file`, and nothing written anywhere. */
function expectRefusedBefore(r: Awaited<ReturnType<typeof builtProgram>>, file: string) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.written).toEqual([]);
  expect(r.stderr.endsWith('\n') && !r.stderr.slice(0, -1).includes('\n')).toBe(true);
  expect(r.stderr).toContain(file);
  expect(r.stderr).not.toMatch(/internal error|\bundefined\b/);
}

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-bad-input-'));
  mkdirSync(join(top, 'sys/home/me'), { recursive: true });
  writeFileSync(join(top, 'sys/home/me/notes'), 'n');
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));
const ruleish = fc.array(fc.constantFrom('skip ', 'save ', 'dump ', 'diff ', '/', '*', '[', '~', 'when=', 'tool=', 'name=', '"', '\\', '#', '\n', ' ', 'a', '\xe9'), { maxLength: 30 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('what-to-backup given bad input', () => {
  it('a rules file that cannot be read: status 2 with FILE:LINE:COLUMN, nothing half-applied (no list, no page, no cache)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes, ruleish), async (content) => {
        const file = join(top, `rules-${runs + 1}.rules`);
        writeFileSync(file, content);
        let valid = true;
        try {
          parseRulesFile(content.toString('latin1'), { file });
        } catch {
          valid = false;
        }
        const r = await program(['--rules', file, '-0']);
        if (valid) {
          expect(r.code).toBe(0);
          return;
        }
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.written).toEqual([]);
        // A heading, then one line per mistake, each naming the file, line and column.
        const [heading, ...mistakes] = r.stderr.trimEnd().split('\n');
        expect(heading).toBe('what-to-backup: broken rules file, nothing applied:');
        expect(mistakes.length).toBeGreaterThan(0);
        for (const line of mistakes) expect(line).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('a plugin module of random bytes, the wrong shape, or one that throws while imported: status 2, one line naming it', async () => {
    const throwing = fc.jsonValue().map((v) => `throw ${JSON.stringify(v) ?? 'null'};\n`);
    const wrongShape = fc.jsonValue().map((v) => `export default ${JSON.stringify(v) ?? 'null'};\n`);
    const wrongRules = fc.array(fc.dictionary(fc.constantFrom('name', 'action', 'pattern', 'when', 'tool', 'note', 'match'), fc.jsonValue()), { maxLength: 3 }).map((rules) => `export default () => (${JSON.stringify(rules)});\n`);
    const failingFunction = fc.jsonValue().map((v) => `export default () => { throw ${JSON.stringify(v) ?? 'null'}; };\n`);
    const content = fc.oneof(bytes, throwing.map((s) => Buffer.from(s)), wrongShape.map((s) => Buffer.from(s)), wrongRules.map((s) => Buffer.from(s)), failingFunction.map((s) => Buffer.from(s)));
    await fc.assert(
      fc.asyncProperty(content, fc.constantFrom('.mjs', '.js', '.ts'), async (code, extension) => {
        const file = join(top, `plugin-${runs + 1}${extension}`);
        writeFileSync(file, code);
        const r = await builtProgram(['--rules-plugin', file, '-0']);
        if (r.code !== 2) {
          // Random input can be a valid plugin (an empty array of rules): then the scan runs.
          expect(r.code).toBe(0);
          expect(r.stderr).not.toContain('what-to-backup:');
          return;
        }
        expectRefusedBefore(r, file);
      }),
      {
        numRuns: 40,
        // Found by this property: a thrown non-Error printed as "undefined", and newlines in what a
        // plugin threw or named a rule split the one line.
        examples: [
          [Buffer.from('throw 5;\n'), '.mjs'],
          [Buffer.from('throw "two\\nlines";\n'), '.js'],
          [Buffer.from("export default [{ name: 'a\\nb', action: 'nope' }];\n"), '.mjs'],
          [Buffer.from('\xff\xfe{', 'latin1'), '.ts'],
        ],
      },
    );
  }, 120_000);
});
