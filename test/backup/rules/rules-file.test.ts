import { describe, expect, it } from 'vitest';
import { parseRulesFile, RulesFileError } from '#backup/domain/rules/rules-file.js';

const parse = (text: string) => parseRulesFile(text, { file: 'rules.txt' });

function problemsOf(text: string) {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RulesFileError);
    return (error as RulesFileError).problems;
  }
  throw new Error('expected the file to be refused');
}

describe('the rules file', () => {
  it('reads one rule a line with its settings and note, skipping blank and comment lines', () => {
    const rules = parse(
      [
        '# my rules',
        '',
        'skip /srv/scratch/   # rebuilt every night',
        'save ~/.mozilla/firefox/*/ name=firefox when=logged-out  # profile in use',
        '\tdump /var/lib/pgsql/ tool=pg_dumpall when=shutdown',
        'diff /etc/**\r',
        'save "/srv/my files/" name=shared',
        'dump *.db tool="sqlite3 FILE .backup" # quoted tool',
      ].join('\n'),
    );
    expect(rules.map((r) => [r.name, r.action, r.pattern, r.when, r.tool, r.note, r.source])).toEqual([
      ['rules.txt:3', 'skip', '/srv/scratch/', undefined, undefined, 'rebuilt every night', 'rules.txt:3'],
      ['firefox', 'save', '~/.mozilla/firefox/*/', 'logged-out', undefined, 'profile in use', 'rules.txt:4'],
      ['rules.txt:5', 'dump', '/var/lib/pgsql/', 'shutdown', 'pg_dumpall', undefined, 'rules.txt:5'],
      ['rules.txt:6', 'diff', '/etc/**', undefined, undefined, undefined, 'rules.txt:6'],
      ['shared', 'save', '/srv/my files/', undefined, undefined, undefined, 'rules.txt:7'],
      ['rules.txt:8', 'dump', '*.db', undefined, 'sqlite3 FILE .backup', 'quoted tool', 'rules.txt:8'],
    ]);
    expect(rules[0]!.matches({ path: '/srv/scratch', directory: true })).toBe(true);
    expect(rules[0]!.matches({ path: '/srv/scratch', directory: false })).toBe(false);
    expect(rules[4]!.matches({ path: '/srv/my files', directory: true })).toBe(true);
  });

  it('keeps a # inside a word, and unescapes \\" and \\\\ in quotes', () => {
    const [hash, quoted] = parse('skip /srv/a#b\nsave "/srv/say \\"hi\\"/x\\\\y"');
    expect(hash!.pattern).toBe('/srv/a#b');
    expect(quoted!.pattern).toBe('/srv/say "hi"/x\\y');
    expect(quoted!.matches({ path: '/srv/say "hi"/xy', directory: false })).toBe(true);
  });

  it.each([
    ['sav /x', 1, 1, 'unknown action "sav"'],
    ['skip', 1, 5, 'skip needs a pattern'],
    ['skip var/x', 1, 6, 'bad pattern'],
    ['skip /a/[bc', 1, 9, 'unclosed ['],
    ['skip "/a/[bc"', 1, 10, 'unclosed ['],
    ['skip /x when=shutdown', 1, 9, 'when= makes no sense for skip'],
    ['save /x when=lunch', 1, 14, 'when= must be one of logged-out, shutdown, single-user'],
    ['save /x tool=tar', 1, 9, 'tool= is only for dump'],
    ['dump /x', 1, 8, 'dump needs tool='],
    ['save /x colour=red', 1, 9, 'expected name=, when= or tool='],
    ['save /x note', 1, 9, 'expected name='],
    ['save /x name=a name=b', 1, 16, 'name= given twice'],
    ['save /x name=', 1, 14, 'name= needs a value'],
    ['save /x name=a/b', 1, 14, 'name= takes letters'],
    ['save "/x', 1, 6, 'unterminated "'],
    ['save "/x""/y"', 1, 10, 'only one quoted part'],
    ['\n\n  skip  /ok\n  frobnicate /x', 4, 3, 'unknown action'],
  ])('refuses %j at line %i column %i', (text, line, column, words) => {
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ line, column });
    expect(problem!.message).toContain(words);
  });

  it('names every mistake as FILE:LINE:COLUMN and gives no rules at all from a broken file', () => {
    let error: RulesFileError | undefined;
    try {
      parse('skip /fine\nsav /x\nskip /also-fine\ndump /db');
    } catch (e) {
      error = e as RulesFileError;
    }
    expect(error?.message).toBe(
      'rules.txt:2:1: unknown action "sav" (expected skip, save, diff, dump)\n' +
        'rules.txt:4:9: dump needs tool=, the program that makes a consistent copy (e.g. tool=pg_dumpall)',
    );
  });

  it('reads a file saved with a byte order mark and Windows line ends', () => {
    expect(parse('\ufeffskip /a\r\nsave /b\r\n').map((r) => r.pattern)).toEqual(['/a', '/b']);
  });

  it('gives nothing for an empty file', () => {
    expect(parse('')).toEqual([]);
    expect(parse('# only a comment\n   \n')).toEqual([]);
  });
});
