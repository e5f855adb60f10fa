/**
 * A zsh completion function from a {@link CompletionSpec}, for `_arguments`: install it as
 * `_PROGRAM` in a folder of `$fpath` (e.g. `~/.local/share/zsh/site-functions`), then run
 * `compinit`.
 * @module
 */
import type { CompletionArgument, CompletionOption, CompletionSpec } from '#shared/completions/completion-spec.js';

/** The zsh completion file (`#compdef`) for `spec`. */
export function zshCompletion(spec: CompletionSpec): string {
  const specs = spec.options.map(optionSpec);
  if (spec.commands.length > 0) specs.push(`'1:command:(${spec.commands.join(' ')})'`);
  specs.push(`'*:${spec.commands.length > 0 ? 'argument' : 'root'}:${action(spec.positional)}'`);
  const lines = [`#compdef ${spec.program}`, `# zsh completion for ${spec.program}; generated from its --help, do not edit.`, '_arguments -s -S \\', ...specs.map((s, i) => `  ${s}${i < specs.length - 1 ? ' \\' : ''}`)];
  return `${lines.join('\n')}\n`;
}

function optionSpec(option: CompletionOption): string {
  const names = option.names;
  const exclusive = names.length > 1 ? `'(${names.join(' ')})'` : '';
  const repeat = /may be given several times/.test(option.description) ? "'*'" : '';
  const flags = names.length > 1 ? `{${names.join(',')}}` : (names[0] as string);
  const long = option.argument !== undefined && names.some((n) => n.startsWith('--')) ? '=' : '';
  const argument = option.argument === undefined ? '' : `:${argumentName(option.argument)}:${action(option.argument)}`;
  return `${repeat}${exclusive}${flags}'${long}[${escape(option.description)}]${argument}'`;
}

function argumentName(argument: CompletionArgument): string {
  return argument.kind === 'values' ? 'value' : argument.kind;
}

function action(argument: CompletionArgument): string {
  switch (argument.kind) {
    case 'file':
      return '_files';
    case 'directory':
      return '_files -/';
    case 'user':
      return '_users';
    case 'values':
      return `(${argument.values.join(' ')})`;
    case 'free':
      return ' ';
  }
}

/** Text inside `'...[text]'`: no quote, and brackets and colons escaped for _arguments. */
function escape(text: string): string {
  return text.replace(/'/g, "'\\''").replace(/([[\]:\\])/g, '\\$1');
}
