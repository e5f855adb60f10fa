#!/usr/bin/env node
import { packageVersion } from '../shared/package-version.js';

const usage = `Usage: what-to-backup [OPTIONS] [ROOT...]

Lists what must be backed up from a Linux system: files no package owns, and package files
that changed since they were installed. Folders to save whole are listed once.

Options:
  -h, --help        show this help and exit
  -V, --version     print the version and exit
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(usage);
} else if (args.includes('--version') || args.includes('-V')) {
  process.stdout.write(`what-to-backup ${packageVersion()}\n`);
} else {
  process.stderr.write(`what-to-backup: not runnable yet in this build\n${usage}`);
  process.exitCode = 2;
}
