#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --optimize-for-size --max-inlined-bytecode-size-cumulative=300
/**
 * The `what-to-backup` command: the program (what-to-backup-main.ts) on the process's own streams.
 * V8 is told to favour memory over speed: on a 100,000-file rpm system it kept the peak resident
 * set of every mode under 120 MB (up to 146 MB without), at no measurable cost in time. It also
 * inlines less (920 bytecodes per optimized function by default): a scan runs a second or so, and
 * compiling its large inlined loops took half as much CPU as the walk's own thread, on the core
 * that lists directories; with 300 its compiler threads used half the CPU (none mode 200-240 ->
 * 110-140 ms, --quick 360-450 -> 220-270 ms) and the main thread no more.
 *
 * The program makes no TLS connection, so node is started without NODE_EXTRA_CA_CERTS: with it
 * set, as behind many company proxies, node 20 parses every root certificate at start (50-60 ms
 * of a 0.4 s scan of 100,000 files). Its children (rpm, dpkg) never read it.
 */
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';

// A scan is a batch job: its threads stop preempting each other (batch-scheduling.c).
loadNativeWalker(process.env)?.batchScheduling?.();

// What fails outside the program's promise (a stream's 'error' event) ends the same way as what
// fails inside it: status 2 and one line, since status 1 means "complete, some entries unreadable".
process.on('uncaughtException', (error) => {
  const stack = process.env['WHAT_TO_BACKUP_DEBUG'] ? `${error.stack}\n` : '';
  process.stderr.write(`what-to-backup: internal error: ${error.message.split('\n')[0]} (WHAT_TO_BACKUP_DEBUG=1 shows where)\n${stack}`);
  process.exit(2);
});

// It never rejects: what fails inside it ends as a status. (No top-level await: dist/ is CommonJS, build-dist.mjs.)
void whatToBackup(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((status) => {
  process.exitCode = status;
});
