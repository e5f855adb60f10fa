#!/usr/bin/env node
/** The `what-to-backup` command: the program (what-to-backup-main.ts) on the process's own streams. */
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';

process.exitCode = await whatToBackup(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
