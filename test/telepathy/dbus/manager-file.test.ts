import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONNECTION_INTERFACES, ECHO_PARAMETERS, protocolProperties } from '#telepathy/domain/protocol/echo-protocol.js';
import { PRESENCE_STATUSES } from '#telepathy/domain/connection/presence.js';
import { emailProtocol } from '#telepathy/domain/email/email-protocol.js';
import { Iface, ParamFlag } from '#telepathy/domain/names/names.js';
import { avatarRequirementProperties } from '#telepathy/domain/avatars/avatar-requirements.js';

/** The .manager file is a cache of what the running CM says: they must agree. */
const text = readFileSync(new URL('../../../data/cave.manager', import.meta.url), 'utf8');
const groups = new Map<string, Map<string, string>>();
let current = new Map<string, string>();
for (const line of text.split('\n')) {
  const header = /^\[(.+)\]$/.exec(line);
  if (header) groups.set(header[1] as string, (current = new Map()));
  else if (line.includes('=')) current.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
}
const list = (value: string | undefined) => (value ?? '').split(';').filter(Boolean);
const echo = groups.get('Protocol echo');
const domain = protocolProperties();

describe('data/cave.manager', () => {
  it('describes the echo protocol the way the running connection manager does', () => {
    expect([...groups.keys()].slice(0, 3)).toEqual(['ConnectionManager', 'Protocol echo', 'Protocol email']);
    expect(list(echo?.get('ConnectionInterfaces'))).toEqual([...CONNECTION_INTERFACES]);
    expect(ECHO_PARAMETERS.map(([name, flags, signature]) => [`param-${name}`, `${signature}${flags & 1 ? ' required' : ''}`])).toEqual(
      [...(echo?.entries() ?? [])].filter(([k]) => k.startsWith('param-')),
    );
    for (const key of ['EnglishName', 'Icon', 'VCardField'] as const) expect(echo?.get(key)).toBe(domain[key]?.value);
    expect(list(echo?.get('Interfaces'))).toEqual(domain.Interfaces?.value);
    expect(list(echo?.get('AuthenticationTypes'))).toEqual(domain.AuthenticationTypes?.value);
  });

  it('lists every presence status as the running protocol does, so Mission Control need not map hidden to busy', () => {
    const statuses = [...(echo?.entries() ?? [])].filter(([k]) => k.startsWith('status-'));
    expect(statuses).toEqual(
      PRESENCE_STATUSES.map(([name, type, settable, message]) => [`status-${name}`, `${type}${settable ? ' settable' : ''}${message ? ' message' : ''}`]),
    );
  });

  it('caches the avatar requirements under the property names, as Protocol.Interface.Avatars asks', () => {
    const properties = avatarRequirementProperties();
    const cached = Object.keys(properties).map((name) => [name, echo?.get(name)]);
    expect(cached).toEqual(
      Object.entries(properties).map(([name, read]) => {
        const { value } = read();
        return [name, Array.isArray(value) ? value.map((type) => `${type};`).join('') : String(value)];
      }),
    );
  });

  it('lists the requestable channel classes: text to a contact, rooms, room lists', () => {
    const names = ['text', 'room', 'roomlist'];
    expect([...groups.keys()].slice(3)).toEqual(names);
    expect(list(echo?.get('RequestableChannelClasses'))).toEqual(names);
    const classes = domain.RequestableChannelClasses?.value as [Record<string, { signature: string; value: unknown }>, string[]][];
    expect(classes).toHaveLength(names.length);
    classes.forEach(([fixed, allowed], index) => {
      const group = groups.get(names[index]!);
      expect([...(group?.keys() ?? [])]).toEqual([...Object.entries(fixed).map(([name, { signature }]) => `${name} ${signature}`), 'allowed']);
      for (const [name, { signature, value }] of Object.entries(fixed)) expect(group?.get(`${name} ${signature}`)).toBe(String(value));
      expect(list(group?.get('allowed'))).toEqual(allowed);
    });
  });

  it('describes the email protocol the way the running connection manager does: flags, secrets and defaults', () => {
    const email = groups.get('Protocol email');
    const protocol = emailProtocol({ network: { signIn: () => Promise.reject(new Error('unused')) }, randomBytes: () => new Uint8Array(16), clock: { now: () => 0 } });
    const properties = protocol.properties();
    const expected = protocol.parameters.flatMap(([name, flags, signature, value]) => {
      const words = [signature, ...(flags & ParamFlag.Required ? ['required'] : []), ...(flags & ParamFlag.Secret ? ['secret'] : [])];
      const line: [string, string][] = [[`param-${name}`, words.join(' ')]];
      return flags & ParamFlag.HasDefault ? [...line, [`default-${name}`, String(value.value)] as [string, string]] : line;
    });
    expect([...(email?.entries() ?? [])].filter(([k]) => k.startsWith('param-') || k.startsWith('default-'))).toEqual(expected);
    for (const key of ['EnglishName', 'Icon', 'VCardField'] as const) expect(email?.get(key)).toBe(properties[key]?.value);
    expect(list(email?.get('ConnectionInterfaces'))).toEqual(properties.ConnectionInterfaces?.value);
    expect(list(email?.get('RequestableChannelClasses'))).toEqual(['text']);
    // The spec asks for Protocol.Interface.Addressing's properties to be cached here.
    expect(list(email?.get('Interfaces'))).toEqual(properties.Interfaces?.value);
    const addressing = protocol.interfaces?.[Iface.ProtocolAddressing]?.properties;
    expect(list(email?.get('AddressableVCardFields'))).toEqual(addressing?.['AddressableVCardFields']?.().value);
    expect(list(email?.get('AddressableURISchemes'))).toEqual(addressing?.['AddressableURISchemes']?.().value);
  });
});
