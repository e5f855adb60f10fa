import { createRequire } from 'node:module';
import { canonicalInteger } from './int-key-dicts.js';
import { fail, MessageWriter as Writer, Unsupported } from './message-writer.js';
import { domainShapes, marshallerShapes, type Shapes } from './value-shapes.js';
import { parseSignature, type TypeNode } from './signature.js';

/**
 * A faster writer for dbus-next's outgoing messages. dbus-next 0.10.2 marshals through a
 * stream of tiny buffers, which made marshalling about half of the daemon's work per echoed
 * message (and most of its garbage). This writes the same bytes into one growing buffer. It
 * takes dbus-next's internal "marshaller format" (variants as `[signature, value]`, dicts as
 * arrays of `[key, value]`) and, for anything it does not expect, hands the message back to
 * dbus-next's own marshaller, so it can only be faster, never different.
 */

interface MessageFields {
  serial?: number;
  type?: number;
  flags?: number;
  signature?: string;
  body?: unknown[];
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  unixFd?: number;
}

type Marshal = (message: MessageFields) => [Buffer, unknown[]];
interface MessageModule {
  marshall: Marshal;
  /** dbus-next's own marshaller once the fast one is installed (tests compare the two). */
  caveOriginalMarshal?: Marshal;
}

/** Header fields in D-Bus code order, with their types. */
const headerFields: readonly [keyof MessageFields, number, string, TypeNode][] = (
  [
    ['path', 1, 'o'],
    ['interface', 2, 's'],
    ['member', 3, 's'],
    ['errorName', 4, 's'],
    ['replySerial', 5, 'u'],
    ['destination', 6, 's'],
    ['sender', 7, 's'],
    ['signature', 8, 'g'],
    ['unixFd', 9, 'u'],
  ] as const
).map(([name, code, signature]) => [name, code, signature, { code: signature, children: [], text: signature }]);

const alignment: Record<string, number> = { y: 1, g: 1, v: 1, n: 2, q: 2, b: 4, i: 4, u: 4, h: 4, s: 4, o: 4, a: 4, x: 8, t: 8, d: 8, '(': 8, '{': 8 };

const typesOf = parseSignature;

function integer(v: unknown, min: number, max: number): number {
  const n = typeof v === 'number' ? v : canonicalInteger(v);
  return n !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : fail();
}

/** Dict keys arrive as texts: a canonical decimal text is its 64-bit integer, as dbus-next reads it. */
const decimal = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v) && BigInt(v).toString() === v ? BigInt(v) : fail());

function int64(v: unknown, signed: boolean): bigint {
  const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : decimal(v);
  return (signed ? BigInt.asIntN(64, n) : BigInt.asUintN(64, n)) === n ? n : fail();
}

/** A fixed-size value: the slot is taken before the buffer is read, as taking it may replace it. */
function fixed<T>(w: Writer, size: number, value: T, put: (buffer: Buffer, value: T, at: number) => unknown): void {
  const at = w.slot(size);
  put(w.buffer, value, at);
}
const int16 = (b: Buffer, v: number, at: number) => b.writeInt16LE(v, at);
const uint16 = (b: Buffer, v: number, at: number) => b.writeUInt16LE(v, at);
const int32 = (b: Buffer, v: number, at: number) => b.writeInt32LE(v, at);
const bigInt64 = (b: Buffer, v: bigint, at: number) => b.writeBigInt64LE(v, at);
const bigUint64 = (b: Buffer, v: bigint, at: number) => b.writeBigUInt64LE(v, at);
const double = (b: Buffer, v: number, at: number) => b.writeDoubleLE(v, at);

function write(w: Writer, type: TypeNode, data: unknown, shapes: Shapes): void {
  switch (type.code) {
    case 'y':
      return w.u8(integer(data, 0, 0xff));
    case 'b':
      return w.u32(data === true || data === 1 ? 1 : data === false || data === 0 ? 0 : fail());
    case 'n':
      return fixed(w, 2, integer(data, -0x8000, 0x7fff), int16);
    case 'q':
      return fixed(w, 2, integer(data, 0, 0xffff), uint16);
    case 'i':
      return fixed(w, 4, integer(data, -0x80000000, 0x7fffffff), int32);
    case 'u':
      return w.u32(integer(data, 0, 0xffffffff));
    case 'x':
      return fixed(w, 8, int64(data, true), bigInt64);
    case 't':
      return fixed(w, 8, int64(data, false), bigUint64);
    case 'd':
      // dbus-next writes -0 as 0 (it goes through parseFloat); so do we.
      return fixed(w, 8, typeof data === 'number' && Number.isFinite(data) ? data + 0 : fail(), double);
    case 's':
    case 'o':
      return w.text(data, 4);
    case 'g':
      return w.text(data, 1);
    case 'v': {
      const signature = shapes.variantSignature(data);
      w.text(signature, 1);
      const types = typesOf(signature as string);
      return types.length === 1 ? write(w, types[0] as TypeNode, shapes.variantValue(data), shapes) : fail();
    }
    case '(':
    case '{': {
      if (!Array.isArray(data) || data.length !== type.children.length) fail();
      w.align(8);
      for (let i = 0; i < type.children.length; i++) write(w, type.children[i] as TypeNode, (data as unknown[])[i], shapes);
      return;
    }
    case 'a':
      return writeArray(w, type.children[0] as TypeNode, data, shapes);
    default:
      return fail(); // unix fds and anything unforeseen: dbus-next's own marshaller
  }
}

