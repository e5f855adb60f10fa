#!/usr/bin/env node
/** The `what-to-backup` command: the program (what-to-backup-main.ts) on the process's own streams. */
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';

// What fails outside the program's promise (a stream's 'error' event) ends the same way as what
// fails inside it: status 2 and one line, since status 1 means "complete, some entries unreadable".
process.on('uncaughtException', (error) => {
  const stack = process.env['WHAT_TO_BACKUP_DEBUG'] ? `${error.stack}\n` : '';
  process.stderr.write(`what-to-backup: internal error: ${error.message.split('\n')[0]} (WHAT_TO_BACKUP_DEBUG=1 shows where)\n${stack}`);
  process.exit(2);
});

process.exitCode = await whatToBackup(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
