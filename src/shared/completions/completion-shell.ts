/**
 * The `--completions SHELL` argument, apart from the scripts: checking it loads none of them
 * (a program's start-up loads this file on every run).
 * @module
 */
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
