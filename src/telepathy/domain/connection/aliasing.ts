/**
 * Connection.Interface.Aliasing: the names clients show for contacts, and setting them.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { Aliases } from '#telepathy/domain/roster/aliases.js';
import { Args } from '#telepathy/domain/values/args.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';

/** What the Aliasing interface needs from its connection. */
export interface AliasingHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The connection's object path, which emits AliasesChanged. */
  readonly path: string;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The connection's aliases. */
  readonly aliases: Aliases;
  /** Emit signals now (before the reply of the call being handled). */
  emitAll(signals: readonly Signal[]): void;
}

/** Connection_Alias_Flags User_Set: the user may name any contact, not only themselves. */
const USER_SET = 1;

/** The methods of `org.freedesktop.Telepathy.Connection.Interface.Aliasing` (it has no properties). */
export function aliasingInterface(conn: AliasingHost): BusInterface {
  const live = connectedOnly(conn);
  const contacts = (call: { args: readonly unknown[] }) => {
    const handles = new Args(call.args).uints(0, 'Contacts');
    for (const handle of handles) conn.handles.inspect(handle);
    return handles;
  };
  return {
    methods: {
      GetAliasFlags: live(() => reply(USER_SET)),
      RequestAliases: live((call) => reply(contacts(call).map((h) => conn.aliases.aliasOf(h)))),
      GetAliases: live((call) => reply(Object.fromEntries(contacts(call).map((h) => [String(h), conn.aliases.aliasOf(h)])))),
      SetAliases: live((call) => {
        const aliases = aliasMap(call.args[0]);
        for (const key of Object.keys(aliases)) conn.handles.inspect(Number(key));
        const changed = conn.aliases.set(aliases);
        if (changed.length > 0) conn.emitAll([{ path: conn.path, interface: Iface.Aliasing, member: 'AliasesChanged', args: [changed] }]);
        return reply();
      }),
    },
    properties: {},
  };
}

/** An `a{us}` as the bus hands it over: decimal-string keys, string values. */
function aliasMap(value: unknown): Record<string, string> {
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([k, v]) => /^\d+$/.test(k) && typeof v === 'string');
  if (!ok) throw invalidArgument('argument 0 (Aliases) has the wrong type');
  return value as Record<string, string>;
}
