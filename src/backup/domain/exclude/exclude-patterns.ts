/**
 * `--exclude-from` patterns in gitignore syntax, matched against absolute byte-string paths of the
 * scanned system (its `/` is the top, like a repository's root): `*.tmp`, `/var/cache/`,
 * `/home/*\/.cache/`, `**\/node_modules/`, `!keep.tmp`.
 *
 * Gitignore's own rules (comments, `!`, trailing `/`, where a pattern is anchored) live here; each
 * pattern is then rewritten into the rules glob syntax and compiled by `compileGlob` (rules/glob.ts), so both
 * kinds of pattern share one matcher for `*`, `?`, `[...]` and `**`.
 * @module
 */
import { compileGlob } from '#backup/domain/rules/glob.js';

interface Rule {
  readonly regex: RegExp;
  readonly negated: boolean;
  readonly directoryOnly: boolean;
}

/** One pattern byte as a rules-glob `\xHH` escape: literal in every position, and byte-exact. */
function hexByte(byte: string): string {
  return `\\x${byte.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A byte kept as is when it is a letter, digit or one of `keep`; any other becomes an escape. */
function plainByte(byte: string, keep: RegExp): string {
  return /[A-Za-z0-9_]/.test(byte) || keep.test(byte) ? byte : hexByte(byte);
}

/**
 * A gitignore glob (a byte string) in rules-glob syntax. The two differ in escapes (gitignore's
 * `\x` is a literal `x`, rules' `\xHH` a byte), in an unclosed `[` (literal in gitignore), and in
 * bytes above 0x7f (rules patterns are text encoded as UTF-8; these are raw bytes already).
 */
function toRulesGlob(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) out += hexByte(glob[++i]!);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += hexByte(c);
      else {
        out += '[';
        for (let j = i + 1; j < end; j++) {
          const inside = glob[j]!;
          if (inside === '\\' && j + 1 < end) out += hexByte(glob[++j]!);
          else out += plainByte(inside, /[!^-]/);
        }
        out += ']';
        i = end;
      }
    } else out += plainByte(c, /[*?/]/);
  }
  return out;
}

function parseLine(raw: string): Rule | undefined {
  let line = raw.replace(/\r$/, '');
  if (line === '' || line.startsWith('#')) return undefined;
  line = line.replace(/(?<!\\)\s+$/, '');
  const negated = line.startsWith('!');
  if (negated) line = line.slice(1);
  else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
  const directoryOnly = line.endsWith('/');
  if (directoryOnly) line = line.replace(/\/+$/, '');
  if (line === '') return undefined;
  // A slash anywhere anchors the pattern to the top; without one it matches a name at any depth.
  const anchored = line.includes('/');
  const glob = toRulesGlob(line.replace(/^\/+/, '').replace(/\/{2,}/g, '/'));
  try {
    const { regex } = compileGlob(anchored ? `/${glob}` : `/**/${glob}`);
    return { regex, negated, directoryOnly };
  } catch {
    // compileGlob throws only GlobError; like git, a pattern it cannot parse (`[!]`) matches nothing.
    return undefined;
  }
}

/** A matcher for the given gitignore-style text (a byte string): true when the path is to be left out. */
export function excludeMatcher(text: string): (path: string, isDirectory: boolean) => boolean {
  const rules = text.split('\n').map(parseLine).filter((r): r is Rule => r !== undefined);
  return (path, isDirectory) => {
    let excluded = false;
    for (const rule of rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.regex.test(path)) excluded = !rule.negated;
    }
    return excluded;
  };
}
