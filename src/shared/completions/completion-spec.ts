/**
 * What a shell should complete for a program, read from its `--help` text: the options, what
 * each one's argument is (a file, a folder, a user, one of a few words), the commands, and what
 * the words without a dash are. The shell renderers (completion-bash.ts, -zsh.ts, -fish.ts) turn
 * one of these into a completion file.
 * @module
 */
import { helpCommands, helpOptions, type HelpText } from '#shared/help/help-text.js';

/** What an option's argument, or a plain word, is completed with. */
export type CompletionArgument =
  | {
      /** A file name. */
      readonly kind: 'file';
    }
  | {
      /** A folder name. */
      readonly kind: 'directory';
    }
  | {
      /** A user name of this machine. */
      readonly kind: 'user';
    }
  | {
      /** One of a fixed set of words. */
      readonly kind: 'values';
      /** The words. */
      readonly values: readonly string[];
    }
  | {
      /** Anything: the shell offers nothing. */
      readonly kind: 'free';
    };

/** One option as completion sees it. */
export interface CompletionOption {
  /** Its flags, short first (`-0`, `--null`). */
  readonly names: readonly string[];
  /** What it does, in one short line (the help text's first clause). */
  readonly description: string;
  /** What its argument is; absent for a flag. */
  readonly argument?: CompletionArgument;
  /** The commands it belongs to; absent when it goes with every command. */
  readonly commands?: readonly string[];
}

/** Everything a completion file needs about one program. */
export interface CompletionSpec {
  /** The program's name, as typed. */
  readonly program: string;
  /** Its options, in help order. */
  readonly options: readonly CompletionOption[];
  /** Its commands (the first word that is not an option); empty when it has none. */
  readonly commands: readonly string[];
  /** The command run when none is given; only options of that command apply then. */
  readonly defaultCommand?: string;
  /** What words without a dash are, after the command. */
  readonly positional: CompletionArgument;
}

/** What the help text cannot say: the words some option arguments are, and the plain words. */
export interface CompletionExtras {
  /** The words an option's argument may be, by long option name (`--package-db`). */
  readonly values: Readonly<Record<string, readonly string[]>>;
  /** What words without a dash are (after the command, if any). */
  readonly positional: CompletionArgument;
}

/** How an argument placeholder of the help text is completed, unless {@link CompletionExtras} lists its words. */
const placeholders: Readonly<Record<string, CompletionArgument>> = {
  FILE: { kind: 'file' },
  LIST: { kind: 'file' },
  DIR: { kind: 'directory' },
  USER: { kind: 'user' },
};

/** The completion spec for the program whose help is `help`. */
export function completionSpec(help: HelpText, extras: CompletionExtras): CompletionSpec {
  const options = helpOptions(help).map((item): CompletionOption => {
    const long = item.names.find((n) => n.startsWith('--')) ?? (item.names[0] as string);
    const values = extras.values[long];
    const argument: CompletionArgument | undefined =
      item.argument === undefined ? undefined : values !== undefined ? { kind: 'values', values } : (placeholders[item.argument] ?? { kind: 'free' });
    return {
      names: item.names,
      description: shortDescription(item.text),
      ...(argument === undefined ? {} : { argument }),
      ...(item.command === undefined ? {} : { commands: [item.command] }),
    };
  });
  const commandItems = helpCommands(help);
  const defaultItem = commandItems.find((c) => c.names.includes('(none)'));
  const defaultCommand = defaultItem?.names.find((n) => n !== '(none)');
  for (const word of [...Object.values(extras.values).flat(), ...options.flatMap((o) => o.names)]) assertWord(word);
  return {
    program: help.program,
    options,
    commands: commandItems.flatMap((c) => c.names.filter((n) => n !== '(none)')),
    ...(defaultCommand === undefined ? {} : { defaultCommand }),
    positional: extras.positional,
  };
}

/** Whether `option` may be given with `command` (undefined: no command was typed). */
export function optionApplies(spec: CompletionSpec, option: CompletionOption, command: string | undefined): boolean {
  const current = command ?? spec.defaultCommand;
  return option.commands === undefined || current === undefined || option.commands.includes(current);
}

/** The first clause of `text`, without a leading `(command)`: short enough for a menu. */
function shortDescription(text: string): string {
  const clause = text.replace(/^\(\w+\) /, '').split(/[;:]\s|\s\(/)[0] as string;
  return clause.replace(/[.,]$/, '');
}

/** Words go into shell scripts unquoted: keep them to letters, digits and `._-`. */
function assertWord(word: string): void {
  if (!/^[\w.-]+$/.test(word)) throw new Error(`completion: ${JSON.stringify(word)} is not a plain word`);
}
