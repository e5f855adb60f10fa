import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Host path of a byte-string path under `root`. */
export const at = (root: string, path: string) => Buffer.concat([Buffer.from(root), Buffer.from(path, 'latin1')]);

export interface TreeEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  empty: boolean;
}

/** Every entry below `root` (byte-string paths of that system), the slow obvious way. */
export function walkTree(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (path: string) => {
    const s = lstatSync(at(root, path));
    const type = s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other';
    const names = type === 'directory' ? readdirSync(at(root, path), { encoding: 'buffer' }).map((n) => n.toString('latin1')) : [];
    out.push({ path, type, empty: type === 'directory' && names.length === 0 });
    for (const n of names) visit(path === '/' ? `/${n}` : `${path}/${n}`);
  };
  visit('/');
  return out;
}

/** Contents, modes and timestamps of every entry: what a scan must leave exactly as it was. */
export function snapshot(root: string, skip: (path: string) => boolean = () => false): Map<string, string> {
  const state = new Map<string, string>();
  for (const e of walkTree(root)) {
    if (skip(e.path)) continue;
    const s = lstatSync(at(root, e.path), { bigint: true });
    const content = e.type === 'file' ? createHash('sha256').update(readFileSync(at(root, e.path))).digest('hex') : '';
    state.set(e.path, `${s.mode} ${s.size} ${s.mtimeNs} ${s.ctimeNs} ${content}`);
  }
  return state;
}

/** `rpm -Va`: path → verify string (or `missing`), as rpm itself prints it. */
export async function rpmVerifyAll(rpmArgs: string[]): Promise<Map<string, string>> {
  let stdout: Buffer;
  try {
    stdout = (await run('rpm', [...rpmArgs, '-Va'], { encoding: 'buffer', maxBuffer: 1 << 28 })).stdout;
  } catch (error) {
    stdout = (error as { stdout: Buffer }).stdout; // rpm -V exits 1 when anything differs
  }
  const verdicts = new Map<string, string>();
  for (const line of stdout.toString('latin1').split('\n')) {
    // rpm prints `S.5....T.  c /path` and `missing   c /path`.
    const changed = /^([.SM5DLUGTP?]{9}) {2}[ cdglr] (\/.*)$/.exec(line);
    const missing = /^missing {3}[ cdglr] (\/.*)$/.exec(line);
    if (changed) verdicts.set(changed[2]!, changed[1]!);
    else if (missing) verdicts.set(missing[1]!, 'missing');
  }
  return verdicts;
}

/** `rpm -qf` once per path (through xargs, so any bytes pass): owned or not, in order. */
export async function rpmOwnsEach(rpmArgs: string[], paths: string[]): Promise<boolean[]> {
  const script = `rpm ${rpmArgs.map((a) => `'${a}'`).join(' ')} -qf -- "$1" >/dev/null 2>&1 && printf O || printf N`;
  const child = execFile('xargs', ['-0', '-n1', 'sh', '-c', script, 'sh'], { encoding: 'latin1', maxBuffer: 1 << 24 });
  child.stdin!.end(Buffer.from(paths.map((p) => `${p}\0`).join(''), 'latin1'));
  let out = '';
  child.stdout!.on('data', (d: string) => (out += d));
  await new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`xargs ${code}`)))));
  return [...out].map((c) => c === 'O');
}

/** rpm's own list of %ghost paths. */
export async function rpmGhosts(rpmArgs: string[]): Promise<Set<string>> {
  const { stdout } = await run('rpm', [...rpmArgs, '-qa', '--qf', '[%{FILEFLAGS:fflags}\\t%{FILENAMES}\\n]'], { encoding: 'latin1' });
  return new Set(stdout.split('\n').filter((l) => l.split('\t')[0]!.includes('g')).map((l) => l.split('\t')[1]!));
}
