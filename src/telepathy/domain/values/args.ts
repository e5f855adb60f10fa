/**
 * Reading a call's incoming arguments defensively: every mismatch is InvalidArgument.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { isVariantMap, type VariantMap } from './typed-values.js';

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
