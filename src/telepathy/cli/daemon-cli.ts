import type { InstallTarget } from './daemon-install.js';
import { completionShell, type CompletionShell } from '#shared/completions/completion-script.js';

/** What `telepathy-cave` was asked to do, read from its arguments. */
export type CaveCommand =
  | {
      /** Print the usage text. */
      readonly kind: 'help';
    }
  | {
      /** Print the version. */
      readonly kind: 'version';
    }
  | {
      /** Print a shell's completion script. */
      readonly kind: 'completions';
      /** Which shell's. */
      readonly shell: CompletionShell;
    }
  | {
      /** Serve the session bus as the connection manager. */
      readonly kind: 'run';
      /** Exit after this long without connections; undefined: keep running (`--persist`). */
      readonly idleExitMs: number | undefined;
      /** Log every call and signal to stderr. */
      readonly verbose: boolean;
    }
  | {
      /** Write the manager and D-Bus activation files. */
      readonly kind: 'install';
      /** Where they go. */
      readonly target: InstallTarget;
    }
  | {
      /** Show an echo conversation. */
      readonly kind: 'demo';
      /** Chat with lines typed on stdin instead of the built-in script. */
      readonly interactive: boolean;
      /** `--verbose` was given (or CAVE_DEBUG); passed on to the demo. */
      readonly verbose: boolean;
    }
  | {
      /** The arguments make no sense; say why and exit with an error. */
      readonly kind: 'error';
      /** What was wrong, for the user. */
      readonly message: string;
    };

/** Real connection managers leave a few seconds after their last connection. */
export const defaultIdleExitSeconds = 5;

/** The `--help` text. */
export const usage = `Usage: telepathy-cave [COMMAND] [OPTIONS]

A Telepathy connection manager named "cave" with one protocol, "echo": every message you
send in a conversation comes straight back to you.

Commands:
  (none), run       run the connection manager on the session bus (DBUS_SESSION_BUS_ADDRESS);
                    D-Bus activation starts it this way
  install           install cave.manager, the D-Bus activation file, the im-echo icon
                    and the account profiles desktops read
  demo              show an echo conversation, on a private bus if none is given

Options:
  --persist         (run) keep running with no connections
  --idle-exit SECS  (run) exit after SECS seconds without connections (default ${defaultIdleExitSeconds})
  --user            (install) under $XDG_DATA_HOME, or ~/.local/share (default)
  --prefix DIR      (install) under DIR/share
  --interactive     (demo) type lines and see them echoed
  -v, --verbose     log every call and signal to stderr (or set CAVE_DEBUG=1)
  -h, --help        show this help and exit
  -V, --version     print the version and exit
  --completions SHELL  print the completion script for SHELL (bash, zsh or fish) and exit
`;

/** Read the command line; `debugFromEnv` (CAVE_DEBUG) turns verbose on by default. */
export function parseArguments(args: readonly string[], debugFromEnv: boolean): CaveCommand {
  if (args.includes('--help') || args.includes('-h')) return { kind: 'help' };
  if (args.includes('--version') || args.includes('-V')) return { kind: 'version' };
  const asked = args.findIndex((arg) => arg === '--completions' || arg.startsWith('--completions='));
  if (asked >= 0) {
    const shell = completionShell(args[asked]!.includes('=') ? args[asked]!.slice('--completions='.length) : args[asked + 1]);
    return typeof shell === 'object' ? { kind: 'error', message: shell.error } : { kind: 'completions', shell };
  }
  const [first, ...rest] = args;
  const command = first === undefined || first.startsWith('-') ? 'run' : first;
  const options = command === first ? rest : args;
  if (!['run', 'install', 'demo'].includes(command)) return { kind: 'error', message: `unknown command: ${command}` };
  let verbose = debugFromEnv;
  let idleExitMs: number | undefined = defaultIdleExitSeconds * 1000;
  let target: InstallTarget = { kind: 'user' };
  let interactive = false;
  for (let i = 0; i < options.length; i++) {
    const option = options[i] as string;
    const [name, inline] = option.startsWith('--') && option.includes('=') ? [option.slice(0, option.indexOf('=')), option.slice(option.indexOf('=') + 1)] : [option, undefined];
    const value = () => inline ?? options[++i];
    if (name === '--verbose' || name === '-v') verbose = true;
    else if (command === 'run' && name === '--persist') idleExitMs = undefined;
    else if (command === 'run' && name === '--idle-exit') {
      const text = value();
      const seconds = Number(text);
      if (text === undefined || text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) return { kind: 'error', message: `--idle-exit needs a number of seconds, not ${JSON.stringify(text ?? '')}` };
      idleExitMs = Math.round(seconds * 1000);
    } else if (command === 'install' && name === '--user') target = { kind: 'user' };
    else if (command === 'install' && name === '--prefix') {
      const dir = value();
      if (!dir) return { kind: 'error', message: '--prefix needs a folder' };
      target = { kind: 'prefix', prefix: dir };
    } else if (command === 'demo' && name === '--interactive') interactive = true;
    else return { kind: 'error', message: `unknown option for ${command}: ${option}` };
  }
  switch (command) {
    case 'run':
      return { kind: 'run', idleExitMs, verbose };
    case 'install':
      return { kind: 'install', target };
    default:
      return { kind: 'demo', interactive, verbose };
  }
}
