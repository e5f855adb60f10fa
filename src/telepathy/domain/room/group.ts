/**
 * The members of a room (Channel.Interface.Group's state): who joined, and the signals that say so.
 * @module
 */
import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { s, tv, u, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** Channel_Group_Flags cave sets: the 0.17.6 properties, and MembersChangedDetailed beside MembersChanged. */
export const GroupFlag = {
  /** Every Group property is supported. */
  Properties: 2048,
  /** MembersChangedDetailed is emitted as well as MembersChanged. */
  MembersChangedDetailed: 4096,
} as const;

/** Channel_Group_Change_Reason: echo rooms give no reason for joining or leaving. */
const REASON_NONE = 0;

/** The members of one room, in the order they joined. */
export class RoomGroup {
  private current: Party[] = [];

  constructor(
    /** The room channel's path, which emits the signals. */
    private readonly path: string,
    /** The user, the group's SelfHandle. */
    readonly self: Party,
  ) {}

  /** Everyone in the room now, the user included. */
  get members(): readonly Party[] {
    return this.current;
  }

  /** The members who answer a message: everyone but the user. */
  echoers(): readonly Party[] {
    return this.current.filter((member) => member.handle !== this.self.handle);
  }

  /** Whether a handle is in the room. */
  has(handle: number): boolean {
    return this.current.some((member) => member.handle === handle);
  }

  /** The user and the echo members arrive; the signals that announce it, detailed one first. */
  join(echoMembers: readonly Party[]): Signal[] {
    const added = [this.self, ...echoMembers.filter((m) => m.handle !== this.self.handle && !this.has(m.handle))];
    this.current = [...this.current, ...added];
    return this.changed(added, [], '');
  }

  /** The user leaves (RemoveMembers on the SelfHandle): the signals that announce it. */
  leave(message: string): Signal[] {
    this.current = this.current.filter((member) => member.handle !== this.self.handle);
    return this.changed([], [this.self], message);
  }

  private changed(added: readonly Party[], removed: readonly Party[], message: string): Signal[] {
    const handles = (parties: readonly Party[]) => parties.map((p) => p.handle);
    const details: VariantMap = {
      actor: u(this.self.handle),
      'change-reason': u(REASON_NONE),
      'contact-ids': tv('a{us}', Object.fromEntries([this.self, ...added].map((p) => [String(p.handle), p.id]))),
    };
    if (message !== '') details['message'] = s(message);
    const signal = (member: string, args: unknown[]): Signal => ({ path: this.path, interface: Iface.Group, member, args });
    return [
      signal('MembersChangedDetailed', [handles(added), handles(removed), [], [], details]),
      signal('MembersChanged', [message, handles(added), handles(removed), [], [], this.self.handle, REASON_NONE]),
    ];
  }
}
