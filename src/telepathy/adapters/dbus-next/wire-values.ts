import dbus from 'dbus-next';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { isTypedValue } from '#telepathy/domain/values/typed-values.js';
import { parseSignature, parseType, type TypeNode } from './signature.js';

/**
 * Conversion between the domain's plain values and dbus-next's, walking the D-Bus signature:
 * a `v` is a {@link TypedValue} in the domain and a `Variant` in dbus-next; a dict is a plain
 * object (or, outgoing, a `Map`); structs and arrays are arrays; `t`/`x` are BigInts.
 */

const { Variant } = dbus;

function entries(value: unknown, type: string): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [String(k), v]);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.entries(value);
  throw new TypeError(`expected a dict for '${type}', got ${describe(value)}`);
}

function list(value: unknown, type: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  throw new TypeError(`expected an array for '${type}', got ${describe(value)}`);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** A domain value of one complete type, as dbus-next sends it. */
export function toWire(type: TypeNode, value: unknown): unknown {
  switch (type.code) {
    case 'v': {
      if (value instanceof Variant) return value;
      if (!isTypedValue(value)) throw new TypeError(`expected a typed value for 'v', got ${describe(value)}`);
      return new Variant(value.signature, toWire(parseType(value.signature), value.value));
    }
    case 'a': {
      const child = type.children[0] as TypeNode;
      if (child.code === '{') {
        const valueType = child.children[1] as TypeNode;
        const dict: Record<string, unknown> = {};
        for (const [k, v] of entries(value, type.text)) dict[k] = toWire(valueType, v);
        return dict;
      }
      if (child.code === 'y' && value instanceof Uint8Array) return Buffer.from(value);
      return list(value, type.text).map((v) => toWire(child, v));
    }
    case '(': {
      const members = list(value, type.text);
      if (members.length !== type.children.length) throw new TypeError(`expected ${type.children.length} members for '${type.text}', got ${members.length}`);
      return type.children.map((c, i) => toWire(c, members[i]));
    }
    case 't':
    case 'x':
      return typeof value === 'number' ? BigInt(value) : value;
    default:
      return value;
  }
}

/** A dbus-next value of one complete type, as the domain sees it. */
export function fromWire(type: TypeNode, value: unknown): unknown {
  switch (type.code) {
    case 'v': {
      const v = value as InstanceType<typeof Variant>;
      return { signature: v.signature, value: fromWire(parseType(v.signature), v.value) } satisfies TypedValue;
    }
    case 'a': {
      const child = type.children[0] as TypeNode;
      if (child.code === '{') {
        const valueType = child.children[1] as TypeNode;
        const dict: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as object)) dict[k] = fromWire(valueType, v);
        return dict;
      }
      if (child.code === 'y') return Uint8Array.from(value as Uint8Array);
      return (value as unknown[]).map((v) => fromWire(child, v));
    }
    case '(':
      return type.children.map((c, i) => fromWire(c, (value as unknown[])[i]));
    default:
      return value;
  }
}

/** Convert every argument of a message body by its signature. */
export function bodyToWire(signature: string, values: readonly unknown[]): unknown[] {
  const types = parseSignature(signature);
  if (types.length !== values.length) throw new TypeError(`expected ${types.length} values for '${signature}', got ${values.length}`);
  return types.map((t, i) => toWire(t, values[i]));
}

/** Values dbus-next received, converted to the domain's by the signature they came with. */
export function bodyFromWire(signature: string, values: readonly unknown[]): unknown[] {
  return parseSignature(signature).map((t, i) => fromWire(t, values[i]));
}
