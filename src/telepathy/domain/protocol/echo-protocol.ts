/**
 * The `echo` protocol: its parameters, its account identity, and its immutable properties.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { normalizeContactId } from '#telepathy/domain/connection/handles.js';
import { HandleType, Iface, ParamFlag, PROTOCOL_NAME } from '#telepathy/domain/names/names.js';
import { as, s, tv, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';

/** One Param_Spec: name, flags, signature, default (a dummy of the right type when none). */
export type ParamSpec = [name: string, flags: number, signature: string, defaultValue: TypedValue];

/** The echo protocol's parameters: one required string, `account`. */
export const ECHO_PARAMETERS: readonly ParamSpec[] = [['account', ParamFlag.Required, 's', s('')]];

/** The interfaces every echo connection implements besides Connection itself. */
export const CONNECTION_INTERFACES = [
  Iface.Requests,
  Iface.Contacts,
  Iface.SimplePresence,
  Iface.ContactList,
  Iface.ContactGroups,
  Iface.Aliasing,
  Iface.Avatars,
] as const;

/** The Protocol object's interfaces besides Protocol itself. */
export const PROTOCOL_INTERFACES = [Iface.ProtocolPresence, Iface.ProtocolAvatars] as const;

/** Text channels to a contact or a room, named by handle or by identifier; room lists. */
export function requestableChannelClasses(): TypedValue {
  const target = [`${Iface.Channel}.TargetHandle`, `${Iface.Channel}.TargetID`];
  const fixed = (channelType: string, handleType: number): VariantMap => ({
    [`${Iface.Channel}.ChannelType`]: s(channelType),
    [`${Iface.Channel}.TargetHandleType`]: tv('u', handleType),
  });
  return tv('a(a{sv}as)', [
    [fixed(Iface.Text, HandleType.Contact), target],
    // Rooms and room lists: what "Join chat room" dialogs look for.
    [fixed(Iface.Text, HandleType.Room), target],
    [fixed(Iface.RoomList, HandleType.None), []],
  ]);
}

/** The checked parameters of a connection request. */
export interface EchoAccount {
  /** The account as given. */
  readonly account: string;
  /** The account's identity: it names the connection and its self contact. */
  readonly normalized: string;
}

/** Validate RequestConnection / IdentifyAccount parameters: exactly one required `account` string. */
export function parseParameters(parameters: VariantMap): EchoAccount {
  const known = new Set(ECHO_PARAMETERS.map(([name]) => name));
  for (const name of Object.keys(parameters)) {
    if (!known.has(name)) throw invalidArgument(`unknown parameter ${JSON.stringify(name)} for protocol ${PROTOCOL_NAME}`);
  }
  const account = parameters['account'];
  if (account === undefined) throw invalidArgument('the account parameter is required');
  if (account.signature !== 's' || typeof account.value !== 'string') {
    throw invalidArgument(`the account parameter must be a string (s), not ${account.signature}`);
  }
  if (account.value.trim() === '') throw invalidArgument('the account parameter cannot be empty');
  return { account: account.value, normalized: normalizeContactId(account.value) };
}

/** Protocol properties, by unqualified name (the Protocol object's Get/GetAll). */
export function protocolProperties(): Record<string, TypedValue> {
  return {
    Interfaces: as(PROTOCOL_INTERFACES),
    Parameters: tv('a(susv)', ECHO_PARAMETERS.map((spec) => [...spec])),
    ConnectionInterfaces: as(CONNECTION_INTERFACES),
    RequestableChannelClasses: requestableChannelClasses(),
    VCardField: s(''),
    EnglishName: s('Echo'),
    Icon: s('im-echo'),
    AuthenticationTypes: as([]),
  };
}

/** The same properties fully qualified, as the ConnectionManager's Protocols map carries them. */
export function qualifiedProtocolProperties(): VariantMap {
  return Object.fromEntries(Object.entries(protocolProperties()).map(([k, v]) => [`${Iface.Protocol}.${k}`, v]));
}
