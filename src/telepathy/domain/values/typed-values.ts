/**
 * Typed values: outgoing variants with exact signatures, and checks on incoming ones.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';

/** An `a{sv}`: names to typed values. */
export type VariantMap = Record<string, TypedValue>;

/** A variant with an explicit signature. */
export const tv = (signature: string, value: unknown): TypedValue => ({ signature, value });
/** A `u` (uint32) variant. */
export const u = (value: number): TypedValue => tv('u', value);
/** An `s` (string) variant. */
export const s = (value: string): TypedValue => tv('s', value);
/** A `b` (boolean) variant. */
export const b = (value: boolean): TypedValue => tv('b', value);
/** An `x` (int64) variant. */
export const x = (value: bigint): TypedValue => tv('x', value);
/** An `as` (array of strings) variant. */
export const as = (value: readonly string[]): TypedValue => tv('as', [...value]);
/** An `au` (array of uint32) variant. */
export const au = (value: readonly number[]): TypedValue => tv('au', [...value]);

/** Whether a value is a {@link TypedValue} (an object with a string `signature` and a `value`). */
export function isTypedValue(value: unknown): value is TypedValue {
  return typeof value === 'object' && value !== null && typeof (value as TypedValue).signature === 'string' && 'value' in value;
}

/** Whether a value is a {@link VariantMap}: a plain object whose values are all typed values. */
export function isVariantMap(value: unknown): value is VariantMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(isTypedValue)
  );
}

/** The value of `key` in `map` when it has `signature`; undefined when absent; InvalidArgument when mistyped. */
export function typedEntry(map: VariantMap, key: string, signature: string): unknown {
  if (!Object.hasOwn(map, key)) return undefined;
  const entry = map[key]!;
  if (entry.signature !== signature) throw invalidArgument(`${key} must have type ${signature}, not ${entry.signature}`);
  return entry.value;
}
