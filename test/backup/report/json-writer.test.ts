import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INDENT_LEVELS, writeJson } from '#backup/report/json/json-writer.js';

function written(value: unknown): { text: string; pieces: string[] } {
  const pieces: string[] = [];
  writeJson(value, (piece) => pieces.push(piece));
  return { text: pieces.join(''), pieces };
}

/** A chain of objects `depth` deep, built without recursion. */
function chain(depth: number): unknown {
  let node: Record<string, unknown> = { name: 'leaf', children: [] };
  for (let i = 0; i < depth; i++) node = { name: `d${i}`, children: [node], size: '1' };
  return node;
}

describe('writeJson', () => {
  it('prints what JSON.stringify(value, null, 2) prints, for any JSON value not nested past the indentation cap', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        expect(written(value).text).toBe(JSON.stringify(value, null, 2));
        const compact: string[] = [];
        writeJson(value, (piece) => compact.push(piece), true);
        expect(compact.join('')).toBe(JSON.stringify(value));
      }),
    );
  });

  it('leaves out undefined and function members of objects, and writes them as null in arrays, as JSON.stringify does', () => {
    const value = { a: undefined, b: () => 1, c: [undefined, 1], d: 'x' };
    expect(written(value).text).toBe(JSON.stringify(value, null, 2));
  });

  it('writes a tree 100,000 levels deep, which JSON.stringify cannot, with indentation that stops growing', () => {
    const deep = chain(100_000);
    let stringified: unknown;
    try {
      stringified = JSON.stringify(deep);
    } catch (error) {
      stringified = error;
    }
    expect(stringified).toBeInstanceOf(RangeError);
    const { text, pieces } = written(deep);
    const widest = text.split('\n').reduce((most, line) => Math.max(most, line.length - line.trimStart().length), 0);
    expect(widest).toBe(2 * MAX_INDENT_LEVELS);
    expect(pieces.length).toBeGreaterThan(1);
    // Same value back: count the levels without recursion.
    let node = JSON.parse(text) as { name: string; children: unknown[] };
    let depth = 0;
    while (node.children.length) {
      node = node.children[0] as typeof node;
      depth++;
    }
    expect([depth, node.name]).toEqual([100_000, 'leaf']);
  });
});
