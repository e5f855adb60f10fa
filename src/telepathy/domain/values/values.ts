/**
 * Building outgoing variants with exact signatures, and reading incoming arguments defensively.
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

const isUint32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** Positional reader over a call's arguments; every mismatch is InvalidArgument. */
export class Args {
  constructor(private readonly args: readonly unknown[]) {}

  private at(index: number, what: string, ok: (v: unknown) => boolean): unknown {
    const value = this.args[index];
    if (!ok(value)) throw invalidArgument(`argument ${index} (${what}) has the wrong type`);
    return value;
  }

  /** Argument `index` as a string; `what` names it in the error. */
  string(index: number, what: string): string {
    return this.at(index, what, (v) => typeof v === 'string') as string;
  }
  /** Argument `index` as a uint32. */
  uint(index: number, what: string): number {
    return this.at(index, what, isUint32) as number;
  }
  /** Argument `index` as a boolean. */
  bool(index: number, what: string): boolean {
    return this.at(index, what, (v) => typeof v === 'boolean') as boolean;
  }
  /** Argument `index` as an array of uint32 (a copy). */
  uints(index: number, what: string): number[] {
    return [...(this.at(index, what, (v) => Array.isArray(v) && v.every(isUint32)) as number[])];
  }
  /** Argument `index` as an array of strings (a copy). */
  strings(index: number, what: string): string[] {
    return [...(this.at(index, what, (v) => Array.isArray(v) && v.every((e) => typeof e === 'string')) as string[])];
  }
  /** Argument `index` as an `a{sv}`. */
  variantMap(index: number, what: string): VariantMap {
    return this.at(index, what, isVariantMap) as VariantMap;
  }
  /** Argument `index` as an `aa{sv}` (e.g. message parts; a copy of the array). */
  variantMaps(index: number, what: string): VariantMap[] {
    return [...(this.at(index, what, (v) => Array.isArray(v) && v.every(isVariantMap)) as VariantMap[])];
  }
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
