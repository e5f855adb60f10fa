import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One path a test package installs. */
export type PackagedPath =
  | { path: string; kind?: 'file'; content: string | Buffer; mode?: number; config?: boolean; ghost?: boolean }
  | { path: string; kind: 'dir'; mode?: number }
  | { path: string; kind: 'fifo'; mode?: number }
  | { path: string; kind: 'symlink'; target: string };

/** A small real package: name, version and the paths it owns (absolute, as installed). */
export interface TestPackage {
  name: string;
  version?: string;
  paths: PackagedPath[];
}

/** A temporary system root with a real rpm database (sqlite, as Fedora and Debian's rpm use). */
export interface RpmRoot {
  readonly root: string;
  /** The database folder as rpm's --dbpath sees it, relative to `root`. */
  readonly dbpath: string;
  /** Run rpm against this root's database; resolves with stdout. */
  rpm(args: string[]): Promise<string>;
  /** The folder of the package files built for it (to install again after removing one, say). */
  readonly rpms: string;
  remove(): Promise<void>;
}

const DBPATH = '/var/lib/rpm';

function specFor(pkg: TestPackage, sourceDir: string): string {
  const lines = pkg.paths.map((p) => {
    const quoted = `"${p.path}"`;
    if (p.kind === 'dir') return `%dir %attr(${(p.mode ?? 0o755).toString(8)},root,root) ${quoted}`;
    if (p.kind === 'symlink') return quoted;
    if (p.kind === 'fifo') return `%attr(${(p.mode ?? 0o644).toString(8)},root,root) ${quoted}`;
    const attr = `%attr(${(p.mode ?? 0o644).toString(8)},root,root)`;
    if (p.ghost) return `%ghost ${attr} ${quoted}`;
    return `${p.config ? '%config(noreplace) ' : ''}${attr} ${quoted}`;
  });
  return [
    `Name: ${pkg.name}`,
    `Version: ${pkg.version ?? '1.0'}`,
    'Release: 1',
    'Summary: cave test package',
    'License: MIT',
    'BuildArch: noarch',
    // Test packages stand alone: no automatic dependencies on the build machine's interpreters.
    'AutoReqProv: no',
    // No post-install rewriting (stripping, compressing, build-id links): the files stay as written.
    '%define __os_install_post %{nil}',
    '%define debug_package %{nil}',
    '%define _build_id_links none',
    '%description',
    'A package built by the cave test suite.',
    '%install',
    `cp -a "${sourceDir}/." "%{buildroot}/"`,
    '%files',
    ...lines,
    '',
  ].join('\n');
}

async function stage(pkg: TestPackage, sourceDir: string): Promise<void> {
  await mkdir(sourceDir, { recursive: true });
  for (const p of pkg.paths) {
    const at = join(sourceDir, p.path);
    await mkdir(dirname(at), { recursive: true });
    if (p.kind === 'dir') await mkdir(at, { recursive: true });
    else if (p.kind === 'symlink') await symlink(p.target, at);
    else if (p.kind === 'fifo') await run('mkfifo', [at]); // cp -a copies it into the build root as a FIFO
    else if (!p.ghost) {
      await writeFile(at, p.content);
      await chmod(at, p.mode ?? 0o644);
    }
  }
}

/**
 * rpm 4.18.0 opens each FIFO it installs with a blocking open and waits for a writer forever
 * (rpm issues #2195 and #2393, fixed in 4.18.1): be that writer for a moment, for as long as
 * the install runs. Returns the function that stops.
 */
function releaseFifoOpens(root: string, packages: TestPackage[]): () => void {
  const fifos = packages.flatMap((p) => p.paths.filter((x) => x.kind === 'fifo').map((x) => join(root, x.path)));
  if (!fifos.length) return () => undefined;
  const timer = setInterval(() => {
    for (const fifo of fifos) {
      let names: string[] = [];
      try {
        names = readdirSync(dirname(fifo)).filter((n) => n.startsWith(`${basename(fifo)};`)); // rpm's temporary name
      } catch {
        continue; // not created yet
      }
      for (const n of names) {
        try {
          closeSync(openSync(join(dirname(fifo), n), constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // ENXIO: rpm has not opened it yet; try again on the next tick.
        }
      }
    }
  }, 20);
  return () => clearInterval(timer);
}

/** Build each package with rpmbuild and install them all into a fresh root with its own database. */
export async function buildRpmRoot(packages: TestPackage[]): Promise<RpmRoot> {
  const work = await mkdtemp(join(tmpdir(), 'cave-rpm-'));
  const top = join(work, 'build');
  const root = join(work, 'root');
  await mkdir(root);
  const rpm = async (args: string[]) =>
    (await run('rpm', ['--root', root, '--dbpath', DBPATH, ...args], { maxBuffer: 256 * 1024 * 1024 })).stdout;
  try {
    await rpm(['--initdb']);
    for (const pkg of packages) {
      const sourceDir = join(top, 'SOURCES', pkg.name);
      await stage(pkg, sourceDir);
      const specFile = join(top, `${pkg.name}.spec`);
      await writeFile(specFile, specFor(pkg, sourceDir));
      await run('rpmbuild', ['--define', `_topdir ${top}`, '-bb', specFile]);
    }
    const rpmsDir = join(top, 'RPMS', 'noarch');
    const files = packages.length ? (await readdir(rpmsDir)).map((f) => join(rpmsDir, f)) : [];
    const stop = releaseFifoOpens(root, packages);
    try {
      if (files.length) await rpm(['-i', '--nodeps', '--noscripts', ...files]);
    } finally {
      stop();
    }
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  return { root, dbpath: DBPATH, rpm, rpms: join(top, 'RPMS', 'noarch'), remove: () => rm(work, { recursive: true, force: true }) };
}
