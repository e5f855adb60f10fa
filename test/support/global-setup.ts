import { mkdirSync, rmSync } from 'node:fs';
import { processCoverageDir } from './child-env.js';

/** Spawned daemons and CLIs write V8 coverage here; `npm test` turns it into a c8 report. */
export default function setup(): void {
  rmSync(processCoverageDir, { recursive: true, force: true });
  mkdirSync(processCoverageDir, { recursive: true });
}
