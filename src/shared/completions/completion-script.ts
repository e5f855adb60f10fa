/** `PROGRAM --completions SHELL`: the completion script the build installs, printed by the program. */
import { parseHelpText } from '#shared/help/help-text.js';
import { bashCompletion } from './completion-bash.js';
import { fishCompletion } from './completion-fish.js';
import { completionSpec, type CompletionExtras } from './completion-spec.js';
import { zshCompletion } from './completion-zsh.js';

export { completionShell, completionShells, type CompletionShell, type UnknownShell } from './completion-shell.js';
import type { CompletionShell } from './completion-shell.js';

/** The `shell` completion script of the program whose `--help` prints `help`. */
export function completionScript(shell: CompletionShell, help: string, extras: CompletionExtras): string {
  const spec = completionSpec(parseHelpText(help), extras);
  return shell === 'bash' ? bashCompletion(spec) : shell === 'zsh' ? zshCompletion(spec) : fishCompletion(spec);
}
