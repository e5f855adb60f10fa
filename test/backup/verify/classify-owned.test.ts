import { describe, expect, it } from 'vitest';
import { classifyOwned } from '#backup/domain/verify/classify-owned.js';
import { parseVerifyString } from './verify-string.js';
import { owned } from '#test/backup/scan/owned-file.js';

const outcome = (text: string) => ({ missing: false, result: parseVerifyString(text) });
const config = { config: true, ghost: false, doc: false, missingOk: false };
const ghost = { config: false, ghost: true, doc: false, missingOk: false };

describe('classifyOwned', () => {
  it('calls a path no package owns new', () => {
    expect(classifyOwned([], [])).toEqual({ class: 'new' });
  });

  it('keeps an intact path, and one whose only difference is its mtime', () => {
    expect(classifyOwned([owned()], [outcome('.........')])).toEqual({ class: 'unmodified' });
    expect(classifyOwned([owned()], [outcome('.......T.')])).toEqual({ class: 'unmodified' });
  });

  it('saves a changed path with rpm\'s verdict and a c for %config', () => {
    expect(classifyOwned([owned()], [outcome('S.5....T.')])).toEqual({ class: 'modified', reason: 'S.5....T.' });
    expect(classifyOwned([owned({ flags: config })], [outcome('..5......')])).toEqual({ class: 'modified', reason: '..5...... c' });
  });

  it('saves a %ghost, whose content rpm never verifies', () => {
    expect(classifyOwned([owned({ flags: ghost })], [outcome('.........')])).toEqual({ class: 'modified', reason: '%ghost' });
  });

  it('names the package when several own the path, and saves it if any of them sees a change', () => {
    const two = [owned({ package: 'a-1' }), owned({ package: 'b-1' })];
    expect(classifyOwned(two, [outcome('.........'), outcome('.M.......')])).toEqual({ class: 'modified', reason: '.M....... b-1' });
    expect(classifyOwned([owned({ package: 'a-1', flags: ghost }), owned({ package: 'b-1' })], [outcome('.........'), outcome('.........')]))
      .toEqual({ class: 'modified', reason: '%ghost a-1' });
  });

  it('reports a path it could not read to decide as unreadable, whatever else it found', () => {
    const two = [owned({ package: 'a-1' }), owned({ package: 'b-1', flags: ghost })];
    expect(classifyOwned([owned()], [outcome('..?......')])).toEqual({ class: 'unreadable', reason: '..?......' });
    const changing = { ...outcome('..?......'), readError: 'changed-while-reading' };
    expect(classifyOwned([owned()], [changing])).toEqual({ class: 'unreadable', reason: '..?...... (changed-while-reading)' });
    expect(classifyOwned([owned({ package: 'a-1' }), owned({ package: 'b-1' })], [outcome('..?......'), outcome('S.5......')]).class).toBe('unreadable');
    expect(classifyOwned(two, [outcome('..?......'), outcome('.........')]).class).toBe('unreadable');
  });
});
