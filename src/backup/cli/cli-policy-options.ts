/**
 * Command-line options for what the user wants beyond the scan itself: rules, `--readable-by`
 * and `--already-covered`. Kept apart from cli-options.ts, which spreads them in.
 */

/**
 * parseArgs specifications of the options (spread into the program's own).
 *
 * @internal Parser plumbing, not API: {@link policyUsage} says what each option does.
 */
export const policyArgs = {
  rules: { type: 'string', multiple: true },
  'rules-plugin': { type: 'string', multiple: true },
  'no-builtin-rules': { type: 'boolean' },
  'rules-off': { type: 'string', multiple: true },
  'readable-by': { type: 'string' },
  'already-covered': { type: 'string' },
} as const;

/** Help text lines for the options, in the style of the program's usage. */
export const policyUsage = `\
      --rules FILE      apply the rules in FILE (skip, save, diff, dump; see docs/rules.md);
                        may be given several times, later rules win
      --rules-plugin FILE  apply the rules a plugin module gives (.js, or .ts with its
                        types stripped in memory); may be given several times
      --no-builtin-rules  do not apply the built-in rules (caches, /tmp, package caches,
                        databases, browser profiles, Python bytecode)
      --rules-off NAME  switch off the rules called NAME (e.g. caches, postgresql)
      --readable-by USER  flag every entry to back up that USER could not read (USER's
                        uid and groups from the scanned system's /etc/passwd, /etc/group)
      --already-covered LIST  print only what LIST (a user's what-to-backup list: text,
                        -0 or --json) does not already back up
`;

/** The options as parsed: see {@link policyUsage} for what each means. */
export interface PolicyOptions {
  /** `--rules FILE`, in command-line order. */
  readonly rulesFiles: readonly string[];
  /** `--rules-plugin FILE`, in command-line order. */
  readonly rulesPlugins: readonly string[];
  /** `--no-builtin-rules`. */
  readonly noBuiltinRules: boolean;
  /** `--rules-off NAME`, every name given. */
  readonly rulesOff: readonly string[];
  /** `--readable-by USER`; undefined when not given. */
  readonly readableBy: string | undefined;
  /** `--already-covered LIST`: the list file; undefined when not given. */
  readonly alreadyCovered: string | undefined;
}

interface PolicyValues {
  readonly rules?: string[] | undefined;
  readonly 'rules-plugin'?: string[] | undefined;
  readonly 'no-builtin-rules'?: boolean | undefined;
  readonly 'rules-off'?: string[] | undefined;
  readonly 'readable-by'?: string | undefined;
  readonly 'already-covered'?: string | undefined;
}

/** The policy options from parseArgs values. */
export function policyOptions(values: PolicyValues): PolicyOptions {
  return {
    rulesFiles: values.rules ?? [],
    rulesPlugins: values['rules-plugin'] ?? [],
    noBuiltinRules: values['no-builtin-rules'] === true,
    rulesOff: values['rules-off'] ?? [],
    readableBy: values['readable-by'],
    alreadyCovered: values['already-covered'],
  };
}
