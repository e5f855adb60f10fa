/** A parsed D-Bus type: one complete type of a signature, with its children for containers. */
export interface TypeNode {
  /** `a`, `(`, `{`, `v` or a basic type code. */
  readonly code: string;
  /** Element type of an array, members of a struct or dict entry; empty for the rest. */
  readonly children: readonly TypeNode[];
  /** The complete type as text, e.g. `a{sv}`. */
  readonly text: string;
}

/** Signatures repeat endlessly (`aa{sv}u`, variants of `s`, `u`…): each is parsed once. */
const parsed = new Map<string, readonly TypeNode[]>();

/** Split a signature into its complete types: `sa{sv}u` → `s`, `a{sv}`, `u` (shared: do not change). */
export function parseSignature(signature: string): readonly TypeNode[] {
  let nodes = parsed.get(signature);
  if (nodes) return nodes;
  const fresh: TypeNode[] = [];
  let at = 0;
  while (at < signature.length) {
    const [node, next] = parseOne(signature, at);
    fresh.push(node);
    at = next;
  }
  nodes = Object.freeze(fresh);
  // Bounded: signatures come from the spec and from callers' variants.
  if (parsed.size < 1000) parsed.set(signature, nodes);
  return nodes;
}

/** The single complete type of a one-type signature. */
export function parseType(signature: string): TypeNode {
  const nodes = parseSignature(signature);
  if (nodes.length !== 1) throw new Error(`not a single complete type: '${signature}'`);
  return nodes[0] as TypeNode;
}

function parseOne(signature: string, start: number): [TypeNode, number] {
  const code = signature[start];
  if (code === undefined) throw new Error(`signature ends too early: '${signature}'`);
  if (code === 'a') {
    const [child, next] = parseOne(signature, start + 1);
    return [{ code, children: [child], text: signature.slice(start, next) }, next];
  }
  if (code === '(' || code === '{') {
    const close = code === '(' ? ')' : '}';
    const children: TypeNode[] = [];
    let at = start + 1;
    while (signature[at] !== close) {
      const [child, next] = parseOne(signature, at);
      children.push(child);
      at = next;
    }
    return [{ code, children, text: signature.slice(start, at + 1) }, at + 1];
  }
  if (!'ybnqiuxtdsogvh'.includes(code)) throw new Error(`unknown type code '${code}' in '${signature}'`);
  return [{ code, children: [], text: code }, start + 1];
}
