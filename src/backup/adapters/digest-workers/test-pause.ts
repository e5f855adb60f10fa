/**
 * Test-only: lets a test change a file at a known moment of its hashing, so races between the
 * scanner and a writer are tested deterministically end to end (test/backup/scan/changes-while-hashing.test.ts).
 * Inert unless WHAT_TO_BACKUP_TEST_HASH_PAUSE is set; no user has a reason to set it.
 */
import { existsSync, writeFileSync } from 'node:fs';

/** Where hashing can be held: before the file is opened, or once open and before it is read. */
export type PausePoint = 'open' | 'read';

interface PauseSpec {
  readonly gate: string;
  readonly point: PausePoint;
  readonly paths: readonly string[];
}

const raw = process.env['WHAT_TO_BACKUP_TEST_HASH_PAUSE'];
const spec: PauseSpec | undefined = raw ? (JSON.parse(raw) as PauseSpec) : undefined;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * With WHAT_TO_BACKUP_TEST_HASH_PAUSE=`{"gate":DIR,"point":P,"paths":[HOST PATHS]}`, hashing the
 * path at index N stops at point P: it creates DIR/N.paused and waits (30 s at most) for DIR/N.go.
 */
export function testPause(point: PausePoint, path: Buffer): void {
  if (!spec || spec.point !== point) return;
  const n = spec.paths.indexOf(path.toString('latin1'));
  if (n < 0) return;
  writeFileSync(`${spec.gate}/${n}.paused`, '');
  for (let waited = 0; waited < 30_000 && !existsSync(`${spec.gate}/${n}.go`); waited += 5) Atomics.wait(sleeper, 0, 0, 5);
}
