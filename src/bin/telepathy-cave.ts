#!/usr/bin/env node
import { packageVersion } from '../shared/package-version.js';

const usage = `Usage: telepathy-cave [COMMAND] [OPTIONS]

A Telepathy connection manager named "cave" with one protocol, "echo": every message you
send in a conversation comes straight back to you.

Commands:
  (none)            run the connection manager on the session bus (DBUS_SESSION_BUS_ADDRESS)

Options:
  -h, --help        show this help and exit
  -V, --version     print the version and exit
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(usage);
} else if (args.includes('--version') || args.includes('-V')) {
  process.stdout.write(`telepathy-cave ${packageVersion()}\n`);
} else {
  process.stderr.write(`telepathy-cave: not runnable yet in this build\n${usage}`);
  process.exitCode = 2;
}
