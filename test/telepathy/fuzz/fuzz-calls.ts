/**
 * Random D-Bus calls for fuzzing telepathy-cave: to every object path and interface it exports
 * and to ones it does not, with well-typed random arguments or arbitrary wrong ones.
 */
import dbus from 'dbus-next';
import fc from 'fast-check';
import { loadInterfaceDefinitions, signatureOf } from '#telepathy/adapters/dbus-next/interface-definitions.js';
import { parseSignature, type TypeNode } from '#telepathy/adapters/dbus-next/signature.js';

const { Variant } = dbus;

/** One call: where, what, and its body in dbus-next's shapes. */
export interface FuzzCall {
  readonly path: string;
  readonly iface: string;
  readonly member: string;
  readonly signature: string;
  readonly body: unknown[];
}

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', 'echo', 'alice', 'org.freedesktop.Telepathy.Channel.Type.Text')).filter((s) => !s.includes('\0'));
const basic: Record<string, () => fc.Arbitrary<unknown>> = {
  y: () => fc.integer({ min: 0, max: 255 }),
  b: () => fc.boolean(),
  n: () => fc.integer({ min: -0x8000, max: 0x7fff }),
  q: () => fc.integer({ min: 0, max: 0xffff }),
  i: () => fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  u: () => fc.oneof(fc.nat({ max: 10 }), fc.nat({ max: 0xffffffff })), // small: real handles and ids too
  x: () => fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }),
  t: () => fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  d: () => fc.double({ noNaN: true, noDefaultInfinity: true }),
  s: () => text,
  o: () => fc.constantFrom('/', '/org/freedesktop/Telepathy/Connection/cave/echo/fuzz', '/nowhere'),
  g: () => fc.constantFrom('', 's', 'a{sv}', 'aa{sv}u'),
};
/** A value of a random simple type, for variants: right or wrong for what the daemon expects. */
const anyVariant = fc.oneof(...['u', 's', 'b', 'x', 'as', 'a{sv}', 'ay', 'd'].map((sig) => valueOf(parseSignature(sig)[0]!, 1).map((v) => new Variant(sig, v))));

function valueOf(type: TypeNode, depth: number): fc.Arbitrary<unknown> {
  const maxLength = depth > 2 ? 1 : 4;
  switch (type.code) {
    case 'a': {
      const child = type.children[0]!;
      if (child.code === 'y') return fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b));
      if (child.code === '{') {
        return fc.array(fc.tuple(valueOf(child.children[0]!, depth + 1), valueOf(child.children[1]!, depth + 1)), { maxLength }).map((pairs) => Object.fromEntries(pairs.map(([k, v]) => [String(k), v])));
      }
      return fc.array(valueOf(child, depth + 1), { maxLength });
    }
    case '(':
      return fc.tuple(...type.children.map((c) => valueOf(c, depth + 1)));
    case 'v':
      // Lazily: anyVariant is built from this very function.
      return depth > 2 ? fc.constant(new Variant('u', 0)) : fc.constant(0).chain(() => anyVariant);
    default:
      return (basic[type.code] ?? (() => fc.constant(0)))();
  }
}

/** A well-typed body for a signature. */
export const bodyFor = (signature: string) => fc.tuple(...parseSignature(signature).map((t) => valueOf(t, 0)));

const definitions = [...loadInterfaceDefinitions().values()];
const wrongSignatures = ['', 's', 'u', 'as', 'a{sv}', 'aa{sv}u', 'v', '(ss)', 'ay', 'a(uv)', 'sa{sv}', 'au', 'ss'];

/** A call to `paths` (plus some that do not exist): right member and signature mostly, anything sometimes. */
export function fuzzCall(paths: readonly string[]): fc.Arbitrary<FuzzCall> {
  const path = fc.oneof({ arbitrary: fc.constantFrom(...paths), weight: 8 }, { arbitrary: fc.constantFrom('/', '/org/freedesktop/Telepathy', '/org/x'), weight: 1 });
  const known = fc.constantFrom(...definitions.flatMap((d) => d.methods.map((m) => ({ iface: d.name, member: m.name, signature: signatureOf(m.inArgs) }))));
  const properties = fc.constantFrom(...definitions.map((d) => d.name), 'org.example.Nope').chain((iface) =>
    fc.oneof(
      fc.constant({ iface: 'org.freedesktop.DBus.Properties', member: 'GetAll', signature: 's', fixed: [iface] }),
      text.map((name) => ({ iface: 'org.freedesktop.DBus.Properties', member: 'Get', signature: 'ss', fixed: [iface, name] })),
      anyVariant.map((v) => ({ iface: 'org.freedesktop.DBus.Properties', member: 'Set', signature: 'ssv', fixed: [iface, 'Channels', v] })),
    ),
  );
  const shape = fc.oneof(
    { arbitrary: known.chain((m) => bodyFor(m.signature).map((body) => ({ ...m, body }))), weight: 6 },
    { arbitrary: fc.tuple(known, fc.constantFrom(...wrongSignatures)).chain(([m, sig]) => bodyFor(sig).map((body) => ({ ...m, signature: sig, body }))), weight: 2 },
    { arbitrary: properties.map(({ fixed, ...m }) => ({ ...m, body: [...fixed] as unknown[] })), weight: 2 },
    { arbitrary: fc.constant({ iface: 'org.freedesktop.DBus.Introspectable', member: 'Introspect', signature: '', body: [] as unknown[] }), weight: 1 },
    { arbitrary: fc.constantFrom('org.example.Nope', 'org.freedesktop.Telepathy.Connection').map((iface) => ({ iface, member: 'Nope', signature: '', body: [] as unknown[] })), weight: 1 },
  );
  return fc.tuple(path, shape).map(([p, s]) => ({ path: p, ...s }));
}
