import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { errorOf, signalNames, textMessage, textRequest, tv } from '#test/telepathy/support/harness.js';
import { joinRoom, roomRequest } from './room-support.js';

const CH = Iface.Channel;
const G = Iface.Group;

describe('an echo room', () => {
  it('is a text channel to a room handle, named by its normalised name', async () => {
    const { conn, props, call } = await joinRoom(' Lobby ');
    expect(props).toMatchObject({
      [`${CH}.ChannelType`]: tv('s', Iface.Text),
      [`${CH}.TargetHandleType`]: tv('u', 2),
      [`${CH}.TargetID`]: tv('s', 'lobby'),
      [`${CH}.Interfaces`]: tv('as', [Iface.Messages, Iface.Destroyable, Iface.Group, Iface.Room2, Iface.Subject2]),
      [`${Iface.Room2}.RoomName`]: tv('s', 'lobby'),
      [`${Iface.Room2}.Server`]: tv('s', ''),
    });
    const handle = (props[`${CH}.TargetHandle`]!.value as number);
    expect(await call(CH, 'GetHandle')).toEqual([2, handle]);
    expect(await call(CH, 'GetChannelType')).toEqual([Iface.Text]);
    // Room handles are their own handle type: the same number can name a contact too.
    expect(await conn.call(Iface.Connection, 'InspectHandles', [2, [handle]])).toEqual([['lobby']]);
    expect(await conn.call(Iface.Connection, 'RequestHandles', [2, ['LOBBY', 'canyon']])).toEqual([[handle, handle + 1]]);
    expect(await errorOf(conn.call(Iface.Connection, 'InspectHandles', [2, [handle + 2]]))).toBe(ErrorNames.InvalidHandle);
    expect(await errorOf(conn.call(Iface.Connection, 'RequestHandles', [2, [' ']]))).toBe(ErrorNames.InvalidHandle);
  });

  it('announces you and the echo members joining right after NewChannels, with their identifiers', async () => {
    const { harness, conn, path, get } = await joinRoom();
    const members = (await get(G, 'Members')).value as number[];
    const [self] = (await conn.call(Iface.Connection, 'GetSelfHandle')) as [number];
    expect(members[0]).toBe(self);
    expect(await get(G, 'MemberIdentifiers')).toEqual(
      tv('a{us}', Object.fromEntries(members.map((h, i) => [String(h), ['me@example.com', 'anna', 'bob', 'otto'][i]]))),
    );
    expect(signalNames(harness.bus).slice(-4)).toEqual(['NewChannels', 'NewChannel', 'MembersChangedDetailed', 'MembersChanged']);
    const detailed = harness.bus.log.find((e) => e.kind === 'signal' && e.member === 'MembersChangedDetailed' && e.path === path);
    expect(detailed?.kind === 'signal' && detailed.args).toEqual([members, [], [], [], {
      actor: tv('u', self),
      'change-reason': tv('u', 0),
      'contact-ids': (await get(G, 'MemberIdentifiers')),
    }]);
    expect(await get(G, 'SelfHandle')).toEqual(tv('u', self));
    expect(await get(G, 'GroupFlags')).toEqual(tv('u', 2048 | 4096));
    expect(await get(G, 'HandleOwners')).toEqual(tv('a{uu}', {}));
    expect(await get(G, 'LocalPendingMembers')).toEqual(tv('a(uuus)', []));
    expect(await get(G, 'RemotePendingMembers')).toEqual(tv('au', []));
  });

  it('echoes every message once from each echo member, in member order', async () => {
    const { harness, path, call, get } = await joinRoom();
    const [, ...echoMembers] = (await get(G, 'Members')).value as number[];
    await call(Iface.Messages, 'SendMessage', [textMessage('hello, room'), 0]);
    expect(signalNames(harness.bus, path).slice(-2)).toEqual(['MessageSent', 'Sent']);
    // Each member's echo is an answer of its own, a moment after the reply.
    harness.timer.advance(25);
    const received = harness.bus.log.flatMap((e) => (e.kind === 'signal' && e.path === path && e.member === 'MessageReceived' ? [e.args[0]] : []));
    expect(received.map((parts) => (parts as Record<string, { value: unknown }>[])[0]!['message-sender']!.value)).toEqual(echoMembers);
    expect(received.map((parts) => (parts as Record<string, { value: unknown }>[])[1]!['content']!.value)).toEqual(['hello, room', 'hello, room', 'hello, room']);
    expect(signalNames(harness.bus, path).slice(-8)).toEqual(['MessageSent', 'Sent', ...Array(3).fill(['MessageReceived', 'Received']).flat()]);
    const [pending] = (await call(Iface.Text, 'ListPendingMessages', [true])) as [unknown[][]];
    expect(pending.map((m) => m[2])).toEqual(echoMembers);
  });

  it('is joined once: Create again is NotAvailable, Ensure returns it with Yours=false', async () => {
    const { harness, conn, path } = await joinRoom('canyon');
    expect(await errorOf(conn.call(Iface.Requests, 'CreateChannel', [roomRequest({ id: 'Canyon' })]))).toBe(ErrorNames.NotAvailable);
    expect((await conn.call(Iface.Requests, 'EnsureChannel', [roomRequest({ id: 'CANYON' })])).slice(0, 2)).toEqual([false, path]);
    const [text] = (await conn.call(Iface.Requests, 'CreateChannel', [textRequest({ id: 'canyon' })])) as [string];
    const channels = await harness.client.get(conn.busName, conn.path, Iface.Requests, 'Channels');
    expect((channels.value as [string][]).map(([p]) => p)).toEqual([text, path]);
  });

  it.each([
    ['no target', roomRequest({}), ErrorNames.InvalidArgument],
    ['an unknown room handle', roomRequest({ handle: 99 }), ErrorNames.InvalidHandle],
    ['an empty room name', roomRequest({ id: '  ' }), ErrorNames.InvalidHandle],
    ['an unrequestable property', { ...roomRequest({ id: 'x' }), [`${Iface.Room2}.Server`]: tv('s', 'elsewhere') }, ErrorNames.NotImplemented],
  ])('refuses a request with %s', async (_why, request, error) => {
    const { conn } = await joinRoom();
    expect(await errorOf(conn.call(Iface.Requests, 'CreateChannel', [request]))).toBe(error);
  });

  it('has a subject that SetSubject changes, announced by PropertiesChanged before the reply', async () => {
    const { harness, path, call, get } = await joinRoom('lobby');
    expect(await get(Iface.Subject2, 'Subject')).toEqual(tv('s', 'Welcome to the echo lobby'));
    expect(await get(Iface.Subject2, 'Actor')).toEqual(tv('s', ''));
    expect(await get(Iface.Subject2, 'CanSet')).toEqual(tv('b', true));
    harness.clock.ms = 1_800_000_000_000;
    await call(Iface.Subject2, 'SetSubject', ['echo, echo']);
    const changed = { Subject: tv('s', 'echo, echo'), Actor: tv('s', 'me@example.com'), ActorHandle: tv('u', 1), Timestamp: tv('x', 1_800_000_000n) };
    for (const [name, value] of Object.entries(changed)) expect(await get(Iface.Subject2, name)).toEqual(value);
    const log = harness.bus.log;
    const signal = log.findIndex((e) => e.kind === 'signal' && e.path === path && e.member === 'PropertiesChanged');
    expect(log[signal]?.kind === 'signal' && log[signal].args).toEqual([Iface.Subject2, changed, []]);
    expect(log.slice(signal).some((e) => e.kind === 'reply')).toBe(true);
    expect(await errorOf(call(Iface.Subject2, 'SetSubject', [42]))).toBe(ErrorNames.InvalidArgument);
  });

  it('is left by removing yourself: the group says so, then the room closes', async () => {
    const { harness, path, call, get } = await joinRoom();
    const [self, anna] = (await get(G, 'Members')).value as number[];
    expect(await errorOf(call(G, 'RemoveMembers', [[anna], '']))).toBe(ErrorNames.PermissionDenied);
    expect(await errorOf(call(G, 'AddMembers', [[999], '']))).toBe(ErrorNames.InvalidHandle);
    await call(G, 'AddMembers', [[anna], '']); // already there: allowed
    await call(G, 'RemoveMembers', [[self], 'bye']);
    expect(signalNames(harness.bus).slice(-4)).toEqual(['MembersChangedDetailed', 'MembersChanged', 'Closed', 'ChannelClosed']);
    const changed = harness.bus.log.filter((e) => e.kind === 'signal' && e.member === 'MembersChanged').at(-1);
    expect(changed?.kind === 'signal' && changed.args).toEqual(['bye', [], [self], [], [], self, 0]);
    expect(await errorOf(call(CH, 'Close'))).toBe('org.freedesktop.DBus.Error.UnknownMethod');
    expect(harness.service.exportedPaths).not.toContain(path);
  });

  it('closes with the connection', async () => {
    const { harness, conn, path } = await joinRoom();
    await conn.call(Iface.Connection, 'Disconnect');
    expect(signalNames(harness.bus, path).at(-1)).toBe('Closed');
    expect(harness.service.exportedPaths).not.toContain(path);
  });
});
