/**
 * Channel.Interface.Group on a room: who is in it, and RemoveMembers on yourself to leave.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { MethodCall, Reply } from '#telepathy/domain/bus/bus.port.js';
import type { ContactHandles } from '#telepathy/domain/connection/handles.js';
import { permissionDenied } from '#telepathy/domain/errors/telepathy-error.js';
import { Args } from '#telepathy/domain/values/args.js';
import { au, tv, u } from '#telepathy/domain/values/typed-values.js';
import { GroupFlag, type RoomGroup } from './group.js';

/** What the Group interface needs from its room. */
export interface GroupHost {
  /** The room's members. */
  readonly group: RoomGroup;
  /** The connection's contact handles, to check the handles a client passes. */
  readonly handles: ContactHandles;
  /** The user leaves: the group says so, then the channel closes. */
  leave(message: string): Reply;
}

const FLAGS = GroupFlag.Properties | GroupFlag.MembersChangedDetailed;

/** The methods and properties of `org.freedesktop.Telepathy.Channel.Interface.Group` for a room. */
export function groupInterface(room: GroupHost): BusInterface {
  const { group } = room;
  const memberHandles = () => group.members.map((member) => member.handle);
  const checked = (call: MethodCall) => {
    const handles = new Args(call.args).uints(0, 'Contacts');
    for (const handle of handles) room.handles.inspect(handle);
    return handles;
  };
  const remove = (call: MethodCall) => {
    const handles = checked(call);
    // Echo members never leave: the only one a user may remove is themself.
    if (handles.some((h) => h !== group.self.handle)) throw permissionDenied('you can only remove yourself from an echo room');
    return handles.length === 0 ? reply() : room.leave(new Args(call.args).string(1, 'Message'));
  };
  return {
    methods: {
      AddMembers: (call) => {
        // Adding who is already there is allowed; nobody else can join an echo room.
        if (!checked(call).every((h) => group.has(h))) throw permissionDenied('nobody can be invited into an echo room');
        return reply();
      },
      RemoveMembers: remove,
      RemoveMembersWithReason: remove,
      GetAllMembers: () => reply(memberHandles(), [], []),
      GetGroupFlags: () => reply(FLAGS),
      GetHandleOwners: (call) => reply(checked(call)),
      GetLocalPendingMembers: () => reply([]),
      GetLocalPendingMembersWithInfo: () => reply([]),
      GetMembers: () => reply(memberHandles()),
      GetRemotePendingMembers: () => reply([]),
      GetSelfHandle: () => reply(group.self.handle),
    },
    properties: {
      GroupFlags: () => u(FLAGS),
      // Members are the connection's own contacts, not channel-specific handles: nothing to map.
      HandleOwners: () => tv('a{uu}', {}),
      LocalPendingMembers: () => tv('a(uuus)', []),
      Members: () => au(memberHandles()),
      MemberIdentifiers: () => tv('a{us}', Object.fromEntries(group.members.map((m) => [String(m.handle), m.id]))),
      RemotePendingMembers: () => au([]),
      SelfHandle: () => u(group.self.handle),
    },
  };
}
