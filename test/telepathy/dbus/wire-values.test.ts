import dbus from 'dbus-next';
import { describe, expect, it } from 'vitest';
import { canonicalInteger } from '#telepathy/adapters/dbus-next/int-key-dicts.js';
import { parseSignature, parseType } from '#telepathy/adapters/dbus-next/signature.js';
import { bodyFromWire, bodyToWire, fromWire, toWire } from '#telepathy/adapters/dbus-next/wire-values.js';

const { Variant } = dbus;

describe('signatures', () => {
  it('split into complete types', () => {
    expect(parseSignature('sa{sv}a(oa{sv})u').map((t) => t.text)).toEqual(['s', 'a{sv}', 'a(oa{sv})', 'u']);
    expect(parseType('a{u(uss)}').children[0]?.children.map((c) => c.text)).toEqual(['u', '(uss)']);
  });

  it('reject what is not a signature', () => {
    expect(() => parseType('su')).toThrow(/single/);
    expect(() => parseType('a')).toThrow(/ends too early/);
    expect(() => parseType('z')).toThrow(/unknown type code/);
  });
});

describe('domain values to dbus-next values', () => {
  it('turns typed values into variants with their exact signature, all the way down', () => {
    const wire = toWire(parseType('a{sv}'), { n: { signature: 'u', value: 1 }, m: { signature: 'aa{sv}', value: [{ x: { signature: 'b', value: true } }] } });
    expect(wire).toEqual({ n: new Variant('u', 1), m: new Variant('aa{sv}', [{ x: new Variant('b', true) }]) });
  });

  it('takes Maps with integer keys as dicts, structs as arrays, and numbers for 64-bit types', () => {
    expect(toWire(parseType('a{u(uss)}'), new Map([[1, [2, 'available', '']]]))).toEqual({ 1: [2, 'available', ''] });
    expect(toWire(parseType('t'), 5)).toBe(5n);
    expect(toWire(parseType('ay'), new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2]));
    const ready = new Variant('s', 'x');
    expect(toWire(parseType('v'), ready)).toBe(ready);
  });

  it('names the mismatch when a value does not fit its signature', () => {
    expect(() => toWire(parseType('v'), 3)).toThrow(/typed value/);
    expect(() => toWire(parseType('a{sv}'), [])).toThrow(/dict/);
    expect(() => toWire(parseType('as'), 'x')).toThrow(/array/);
    expect(() => toWire(parseType('(us)'), [1])).toThrow(/2 members/);
    expect(() => bodyToWire('su', ['x'])).toThrow(/2 values/);
  });
});

describe('dbus-next values to domain values', () => {
  it('turns variants into typed values and keeps everything else plain', () => {
    expect(bodyFromWire('a{sv}a(ua{sv})ay', [{ k: new Variant('as', ['a']) }, [[1, { z: new Variant('t', 3n) }]], Buffer.from([9])])).toEqual([
      { k: { signature: 'as', value: ['a'] } },
      [[1, { z: { signature: 't', value: 3n } }]],
      new Uint8Array([9]),
    ]);
    expect(fromWire(parseType('v'), new Variant('v', new Variant('s', 'deep')))).toEqual({ signature: 'v', value: { signature: 's', value: 'deep' } });
  });
});

describe('integer dict keys', () => {
  it('are read back only from their canonical decimal text', () => {
    expect(['0', '42', '-7', '4294967295'].map(canonicalInteger)).toEqual([0, 42, -7, 4294967295]);
    expect(['042', '4e1', ' 1', '1.0', '', 'x', '99999999999999999999'].map(canonicalInteger)).toEqual(Array(7).fill(undefined));
    expect(canonicalInteger(3)).toBeUndefined();
  });
});
