import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { isTypedValue } from '#telepathy/domain/values/typed-values.js';
import { fail } from './message-writer.js';

/**
 * How values are shaped: dbus-next's marshaller format, or the domain's (wire-values.ts). Read
 * in place, without [signature, value] or [key, value] arrays: allocation per echo costs GC.
 */
export interface Shapes {
  /** A variant's signature; declines anything but a variant. */
  variantSignature(data: unknown): unknown;
  /** The value of a variant whose signature was read first. */
  variantValue(data: unknown): unknown;
  /** Each entry of a dict, in order. */
  eachEntry(data: unknown, entry: (key: unknown, value: unknown) => void): void;
  /** The bytes of an `ay` given as bytes; undefined: an array of numbers. */
  bytes(data: unknown): Uint8Array | undefined;
}

/** Variants as `[signature, value]`, dicts as arrays of pairs, as dbus-next hands them over. */
export const marshallerShapes: Shapes = {
  variantSignature: (data) => (Array.isArray(data) && data.length === 2 ? (data[0] as unknown) : fail()),
  variantValue: (data) => (data as unknown[])[1],
  eachEntry(data, entry) {
    if (!Array.isArray(data)) fail();
    for (const pair of data as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) fail();
      entry((pair as unknown[])[0], (pair as unknown[])[1]);
    }
  },
  bytes: (data) => (Buffer.isBuffer(data) ? data : undefined),
};

/** Variants as typed values, dicts as plain objects or Maps, as the domain emits them. */
export const domainShapes: Shapes = {
  variantSignature: (data) => (isTypedValue(data) ? data.signature : fail()),
  variantValue: (data) => (data as TypedValue).value,
  eachEntry(data, entry) {
    if (data instanceof Map) {
      for (const [k, v] of data) entry(String(k), v);
      return;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) fail();
    const dict = data as Record<string, unknown>;
    for (const key of Object.keys(dict)) entry(key, dict[key]);
  },
  bytes: (data) => (data instanceof Uint8Array ? data : undefined),
};
