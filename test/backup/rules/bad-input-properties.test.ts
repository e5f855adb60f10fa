/**
 * Bad input (issue #16): whatever bytes a rules file, an --exclude-from file or an
 * --already-covered list holds, its parser answers or refuses with its own error, which says
 * where; it never fails with anything else (which would end the program as an internal error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRulesFile, RulesFileError } from '#backup/domain/rules/rules-file.js';
import { CoveredListError, parseCoveredList } from '#backup/domain/already-covered/already-covered-list.js';
import { excludeMatcher } from '#backup/domain/exclude/exclude-patterns.js';

/** Random bytes as a byte string, biased towards the characters these formats care about. */
const byteText = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.array(fc.constantFrom('skip ', 'save ', 'dump ', 'diff ', '/', '*', '**', '~', '[', ']', '!', '"', '\\', 'name=', 'when=', 'tool=', '#', '\n', ' ', 'a', '\xe9', '\0', '{', '}'), { maxLength: 60 }).map((parts) => parts.join('')),
);

function thrown(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('parsers over random bytes', () => {
  it('a rules file gives rules or a RulesFileError naming FILE:LINE:COLUMN for each mistake', () => {
    fc.assert(
      fc.property(byteText, (text) => {
        const error = thrown(() => parseRulesFile(text, { file: 'my.rules' }));
        if (error === undefined) return;
        expect(error).toBeInstanceOf(RulesFileError);
        const problems = (error as RulesFileError).problems;
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) expect(p.line >= 1 && p.column >= 1).toBe(true);
        expect((error as Error).message.split('\n').every((line) => /^my\.rules:\d+:\d+: /.test(line))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('an --exclude-from file never fails: a pattern git cannot read matches nothing', () => {
    fc.assert(
      fc.property(byteText, fc.string(), (text, name) => {
        const matches = excludeMatcher(text);
        expect(typeof matches(`/${name.replace(/\//g, '')}`, false)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('an --already-covered list gives absolute paths or a CoveredListError at FILE:LINE:COLUMN inside the file', () => {
    const jsonish = fc
      .tuple(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.integer({ min: 0, max: 2 }), fc.boolean())
      .map(([list, indent, cut]) => {
        const json = JSON.stringify({ format: 'what-to-backup-summary', version: 1, list }, null, indent);
        return cut ? json.slice(0, json.length >> 1) : json;
      });
    fc.assert(
      fc.property(fc.oneof(byteText, jsonish), (bytes) => {
        let items: readonly string[] = [];
        const error = thrown(() => (items = parseCoveredList(bytes, 'my.list').items));
        if (error === undefined) {
          for (const item of items) expect(item.startsWith('/')).toBe(true);
          return;
        }
        expect(error).toBeInstanceOf(CoveredListError);
        const { line, column, message } = error as CoveredListError;
        expect(message).toMatch(/^my\.list:\d+:\d+: \S/);
        const lines = bytes.split('\n');
        expect(line >= 1 && line <= lines.length).toBe(true);
        expect(column >= 1 && column <= lines[line - 1]!.length + 1).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
