/**
 * `node dist/shared/install-files/make-install-files.js`, run by `npm run build`: writes the man pages
 * (`dist/man/*.1`) and the shell completions (`dist/completions/{bash,zsh,fish}/`) of both
 * programs, each made from what the built program's `--help` prints.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installFiles, type ProgramPages } from './install-file-set.js';
import { telepathyCaveCompletionExtras, telepathyCaveManExtras } from '#telepathy/cli/telepathy-cave-page.js';
import { whatToBackupCompletionExtras, whatToBackupManExtras } from '#backup/cli/what-to-backup-page.js';
import { packageVersion } from '#shared/package-version.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = `cave ${packageVersion()}`;
const programs: ProgramPages[] = [
  { bin: 'what-to-backup', man: whatToBackupManExtras(source), completion: whatToBackupCompletionExtras() },
  { bin: 'telepathy-cave', man: telepathyCaveManExtras(source), completion: telepathyCaveCompletionExtras() },
];

for (const program of programs) {
  const help = execFileSync(process.execPath, [join(dist, 'bin', `${program.bin}.js`), '--help'], { encoding: 'utf8' });
  for (const file of installFiles(help, program)) {
    const path = join(dist, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
}
