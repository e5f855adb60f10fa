#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '#shared/package-version.js';
import { parseArguments, usage } from '#telepathy/cli/daemon-cli.js';
import { completionScript } from '#shared/completions/completion-script.js';
import { telepathyCaveCompletionExtras } from '#telepathy/cli/telepathy-cave-page.js';
import { install } from '#telepathy/cli/daemon-install.js';
import { createDaemonLog, debugFromEnvironment } from '#telepathy/cli/daemon-log.js';
import { busAddress, echoDelayFromEnvironment, runDaemon } from '#telepathy/cli/daemon.js';

async function main(): Promise<number> {
  const command = parseArguments(process.argv.slice(2), debugFromEnvironment(process.env));
  switch (command.kind) {
    case 'help':
      process.stdout.write(usage);
      return 0;
    case 'version':
      process.stdout.write(`telepathy-cave ${packageVersion()}\n`);
      return 0;
    case 'completions':
      process.stdout.write(completionScript(command.shell, usage, telepathyCaveCompletionExtras()));
      return 0;
    case 'error':
      process.stderr.write(`telepathy-cave: ${command.message}\n\n${usage}`);
      return 2;
    case 'install': {
      // Activation runs this same file with this same node, wherever it was installed.
      const self = realpathSync(fileURLToPath(import.meta.url));
      const written = await install(command.target, [process.execPath, self], process.env);
      for (const path of written) process.stdout.write(`installed ${path}\n`);
      return 0;
    }
    case 'demo': {
      const { runDemo } = await import('#telepathy/cli/daemon-demo.js');
      return runDemo({ interactive: command.interactive, verbose: command.verbose });
    }
    case 'run':
      return runDaemon({ address: busAddress(process.env), idleExitMs: command.idleExitMs, echoDelayMs: echoDelayFromEnvironment(process.env), log: createDaemonLog(command.verbose) });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`telepathy-cave: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
