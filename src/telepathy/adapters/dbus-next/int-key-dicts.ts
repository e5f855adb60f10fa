import { createRequire } from 'node:module';

/**
 * dbus-next cannot send dicts with integer keys (`a{ua{sv}}`, `a{us}`, `a{u(uss)}`): it takes
 * dicts as plain objects, whose keys are strings, and its `u` marshaller refuses strings
 * (upstream issue #79). This lets the simple marshallers of integer types accept a canonical
 * decimal string, so `{ '1': … }` goes out as the integer key 1. Non-canonical text still fails.
 */

interface SimpleMarshaller {
  check(data: unknown): unknown;
  marshall(ps: unknown, data: unknown): void;
}
interface MarshallersModule {
  MakeSimpleMarshaller: (signature: string) => SimpleMarshaller;
  caveIntegerKeys?: true;
}

const integerCodes = new Set(['y', 'n', 'q', 'i', 'u', 'h']);

/** A key text that is exactly how its integer prints, e.g. `'42'` (not `'042'` or `'4e1'`). */
export function canonicalInteger(data: unknown): number | undefined {
  if (typeof data !== 'string' || !/^-?\d+$/.test(data)) return undefined;
  const n = Number(data);
  return Number.isSafeInteger(n) && String(n) === data ? n : undefined;
}

/** Install the fix once per process; the marshallers module is shared by every MessageBus. */
export function allowIntegerDictKeys(): void {
  const marshallers = createRequire(import.meta.url)('dbus-next/lib/marshallers.js') as MarshallersModule;
  if (marshallers.caveIntegerKeys) return;
  const original = marshallers.MakeSimpleMarshaller;
  marshallers.MakeSimpleMarshaller = (signature: string) => {
    const marshaller = original(signature);
    if (!integerCodes.has(signature)) return marshaller;
    const { check, marshall } = marshaller;
    return {
      check: (data: unknown) => check.call(marshaller, canonicalInteger(data) ?? data),
      marshall: (ps: unknown, data: unknown) => marshall.call(marshaller, ps, canonicalInteger(data) ?? data),
    };
  };
  marshallers.caveIntegerKeys = true;
}
