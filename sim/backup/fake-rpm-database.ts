import { createHash } from 'node:crypto';
import type { Volume } from 'memfs';
import type { OwnedFile, PackageDatabase, PackageDatabasePort } from '#backup/domain/ports/package-database.port.js';
import { VERIFY_ALL, Verify } from '#backup/domain/verify/verify-flags.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';

/** A path a fake package installs. */
export type FakePath =
  | { path: string; kind?: 'file'; content: string; mode?: number; config?: boolean; ghost?: boolean }
  | { path: string; kind: 'dir'; mode?: number }
  | { path: string; kind: 'symlink'; target: string };

export interface FakePackage {
  name: string;
  paths: FakePath[];
}

const GHOST_VERIFY = VERIFY_ALL & ~(Verify.DIGEST | Verify.SIZE | Verify.MTIME | Verify.LINKTO);

/** A package database held in memory; like the real adapter it refuses to load empty. */
export class FakeRpmDatabase implements PackageDatabasePort {
  loads = 0;

  constructor(
    readonly files: OwnedFile[],
    readonly packageCount = new Set(files.map((f) => f.package)).size,
  ) {}

  async load(): Promise<PackageDatabase> {
    this.loads++;
    if (this.packageCount === 0) throw new PackageDatabaseError('the fake rpm database lists no packages');
    return { source: 'fake rpm database', packageCount: this.packageCount, files: this.files };
  }
}

function parentDirs(vol: Volume, path: string): void {
  vol.mkdirSync(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
}

/**
 * Installs packages into a memfs volume as rpm would (files, modes, symlinks; a %ghost is recorded
 * but not created) and returns the database that records them, digests in sha256.
 */
export function installFakePackages(vol: Volume, packages: readonly FakePackage[]): FakeRpmDatabase {
  const files: OwnedFile[] = [];
  for (const pkg of packages) {
    const name = `${pkg.name}-1.0-1.noarch`;
    for (const p of pkg.paths) {
      parentDirs(vol, p.path);
      const base = { path: p.path, package: name, linkTarget: '', user: 'root', group: 'root', rdev: 0, state: 'normal' as const, digestAlgo: 'sha256' as const };
      const flags = { config: false, ghost: false, doc: false, missingOk: false };
      if (p.kind === 'dir') {
        vol.mkdirSync(p.path, { recursive: true, mode: p.mode ?? 0o755 });
        vol.chmodSync(p.path, p.mode ?? 0o755);
        const s = vol.statSync(p.path, { bigint: true });
        files.push({ ...base, size: 4096n, mode: 0o40000 | (p.mode ?? 0o755), digest: '', mtime: s.mtimeMs / 1000n, flags, verifyFlags: VERIFY_ALL });
      } else if (p.kind === 'symlink') {
        if (!vol.existsSync(p.path)) vol.symlinkSync(p.target, p.path);
        const s = vol.lstatSync(p.path, { bigint: true });
        files.push({ ...base, size: BigInt(p.target.length), mode: 0o120777, digest: '', mtime: s.mtimeMs / 1000n, linkTarget: p.target, flags, verifyFlags: VERIFY_ALL });
      } else {
        const mode = p.mode ?? 0o644;
        const bytes = Buffer.from(p.content, 'latin1');
        if (!p.ghost) {
          vol.writeFileSync(p.path, bytes);
          vol.chmodSync(p.path, mode);
        }
        const mtime = p.ghost ? 0n : vol.statSync(p.path, { bigint: true }).mtimeMs / 1000n;
        files.push({
          ...base,
          size: BigInt(bytes.length),
          mode: 0o100000 | mode,
          digest: p.ghost ? '' : createHash('sha256').update(bytes).digest('hex'),
          mtime,
          flags: { ...flags, config: p.config === true, ghost: p.ghost === true },
          verifyFlags: p.ghost ? GHOST_VERIFY : VERIFY_ALL,
        });
      }
    }
  }
  return new FakeRpmDatabase(files, packages.length);
}

