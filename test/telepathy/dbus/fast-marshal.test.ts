import { createRequire } from 'node:module';
import dbus from 'dbus-next';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshalMessage, marshalSignal, useFastMarshalling } from '#telepathy/adapters/dbus-next/fast-marshal.js';
import { bodyFromWire, bodyToWire } from '#telepathy/adapters/dbus-next/wire-values.js';
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

const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\0'));
const objectPath = fc.array(fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const int64 = { x: fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), t: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) };
const basicValues: Record<string, fc.Arbitrary<unknown>> = {
  y: fc.integer({ min: 0, max: 255 }),
  b: fc.boolean(),
  n: fc.integer({ min: -0x8000, max: 0x7fff }),
  q: fc.integer({ min: 0, max: 0xffff }),
  i: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  u: fc.nat({ max: 0xffffffff }),
  // dbus-next itself refuses the smallest int64, -2^63 (an off-by-one); we write it.
  x: int64.x,
  t: int64.t,
  d: fc.double({ noNaN: true, noDefaultInfinity: true }),
  s: text,
  o: objectPath,
  h: fc.nat({ max: 0xffffffff }), // an index into the message's unix fds; dbus-next's own marshaller writes it
};
const basics: Typed[] = Object.entries(basicValues).map(([signature, value]) => ({ signature, value }));

/** Any D-Bus type with values for it, in the JavaScript shapes dbus-next takes. */
const typed: fc.Arbitrary<Typed> = fc.letrec<{ t: Typed }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...basics),
    // `g`: a signature, of any type this generator makes.
    fc.constant(null).map(() => ({ signature: 'g', value: tie('t').map((t) => t.signature) })),
    fc.constant({ signature: 'ay', value: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)) }),
    tie('t').map((t) => ({ signature: `a${t.signature}`, value: fc.array(t.value, { maxLength: 4 }) })),
    fc.tuple(fc.constantFrom(...basics), tie('t')).map(([k, v]) => ({
      signature: `a{${k.signature}${v.signature}}`,
      // dbus-next takes a dict as a plain object: its keys are the keys' texts.
      value: fc.array(fc.tuple(k.value, v.value), { maxLength: 4 }).map((pairs) => Object.fromEntries(pairs.map(([a, b]) => [String(a), b]))),
    })),
    fc.array(tie('t'), { minLength: 1, maxLength: 4 }).map((ts) => ({ signature: `(${ts.map((t) => t.signature).join('')})`, value: fc.tuple(...ts.map((t) => t.value)) })),
    tie('t').map((t) => ({ signature: 'v', value: t.value.map((v) => new Variant(t.signature, v)) })),
  ),
})).t;

/** A message body: one to five arguments. D-Bus caps signatures at 255 bytes and nesting at 32 arrays and 32 structs. */
const body = fc
  .array(typed, { minLength: 1, maxLength: 5 })
  .filter((ts) => ts.map((t) => t.signature).join('').length <= 255)
  .chain((ts) => fc.tuple(fc.constant(ts.map((t) => t.signature).join('')), fc.tuple(...ts.map((t) => t.value))));

const sample = body.chain(([signature, values]) => fc.tuple(fc.constant(signature), fc.constant(values), fc.nat({ max: 2 ** 31 }), fc.constantFrom(1, 2, 3, 4)));

function dbusNextFormat(signature: string, values: unknown[], serial: number, type: number): Record<string, unknown> {
  const message: Record<string, unknown> = { type, serial: serial + 1, path: '/a/b', interface: 'org.example.I', member: 'M', destination: ':1.7', signature, body: values };
  if (type === 2 || type === 3) Object.assign(message, { replySerial: serial + 2, path: undefined, member: undefined, interface: undefined });
  if (type === 3) message.errorName = 'org.freedesktop.Telepathy.Error.NotAvailable';
  compat.marshallMessage(message); // leaves the body in dbus-next's internal marshaller format
  return message;
}

function attemptFormat(...args: Parameters<typeof dbusNextFormat>): Record<string, unknown> | undefined {
  try {
    return dbusNextFormat(...args);
  } catch {
    return undefined;
  }
}

function attempt(marshal: () => Buffer): { ok: true; bytes: Buffer } | { ok: false; error: string } {
  try {
    return { ok: true, bytes: marshal() };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

describe('the fast marshaller', () => {
  it('writes exactly the bytes dbus-next writes, for any type and value', () => {
    fc.assert(
      fc.property(sample, ([signature, values, serial, type]) => {
        // Values dbus-next cannot take at all (e.g. `d` or `b` dict keys, which arrive as texts) are out of scope.
        const message = attemptFormat(signature, values, serial, type);
        fc.pre(message !== undefined);
        const fast = attempt(() => marshalMessage({ ...message }));
        const theirs = attempt(() => dbusNextMarshal()({ ...message })[0]);
        // Where the fast one writes, dbus-next writes the same bytes; where it declines, dbus-next decides.
        if (fast.ok) expect(theirs).toEqual(fast);
      }),
      { numRuns: Number(process.env.MARSHAL_RUNS ?? 2000) },
    );
  });

  it('writes dicts with 64-bit integer keys itself (their keys arrive as texts), as dbus-next does', () => {
    const message = dbusNextFormat('a{xs}a{ts}', [{ '-5': 'minus five', '9007199254740993': 'past 2^53' }, { '18446744073709551615': 'max' }], 4, 1);
    expect(marshalMessage({ ...message })).toEqual(dbusNextMarshal()({ ...message })[0]);
  });

  it('writes -0 as dbus-next does (as 0)', () => {
    const message = dbusNextFormat('(dd)', [[-0, 1.5]], 1, 1);
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
    const plain = dbusNextFormat('a{us}', [{ 1: 'one' }], 9, 1);
    expect(messages.marshall(plain)[0]).toEqual(dbusNextMarshal()({ ...plain })[0]);
  });

  it("writes a signal from the domain's values exactly as dbus-next writes it from theirs", () => {
    fc.assert(
      fc.property(sample, ([signature, values, serial]) => {
        const domain = bodyFromWire(signature, values);
        const signal = { path: '/a/b', interface: 'org.example.I', member: 'M', signature, args: domain };
        const message = attemptFormat(signature, bodyToWire(signature, domain), serial, 4);
        fc.pre(message !== undefined);
        const fast = marshalSignal(signal);
        fast?.writeUInt32LE(serial + 1, 8);
        const theirs = attempt(() => dbusNextMarshal()({ ...message, destination: undefined })[0]);
        if (fast) expect(theirs).toEqual({ ok: true, bytes: fast });
      }),
      { numRuns: Number(process.env.MARSHAL_RUNS ?? 2000) },
    );
  });

  it('leaves to dbus-next the domain values it does not expect', () => {
    const signal = (signature: string, args: unknown[]) => marshalSignal({ path: '/', interface: 'org.example.I', member: 'M', signature, args });
    expect(signal('v', [['u', 1]])).toBeUndefined(); // a variant is a typed value here
    expect(signal('a{sv}', [[['k', { signature: 'u', value: 1 }]]])).toBeUndefined(); // a dict is an object
    expect(signal('u', ['seven'])).toBeUndefined();
    expect(signal('a{us}', [new Map([[1, 'one']])])).toEqual(signal('a{us}', [{ 1: 'one' }]));
  });
});
