/** Every file installed for one program beside its code: its man page and its three completions. */
import { completionScript } from '#shared/completions/completion-script.js';
import type { CompletionExtras } from '#shared/completions/completion-spec.js';
import { parseHelpText } from '#shared/help/help-text.js';
import { renderManPage, type ManExtras } from '#shared/help/man-page.js';

/** One program: its command name and what its pages say beyond `--help`. */
export interface ProgramPages {
  /** The command, as installed (`what-to-backup`). */
  readonly bin: string;
  /** The man page's hand-written sections. */
  readonly man: ManExtras;
  /** What completion needs beyond `--help`. */
  readonly completion: CompletionExtras;
}

/** A file to write, relative to `dist/`. */
export interface InstallFile {
  /** Where, e.g. `man/what-to-backup.1`. */
  readonly path: string;
  /** Its content. */
  readonly text: string;
}

/** The man page and the bash, zsh and fish completions of `program`, whose `--help` prints `help`. */
export function installFiles(help: string, program: ProgramPages): InstallFile[] {
  const parsed = parseHelpText(help);
  if (parsed.program !== program.bin) throw new Error(`${program.bin} --help names ${parsed.program}`);
  return [
    { path: `man/${program.bin}.1`, text: renderManPage(parsed, program.man) },
    { path: `completions/bash/${program.bin}`, text: completionScript('bash', help, program.completion) },
    { path: `completions/zsh/_${program.bin}`, text: completionScript('zsh', help, program.completion) },
    { path: `completions/fish/${program.bin}.fish`, text: completionScript('fish', help, program.completion) },
  ];
}
