import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One path a test .deb installs; `path` is a byte string (one character per byte). */
export type DebPath =
  | { path: string; kind?: 'file'; content: string; mode?: number; config?: boolean }
  | { path: string; kind: 'dir' }
  | { path: string; kind: 'symlink'; target: string };

export interface DebPackage {
  name: string;
  version?: string;
  /** `all` by default; with `multiArchSame` dpkg names the package `name:arch`. */
  architecture?: string;
  multiArchSame?: boolean;
  paths: DebPath[];
}

/** A diversion set up with dpkg-divert before the packages are installed; no `by` = local. */
export interface DebDiversion {
  from: string;
  to: string;
  by?: string;
}

export interface DebRootOptions {
  /** Make `/bin`, `/sbin`, `/lib` symlinks into `/usr`, as merged-/usr Debian does. */
  usrMerge?: boolean;
  diversions?: DebDiversion[];
}

/** A temporary system root with its own real dpkg database in `ROOT/var/lib/dpkg`. */
export interface DebRoot {
  readonly root: string;
  readonly admindir: string;
  /** Runs dpkg (or dpkg-query / dpkg-divert) against this root; resolves with stdout, exit status and stderr. */
  run(program: 'dpkg' | 'dpkg-query' | 'dpkg-divert', args: string[]): Promise<{ stdout: Buffer; stderr: string; code: number }>;
  /** Builds and installs more packages, or new versions of installed ones (an upgrade). */
  install(packages: DebPackage[]): Promise<void>;
  remove(): Promise<void>;
}

const bytes = (path: string) => Buffer.from(path, 'latin1');

async function stage(pkg: DebPackage, dir: string): Promise<void> {
  const sums: Buffer[] = [];
  const conffiles: Buffer[] = [];
  for (const p of pkg.paths) {
    // The temporary directory is ASCII, so the host path as a byte string converts back exactly.
    const host = `${dir}${p.path}`;
    const at = bytes(host);
    await mkdir(bytes(dirname(host)), { recursive: true });
    if (p.kind === 'dir') await mkdir(at, { recursive: true });
    else if (p.kind === 'symlink') await symlink(bytes(p.target), at);
    else {
      await writeFile(at, bytes(p.content));
      await chmod(at, p.mode ?? 0o644);
      // As debhelper does: conffiles are checked through the status file, not .md5sums.
      if (p.config) conffiles.push(bytes(`${p.path}\n`));
      else sums.push(Buffer.concat([bytes(`${createHash('md5').update(bytes(p.content)).digest('hex')}  `), bytes(`${p.path.slice(1)}\n`)]));
    }
  }
  const control = join(dir, 'DEBIAN');
  await mkdir(control, { recursive: true });
  const fields = [
    `Package: ${pkg.name}`,
    `Version: ${pkg.version ?? '1.0'}`,
    `Architecture: ${pkg.architecture ?? 'all'}`,
    ...(pkg.multiArchSame ? ['Multi-Arch: same'] : []),
    'Maintainer: cave tests <cave@example.invalid>',
    'Description: a package built by the cave test suite',
  ];
  await writeFile(join(control, 'control'), `${fields.join('\n')}\n`);
  if (sums.length) await writeFile(join(control, 'md5sums'), Buffer.concat(sums));
  if (conffiles.length) await writeFile(join(control, 'conffiles'), Buffer.concat(conffiles));
}

/** Builds each package with `dpkg-deb --build` and installs them all into a fresh root with dpkg --root. */
export async function buildDebRoot(packages: DebPackage[], options: DebRootOptions = {}): Promise<DebRoot> {
  const work = await mkdtemp(join(tmpdir(), 'cave-deb-'));
  const root = join(work, 'root');
  const admindir = join(root, 'var/lib/dpkg');
  const runIn = async (program: string, args: string[]) => {
    const rootArgs = program === 'dpkg-query' ? [`--admindir=${admindir}`] : [`--root=${root}`, `--admindir=${admindir}`];
    try {
      const r = await run(program, [...rootArgs, ...args], { encoding: 'buffer', maxBuffer: 1 << 28 });
      return { stdout: r.stdout, stderr: r.stderr.toString(), code: 0 };
    } catch (error) {
      const e = error as { code?: unknown; stdout?: Buffer; stderr?: Buffer };
      if (typeof e.code !== 'number') throw error;
      return { stdout: e.stdout ?? Buffer.alloc(0), stderr: e.stderr?.toString() ?? '', code: e.code };
    }
  };
  const must = async (program: string, args: string[]) => {
    const r = await runIn(program, args);
    if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  };
  let builds = 0;
  const install = async (pkgs: DebPackage[]) => {
    const debs: string[] = [];
    for (const pkg of pkgs) {
      const dir = join(work, 'build', `${builds++}-${pkg.name}`);
      await stage(pkg, dir);
      const deb = `${dir}.deb`;
      await run('dpkg-deb', ['--build', '--root-owner-group', dir, deb]);
      debs.push(deb);
    }
    // Not root-owned paths of the host, no maintainer scripts in a chroot, no dependencies to satisfy.
    const force = ['--force-not-root', '--force-script-chrootless', '--force-depends', '--log=/dev/null'];
    if (debs.length) await must('dpkg', [...force, '--install', ...debs]);
  };
  try {
    await mkdir(join(admindir, 'info'), { recursive: true });
    await mkdir(join(admindir, 'updates'), { recursive: true });
    await writeFile(join(admindir, 'status'), '');
    await writeFile(join(admindir, 'available'), '');
    if (options.usrMerge) {
      for (const dir of ['bin', 'sbin', 'lib']) {
        await mkdir(join(root, 'usr', dir), { recursive: true });
        await symlink(`usr/${dir}`, join(root, dir));
      }
    }
    for (const d of options.diversions ?? []) {
      await must('dpkg-divert', [...(d.by ? ['--package', d.by] : ['--local']), '--no-rename', '--divert', d.to, '--add', d.from]);
    }
    await install(packages);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  return { root, admindir, run: runIn, install, remove: () => rm(work, { recursive: true, force: true }) };
}
