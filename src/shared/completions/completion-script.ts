/** `PROGRAM --completions SHELL`: the completion script the build installs, printed by the program. */
import { parseHelpText } from '#shared/help/help-text.js';
import { bashCompletion } from './completion-bash.js';
import { fishCompletion } from './completion-fish.js';
import { completionSpec, type CompletionExtras } from './completion-spec.js';
import { zshCompletion } from './completion-zsh.js';

/** The shells there is a completion script for. */
export const completionShells = ['bash', 'zsh', 'fish'] as const;

/** One of {@link completionShells}. */
export type CompletionShell = (typeof completionShells)[number];

/** A `--completions` argument that names no shell. */
export interface UnknownShell {
  /** What the argument must be, for the user. */
  readonly error: string;
}

/** The `--completions` argument checked: the shell, or the message saying what it must be. */
export function completionShell(value: string | undefined): CompletionShell | UnknownShell {
  if ((completionShells as readonly (string | undefined)[]).includes(value)) return value as CompletionShell;
  return { error: `--completions must be bash, zsh or fish, not ${JSON.stringify(value ?? '')}` };
}

/** The `shell` completion script of the program whose `--help` prints `help`. */
export function completionScript(shell: CompletionShell, help: string, extras: CompletionExtras): string {
  const spec = completionSpec(parseHelpText(help), extras);
  return shell === 'bash' ? bashCompletion(spec) : shell === 'zsh' ? zshCompletion(spec) : fishCompletion(spec);
}
