/**
 * A bash completion file from a {@link CompletionSpec}: plain bash (`complete -F`), so it works
 * with or without the bash-completion package; install it as
 * `~/.local/share/bash-completion/completions/PROGRAM`, or source it from `~/.bashrc`.
 * @module
 */
import { optionApplies, type CompletionArgument, type CompletionSpec } from '#shared/completions/completion-spec.js';

/** The bash completion script for `spec`. */
export function bashCompletion(spec: CompletionSpec): string {
  const fn = `_${spec.program.replace(/\W/g, '_')}_complete`;
  const lines = [
    `# bash completion for ${spec.program}; generated from its --help, do not edit.`,
    `${fn}() {`,
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i word command=',
    '  # --opt=value: bash splits at "=", so the option is one word further back.',
    '  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi',
    '  case $prev in',
    ...argumentCases(spec),
    '  esac',
    ...commandScan(spec),
    '  if [[ $cur == -* ]]; then',
    '    case $command in',
    ...optionCases(spec),
    '    esac',
    '    return',
    '  fi',
    ...positionalLines(spec),
    '}',
    `complete -F ${fn} ${spec.program}`,
  ];
  return `${lines.join('\n')}\n`;
}

function argumentCases(spec: CompletionSpec): string[] {
  const cases: string[] = [];
  for (const option of spec.options) {
    if (option.argument === undefined) continue;
    cases.push(`    ${option.names.join('|')})`, `      ${reply(option.argument)}`, '      return ;;');
  }
  return cases;
}

function commandScan(spec: CompletionSpec): string[] {
  if (spec.commands.length === 0) return [];
  return [
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    word=${COMP_WORDS[i]}',
    `    case $word in ${spec.commands.join('|')}) command=$word; break ;; esac`,
    '  done',
  ];
}

function optionCases(spec: CompletionSpec): string[] {
  const cases = spec.commands.map((command) => `      ${command}) ${words(optionsFor(spec, command))} ;;`);
  cases.push(`      *) ${words(optionsFor(spec, undefined))} ;;`);
  return cases;
}

function optionsFor(spec: CompletionSpec, command: string | undefined): string[] {
  return spec.options.filter((o) => optionApplies(spec, o, command)).flatMap((o) => o.names.filter((n) => n.startsWith('--')));
}

function positionalLines(spec: CompletionSpec): string[] {
  if (spec.commands.length === 0) return [`  ${reply(spec.positional)}`];
  return ['  if [[ -z $command ]]; then', `    ${words(spec.commands)}`, '  else', `    ${reply(spec.positional)}`, '  fi'];
}

function reply(argument: CompletionArgument): string {
  switch (argument.kind) {
    case 'file':
      return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur")';
    case 'directory':
      return 'compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur")';
    case 'user':
      return 'mapfile -t COMPREPLY < <(compgen -u -- "$cur")';
    case 'values':
      return words(argument.values);
    case 'free':
      return 'COMPREPLY=()';
  }
}

function words(list: readonly string[]): string {
  return `mapfile -t COMPREPLY < <(compgen -W '${list.join(' ')}' -- "$cur")`;
}
