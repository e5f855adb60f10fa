import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The D-Bus interfaces cave implements, read from the introspection XML checked in under
 * `spec/telepathy/`. The adapter builds its exported interfaces from these, so what a client
 * introspects is the spec by construction.
 */

export interface ArgDefinition {
  /** The argument name, when the XML gives one (it is only documentation). */
  readonly name?: string;
  /** Its D-Bus type signature, e.g. `a{sv}`. */
  readonly type: string;
}

/** A method of an interface, with its arguments in each direction. */
export interface MethodDefinition {
  /** Member name, e.g. `RequestConnection`. */
  readonly name: string;
  /** What the caller passes, in order. */
  readonly inArgs: readonly ArgDefinition[];
  /** What the reply carries, in order. */
  readonly outArgs: readonly ArgDefinition[];
}

/** A signal of an interface and the arguments it carries. */
export interface SignalDefinition {
  /** Member name, e.g. `MessageReceived`. */
  readonly name: string;
  /** What each emission carries, in order. */
  readonly args: readonly ArgDefinition[];
}

/** A property of an interface: its type and who may read or write it. */
export interface PropertyDefinition {
  /** Property name, e.g. `SelfID`. */
  readonly name: string;
  /** Its D-Bus type signature. */
  readonly type: string;
  /** Whether clients may read it, write it or both. */
  readonly access: 'read' | 'write' | 'readwrite';
}

/** One D-Bus interface: everything a client can call, listen to or read on it. */
export interface InterfaceDefinition {
  /** Full interface name, e.g. `org.freedesktop.Telepathy.Connection`. */
  readonly name: string;
  /** Its methods, in document order. */
  readonly methods: readonly MethodDefinition[];
  /** Its signals, in document order. */
  readonly signals: readonly SignalDefinition[];
  /** Its properties, in document order. */
  readonly properties: readonly PropertyDefinition[];
}

const signatures = new WeakMap<readonly ArgDefinition[], string>();

/** The concatenated types of some arguments: a method's in- or out-signature (joined once per list). */
export function signatureOf(args: readonly ArgDefinition[]): string {
  let signature = signatures.get(args);
  if (signature === undefined) {
    signature = args.map((a) => a.type).join('');
    signatures.set(args, signature);
  }
  return signature;
}

/** `spec/telepathy/` beside `src/` or `dist/` (this file sits two folders below either). */
export const specDirectory = fileURLToPath(new URL('../../../../spec/telepathy/', import.meta.url));

/** Every interface defined in the XML files of a folder, by name. */
export function loadInterfaceDefinitions(dir: string = specDirectory): Map<string, InterfaceDefinition> {
  const found = new Map<string, InterfaceDefinition>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()) {
    for (const iface of parseIntrospectionXml(readFileSync(join(dir, file), 'utf8'))) found.set(iface.name, iface);
  }
  return found;
}

interface Tag {
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

// Introspection XML is flat and regular: tags with attributes, no text that matters. A small
// tokenizer reads both our files and what dbus-next or any other library answers to Introspect.
function* tags(xml: string): Generator<Tag> {
  const withoutNoise = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<[!?][^>]*>/g, '');
  for (const m of withoutNoise.matchAll(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g)) {
    const attributes: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attributes[a[1] as string] = unescape(a[2] ?? a[3] ?? '');
    }
    yield { closing: m[1] === '/', selfClosing: m[4] === '/', name: m[2] as string, attributes };
  }
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

interface Building {
  name: string;
  methods: MethodDefinition[];
  signals: SignalDefinition[];
  properties: PropertyDefinition[];
}

/** The interfaces of one introspection document (nested `<node>`s are not followed). */
export function parseIntrospectionXml(xml: string): InterfaceDefinition[] {
  const result: InterfaceDefinition[] = [];
  let iface: Building | undefined;
  let member: { kind: 'method' | 'signal'; name: string; inArgs: ArgDefinition[]; outArgs: ArgDefinition[] } | undefined;
  let depth = 0;
  for (const tag of tags(xml)) {
    if (tag.name === 'node') {
      if (!tag.selfClosing) depth += tag.closing ? -1 : 1;
      continue;
    }
    if (depth > 1) continue;
    const name = tag.attributes.name ?? '';
    if (tag.name === 'interface') {
      if (tag.closing && iface) {
        result.push(iface);
        iface = undefined;
      } else if (!tag.closing) {
        iface = { name, methods: [], signals: [], properties: [] };
        if (tag.selfClosing) {
          result.push(iface);
          iface = undefined;
        }
      }
    } else if ((tag.name === 'method' || tag.name === 'signal') && iface) {
      if (!tag.closing) member = { kind: tag.name, name, inArgs: [], outArgs: [] };
      if ((tag.closing || tag.selfClosing) && member) {
        if (member.kind === 'method') iface.methods.push({ name: member.name, inArgs: member.inArgs, outArgs: member.outArgs });
        else iface.signals.push({ name: member.name, args: member.inArgs });
        member = undefined;
      }
    } else if (tag.name === 'arg' && member && !tag.closing) {
      const arg: ArgDefinition = tag.attributes.name ? { name: tag.attributes.name, type: tag.attributes.type ?? '' } : { type: tag.attributes.type ?? '' };
      if (tag.attributes.direction === 'out') member.outArgs.push(arg);
      else member.inArgs.push(arg);
    } else if (tag.name === 'property' && iface && !tag.closing) {
      const access = tag.attributes.access;
      iface.properties.push({ name, type: tag.attributes.type ?? '', access: access === 'write' || access === 'readwrite' ? access : 'read' });
    }
  }
  return result;
}
