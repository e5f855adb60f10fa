/**
 * Path patterns for rules, compiled to regular expressions over byte-string paths.
 *
 * - `/var/cache/` — an absolute pattern; a trailing `/` matches directories only.
 * - `~/.cache/` — `~` stands for every home directory (by default `/root` and `/home/*`).
 * - `*.sqlite` — a bare name (no `/`) matches that name in any directory.
 * - `*` and `?` match within one name, `[a-z]` / `[!a-z]` one byte of a set, `**` as a whole name
 *   any number of directories (`/srv/**` is everything below /srv, not /srv itself).
 * - `\` makes the next character literal; `\xHH` is one raw byte (names that are not UTF-8).
 *
 * A pattern matches the entry itself; what is below a matched directory follows it by inheritance
 * (see rule-engine.ts), so `skip /var/cache/` covers everything in /var/cache.
 */
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';

/** A mistake in a pattern, at `offset` (0-based, in characters of the pattern). */
export class GlobError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'GlobError';
  constructor(
    message: string,
    /** Where in the pattern the mistake is. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A pattern ready to match byte-string paths. */
export interface CompiledGlob {
  /** Matches a whole absolute byte-string path. */
  readonly regex: RegExp;
  /** True when the pattern ended in `/`: it matches directories only. */
  readonly directoryOnly: boolean;
  /**
   * The first names (as bytes) a matching path can start with, e.g. `['var']` for `/var/cache/`;
   * undefined when any (a bare name, or a wildcard there). Lets a rule set skip most rules fast.
   */
  readonly firstNames: readonly string[] | undefined;
  /**
   * Bytes every matching path ends with (the pattern's literal tail, e.g. `.sqlite` for
   * `*.sqlite`; may be empty): a cheap test before the regex, which measured costly on every entry.
   */
  readonly suffix: string;
}

/** The first name of an absolute path (`''` for the root): what {@link CompiledGlob.firstNames} lists. */
export function firstNameOf(path: string): string {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? path.slice(1) : path.slice(1, slash);
}

/** The literal first name of an absolute pattern, as bytes; undefined when it has wildcards or escapes. */
function literalFirstName(pattern: string): string | undefined {
  const name = firstNameOf(pattern);
  return /[*?[\\]/.test(name) ? undefined : encodeUtf8(name);
}

/** Home directories `~` stands for, as patterns; the default suits most Linux systems. */
export const defaultHomes: readonly string[] = ['/root', '/home/*'];

/** Compiles `pattern`, with `~` standing for `homes`; throws {@link GlobError}. */
export function compileGlob(pattern: string, homes: readonly string[] = defaultHomes): CompiledGlob {
  if (pattern === '') throw new GlobError('empty pattern', 0);
  const directoryOnly = pattern.length > 1 && pattern.endsWith('/') && !pattern.endsWith('\\/');
  const body = directoryOnly ? pattern.slice(0, -1) : pattern;
  let source: string;
  let firstNames: (string | undefined)[] | undefined;
  const tail = { bytes: '' };
  if (body === '~' || body.startsWith('~/')) {
    firstNames = homes.map(literalFirstName);
    const homeSources = homes.map((home) => translate(home, 0));
    source = `(?:${homeSources.join('|')})${body === '~' ? '' : translate(body.slice(1), 1, tail)}`;
  } else if (body.startsWith('/')) {
    source = body === '/' ? '/' : translate(body, 0, tail);
    firstNames = [literalFirstName(body)];
  } else if (!body.includes('/')) {
    source = `(?:/[^]*)?${translate(`/${body}`, -1, tail)}`;
  } else {
    throw new GlobError('a pattern starts with /, with ~/, or is a bare name without /', 0);
  }
  const known = firstNames !== undefined && firstNames.every((name) => name !== undefined) ? (firstNames as string[]) : undefined;
  return { regex: new RegExp(`^${source}$`), directoryOnly, firstNames: known, suffix: tail.bytes };
}

/**
 * Regex source for an absolute pattern `text` (starting with `/`); `base` maps offsets back.
 * `tail.bytes` receives the literal bytes the last name ends with.
 */
function translate(text: string, base: number, tail: { bytes: string } = { bytes: '' }): string {
  const components = text.slice(1).split('/');
  let source = '';
  let offset = base + 1;
  components.forEach((component, index) => {
    if (component === '') throw new GlobError('empty name between slashes', Math.max(offset, 0));
    tail.bytes = '';
    if (component === '**') source += index === components.length - 1 ? '/[^]+' : '(?:/[^]*)?';
    else source += `/${translateName(component, offset, tail)}`;
    offset += component.length + 1;
  });
  return source;
}

function translateName(name: string, base: number, tail: { bytes: string }): string {
  let source = '';
  for (let at = 0; at < name.length; ) {
    const char = name[at]!;
    if (char === '*') {
      source += '[^/]*';
      tail.bytes = '';
      at += 1;
    } else if (char === '?') {
      source += '[^/]';
      tail.bytes = '';
      at += 1;
    } else if (char === '[') {
      const end = name.indexOf(']', at + 2);
      if (end < 0) throw new GlobError('unclosed [', base + at);
      source += translateClass(name.slice(at + 1, end), base + at + 1);
      tail.bytes = '';
      at = end + 1;
    } else if (char === '\\') {
      const [bytes, length] = escaped(name, at, base);
      source += literal(bytes);
      tail.bytes += bytes;
      at += length;
    } else {
      const whole = String.fromCodePoint(name.codePointAt(at)!);
      const bytes = encodeUtf8(whole);
      source += literal(bytes);
      tail.bytes += bytes;
      at += whole.length;
    }
  }
  return source;
}

/** The bytes a `\` escape at `at` stands for, and how many characters it took. */
function escaped(text: string, at: number, base: number): [string, number] {
  const hex = /^x([0-9a-fA-F]{2})/.exec(text.slice(at + 1));
  if (hex) return [String.fromCharCode(parseInt(hex[1]!, 16)), 4];
  const next = text[at + 1];
  if (next === undefined) throw new GlobError('\\ at the end of a pattern', base + at);
  return [encodeUtf8(String.fromCodePoint(text.codePointAt(at + 1)!)), 1 + String.fromCodePoint(text.codePointAt(at + 1)!).length];
}

/** `[...]` content to a regex class of single bytes; `!` or `^` first negates (never matching `/`). */
function translateClass(content: string, base: number): string {
  const negated = content.startsWith('!') || content.startsWith('^');
  let source = '';
  for (let at = negated ? 1 : 0; at < content.length; ) {
    let byte: string;
    if (content[at] === '\\') {
      const [bytes, length] = escaped(content, at, base);
      if (bytes.length !== 1) throw new GlobError('only single bytes in [ ]', base + at);
      byte = bytes;
      at += length;
    } else {
      byte = content[at]!;
      if (byte.charCodeAt(0) > 0x7f) throw new GlobError('only ASCII or \\xHH in [ ]', base + at);
      at += 1;
    }
    source += byte === '-' && source !== '' && at < content.length ? '-' : hexEscape(byte);
  }
  if (source === '') throw new GlobError('empty [ ]', base);
  return negated ? `[^/${source}]` : `[${source}]`;
}

function hexEscape(byte: string): string {
  return `\\x${byte.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

function literal(bytes: string): string {
  let source = '';
  for (const byte of bytes) source += /[A-Za-z0-9_]/.test(byte) ? byte : hexEscape(byte);
  return source;
}

/** Whether `path` (a byte string) of an entry that is or is not a directory matches `glob`. */
export function globMatches(glob: CompiledGlob, path: string, directory: boolean): boolean {
  if (!directory && glob.directoryOnly) return false;
  const suffix = glob.suffix;
  // The last byte first: endsWith is a call out of optimized code, made for several rules per entry.
  if (suffix !== '' && path.charCodeAt(path.length - 1) !== suffix.charCodeAt(suffix.length - 1)) return false;
  return path.endsWith(suffix) && glob.regex.test(path);
}
