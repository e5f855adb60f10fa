import { createRequire } from 'node:module';
import dbus from 'dbus-next';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshalMessage, useFastMarshalling } from '#telepathy/adapters/dbus-next/fast-marshal.js';
import { allowIntegerDictKeys } from '#telepathy/adapters/dbus-next/int-key-dicts.js';

// As in the adapter: dbus-next's own marshaller takes integer dict keys only with this fix.
allowIntegerDictKeys();

const { Variant } = dbus;
type Marshal = (message: object) => [Buffer, unknown[]];

/** dbus-next's own marshaller (what the fast one falls back to), even once the fast one is installed. */
function dbusNextMarshal(): Marshal {
  const module = createRequire(import.meta.url)('dbus-next/lib/message.js') as { marshall: Marshal; caveOriginalMarshal?: Marshal };
  return module.caveOriginalMarshal ?? module.marshall;
}

const compat = createRequire(import.meta.url)('dbus-next/lib/marshall-compat.js') as { marshallMessage(m: object): [Buffer, unknown[]] };

interface Typed {
  signature: string;
  value: fc.Arbitrary<unknown>;
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\0'));
const basics: Typed[] = [
  { signature: 'y', value: fc.integer({ min: 0, max: 255 }) },
  { signature: 'b', value: fc.boolean() },
  { signature: 'n', value: fc.integer({ min: -0x8000, max: 0x7fff }) },
  { signature: 'q', value: fc.integer({ min: 0, max: 0xffff }) },
  { signature: 'i', value: fc.integer({ min: -0x80000000, max: 0x7fffffff }) },
  { signature: 'u', value: fc.nat({ max: 0xffffffff }) },
  // dbus-next itself refuses the smallest int64, -2^63 (an off-by-one); we write it.
  { signature: 'x', value: fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }) },
  { signature: 't', value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
  { signature: 'd', value: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { signature: 's', value: text },
  { signature: 'o', value: fc.constantFrom('/', '/org/freedesktop/Telepathy/Connection/cave/echo/a_40b') },
  { signature: 'g', value: fc.constantFrom('', 'a{sv}', 'uus') },
];

/** Any D-Bus type with values for it, in the JavaScript shapes dbus-next takes. */
const typed: fc.Arbitrary<Typed> = fc.letrec<{ t: Typed }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...basics),
    tie('t').map((t) => ({ signature: `a${t.signature}`, value: fc.array(t.value, { maxLength: 4 }) })),
    fc.tuple(fc.constantFrom(basics[9] as Typed, basics[5] as Typed), tie('t')).map(([k, v]) => ({
      signature: `a{${k.signature}${v.signature}}`,
      value: fc.array(fc.tuple(k.value, v.value), { maxLength: 4 }).map((pairs) => Object.fromEntries(pairs.map(([a, b]) => [String(a), b]))),
    })),
    fc.array(tie('t'), { minLength: 1, maxLength: 3 }).map((ts) => ({ signature: `(${ts.map((t) => t.signature).join('')})`, value: fc.tuple(...ts.map((t) => t.value)) })),
    tie('t').map((t) => ({ signature: 'v', value: t.value.map((v) => new Variant(t.signature, v)) })),
  ),
})).t;

const sample = typed.chain((t) => fc.tuple(fc.constant(t.signature), t.value, fc.nat({ max: 2 ** 31 }), fc.constantFrom(1, 2, 3, 4)));

function dbusNextFormat(signature: string, value: unknown, serial: number, type: number): Record<string, unknown> {
  const message: Record<string, unknown> = { type, serial: serial + 1, path: '/a/b', interface: 'org.example.I', member: 'M', destination: ':1.7', signature, body: [value] };
  if (type === 2 || type === 3) Object.assign(message, { replySerial: serial + 2, path: undefined, member: undefined, interface: undefined });
  if (type === 3) message.errorName = 'org.freedesktop.Telepathy.Error.NotAvailable';
  compat.marshallMessage(message); // leaves the body in dbus-next's internal marshaller format
  return message;
}

describe('the fast marshaller', () => {
  it('writes exactly the bytes dbus-next writes, for any type and value', () => {
    fc.assert(
      fc.property(sample, ([signature, value, serial, type]) => {
        const message = dbusNextFormat(signature, value, serial, type);
        expect(marshalMessage(message)).toEqual(dbusNextMarshal()({ ...message })[0]);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes -0 as dbus-next does (as 0)', () => {
    const message = dbusNextFormat('(dd)', [-0, 1.5], 1, 1);
    expect(marshalMessage(message)).toEqual(dbusNextMarshal()({ ...message })[0]);
  });

  it('hands what it does not take (unix fds, bad values) to dbus-next, which decides', () => {
    useFastMarshalling();
    useFastMarshalling(); // once is enough
    const messages = createRequire(import.meta.url)('dbus-next/lib/message.js') as { marshall(m: object): [Buffer, unknown[]] };
    expect(() => messages.marshall({ type: 1, serial: 1, signature: 'u', body: ['seven'] })).toThrow();
    expect(() => messages.marshall({ serial: 0 })).toThrow(/serial/);
    const fd = { type: 1, serial: 3, signature: 'h', body: [5], member: 'M', path: '/' };
    expect(messages.marshall({ ...fd })[1]).toEqual([5]);
    const plain = dbusNextFormat('a{us}', { 1: 'one' }, 9, 1);
    expect(messages.marshall(plain)[0]).toEqual(dbusNextMarshal()({ ...plain })[0]);
  });
});
