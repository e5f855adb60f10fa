import { describe, expect, it } from 'vitest';
import { tileClassLabels, tileClassOf } from '#backup/report/html/tile-class.js';

const node = (cls: Parameters<typeof tileClassOf>[0]['class'], note?: string) =>
  tileClassOf({ name: 'x', path: '/x', saveSize: 1, unmodifiedSize: 0, class: cls, ...(note ? { note } : {}) });

describe('tile colours', () => {
  it('colours by class, errors alike, and a rule note above all', () => {
    expect(node('new')).toBe('new');
    expect(node('modified')).toBe('modified');
    expect(node('unmodified')).toBe('unmodified');
    expect(node('mixed')).toBe('mixed');
    expect(node('excluded')).toBe('excluded');
    expect(node('unreadable')).toBe('error');
    expect(node('not-scanned')).toBe('error');
    expect(node('new', 'a cache')).toBe('rule');
  });

  it('has words for every colour in the legend', () => {
    for (const label of Object.values(tileClassLabels)) expect(label.length).toBeGreaterThan(3);
  });
});