function writeArray(w: Writer, child: TypeNode, data: unknown, shapes: Shapes): void {
  const bytes = child.code === 'y' ? shapes.bytes(data) : undefined;
  if (bytes) {
    w.u32(bytes.length);
    for (const byte of bytes) w.u8(byte);
    return;
  }
  if (child.code !== '{' && !Array.isArray(data)) fail();
  const lengthAt = w.slot(4);
  w.align(alignment[child.code] ?? 1);
  const start = w.length;
  if (child.code === '{') {
    const [keyType, valueType] = child.children as [TypeNode, TypeNode];
    shapes.eachEntry(data, (key, value) => {
      w.align(8);
      write(w, keyType, key, shapes);
      write(w, valueType, value, shapes);
    });
  } else for (const element of data as unknown[]) write(w, child, element, shapes);
  w.buffer.writeUInt32LE(w.length - start, lengthAt);
}

/** Marshalling never re-enters: one writer serves every message, and each message is copied out. */
const scratch = new Writer();

/** The whole message, header and body, exactly as dbus-next would write it. */
export function marshalMessage(message: MessageFields, shapes: Shapes = marshallerShapes): Buffer {
  if (!message.serial) fail();
  const w = scratch;
  w.length = 0;
  w.u8(108); // little endian
  w.u8(message.type || 1);
  w.u8(message.flags || 0);
  w.u8(1); // protocol version
  w.u32(0); // the body's length, once written
  w.u32(message.serial as number);
  // The header fields, an `a(yv)`, written directly: no [code, [signature, value]] arrays.
  const fieldsAt = w.slot(4);
  for (const [name, code, signature, type] of headerFields) {
    if (!message[name]) continue;
    w.align(8);
    w.u8(code);
    w.text(signature, 1);
    write(w, type, message[name], marshallerShapes);
  }
  w.buffer.writeUInt32LE(w.length - fieldsAt - 4, fieldsAt);
  w.align(8);
  const bodyAt = w.length;
  if (message.signature && message.body) {
    const types = typesOf(message.signature);
    if (types.length !== message.body.length) fail();
    for (let i = 0; i < types.length; i++) write(w, types[i] as TypeNode, message.body[i], shapes);
  }
  w.buffer.writeUInt32LE(w.length - bodyAt, 4);
  return Buffer.from(w.buffer.subarray(0, w.length));
}

/** A signal as the domain emits it: its arguments are domain values (see wire-values.ts). */
export interface DomainSignal {
  /** The object path it is emitted from. */
  readonly path: string;
  /** Its interface. */
  readonly interface: string;
  /** Its name. */
  readonly member: string;
  /** The signature of its arguments. */
  readonly signature: string;
  /** Its arguments, as domain values. */
  readonly args: readonly unknown[];
}

/**
 * A signal's bytes straight from the domain's values, with serial 1 (a message's serial sits at
 * bytes 8-11: the sender puts its own there); undefined where dbus-next's way must decide.
 * Skipping the Variants and dbus-next's Message and format conversion made each echo cheaper.
 */
export function marshalSignal(signal: DomainSignal): Buffer | undefined {
  const { path, interface: iface, member, signature, args } = signal;
  try {
    return marshalMessage({ type: 4, serial: 1, path, interface: iface, member, signature, body: args as unknown[] }, domainShapes);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function messageModule(): MessageModule {
  return createRequire(import.meta.url)('dbus-next/lib/message.js') as MessageModule;
}

/** Install once per process: dbus-next looks its marshaller up on this module for each message. */
export function useFastMarshalling(): void {
  const module = messageModule();
  if (module.caveOriginalMarshal) return;
  const original = module.marshall;
  module.caveOriginalMarshal = original;
  module.marshall = (message) => {
    try {
      return [marshalMessage(message), []];
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      return original(message);
    }
  };
}
