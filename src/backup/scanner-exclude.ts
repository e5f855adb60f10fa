/**
 * `--exclude-from` patterns in gitignore syntax, matched against absolute byte-string paths of the
 * scanned system (its `/` is the top, like a repository's root): `*.tmp`, `/var/cache/`,
 * `/home/*\/.cache/`, `**\/node_modules/`, `!keep.tmp`. Hand-written: a few dozen lines, no dependency.
 */

interface Rule {
  readonly regex: RegExp;
  readonly negated: boolean;
  readonly directoryOnly: boolean;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** A glob (no leading or trailing slash handling) as a regex body; `*` and `?` stop at `/`. */
function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const slashBefore = i === 0 || glob[i - 1] === '/';
      if (slashBefore && slashAfter) {
        out += '(?:.*/)?';
        i += 2;
      } else if (slashBefore && i + 2 === glob.length) {
        out += '.*';
        i += 1;
      } else {
        out += '[^/]*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeChar(glob[++i]!);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const inside = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${inside}]`;
        i = end;
      }
    } else out += escapeChar(c);
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
  const anchored = line.includes('/');
  line = line.replace(/^\/+/, '');
  const body = globBody(line);
  const regex = new RegExp(anchored ? `^/${body}$` : `(?:^|/)${body}$`, 's');
  return { regex, negated, directoryOnly };
}

/** A matcher for the given gitignore-style text: true when the path is to be left out. */
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
