/**
 * Contact handles: one small integer per normalised identifier, never reused. Handles are
 * immortal (the spec recommends it), so holding and releasing only validate.
 * @module
 */
import { invalidHandle } from '#telepathy/domain/errors/telepathy-error.js';
import { checkIdentifierLength, ensureRoom, Limits } from '#telepathy/domain/limits/limits.js';

/** Contact identifiers in the echo protocol are case-insensitive; blank ones are invalid. */
export function normalizeContactId(id: string): string {
  const normal = id.trim().toLowerCase();
  if (normal === '') throw invalidHandle('a contact identifier cannot be empty');
  return normal;
}

/** Contact handles of one connection: allocated on first use, never released or reused. */
export class ContactHandles {
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();

  constructor(
    /** Normalises an identifier (the protocol's NormalizeContact; room handles bring their own); throws InvalidHandle for a bad one. */
    private readonly normalize: (id: string) => string = normalizeContactId,
    /** What a handle names, for error messages. */
    private readonly kind: string = 'contact',
  ) {}

  /** The handle for an identifier, allocating one on first use; InvalidHandle for a bad id. */
  ensure(id: string): number {
    checkIdentifierLength(id);
    const normal = this.normalize(id);
    const known = this.byId.get(normal);
    if (known !== undefined) return known;
    ensureRoom(this.ids.length, 1, Limits.handlesPerConnection, `${this.kind} handles`);
    this.ids.push(normal);
    const handle = this.ids.length;
    this.byId.set(normal, handle);
    return handle;
  }

  /** Every handle given out so far, in order. */
  all(): number[] {
    return this.ids.map((_, index) => index + 1);
  }

  /** Whether a number is a handle this connection has given out. */
  isValid(handle: number): boolean {
    return Number.isInteger(handle) && handle >= 1 && handle <= this.ids.length;
  }

  /** The identifier of a handle; InvalidHandle when it was never allocated. */
  inspect(handle: number): string {
    if (!this.isValid(handle)) throw invalidHandle(`${handle} is not a valid ${this.kind} handle`);
    return this.ids[handle - 1]!;
  }
}
