/**
 * A fish completion file from a {@link CompletionSpec}: install it as
 * `~/.config/fish/completions/PROGRAM.fish`.
 * @module
 */
import type { CompletionArgument, CompletionOption, CompletionSpec } from '#shared/completions/completion-spec.js';

/** The fish completion file for `spec`. */
export function fishCompletion(spec: CompletionSpec): string {
  const c = `complete -c ${spec.program}`;
  const lines = [`# fish completion for ${spec.program}; generated from its --help, do not edit.`];
  if (spec.commands.length > 0) {
    lines.push(`${c} -f -n '__fish_use_subcommand' -a '${spec.commands.join(' ')}'`);
  } else {
    lines.push(`${c} ${positional(spec.positional)}`);
  }
  for (const option of spec.options) lines.push(`${c}${condition(spec, option)}${flags(option)}${argument(option.argument)} -d '${escape(option.description)}'`);
  return `${lines.join('\n')}\n`;
}

function condition(spec: CompletionSpec, option: CompletionOption): string {
  if (option.commands === undefined || spec.commands.length === 0) return '';
  const others = spec.commands.filter((c) => !option.commands?.includes(c));
  const chosen = option.commands.filter((c) => spec.commands.includes(c));
  // With no command typed the default one runs, so its options apply then too.
  if (spec.defaultCommand !== undefined && option.commands.includes(spec.defaultCommand)) return ` -n 'not __fish_seen_subcommand_from ${others.join(' ')}'`;
  return ` -n '__fish_seen_subcommand_from ${chosen.join(' ')}'`;
}

function flags(option: CompletionOption): string {
  return option.names.map((n) => (n.startsWith('--') ? ` -l ${n.slice(2)}` : ` -s ${n.slice(1)}`)).join('');
}

function argument(value: CompletionArgument | undefined): string {
  if (value === undefined) return '';
  switch (value.kind) {
    case 'file':
      return ' -r -F';
    case 'directory':
      return " -x -a '(__fish_complete_directories)'";
    case 'user':
      return " -x -a '(__fish_complete_users)'";
    case 'values':
      return ` -x -a '${value.values.join(' ')}'`;
    case 'free':
      return ' -x';
  }
}

function positional(value: CompletionArgument): string {
  return value.kind === 'directory' ? "-f -a '(__fish_complete_directories)'" : value.kind === 'file' ? '-F' : '-f';
}

/** Text inside single quotes in fish: `\` and `'` escaped. */
function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
