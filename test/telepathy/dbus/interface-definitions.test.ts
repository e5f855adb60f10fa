import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInterfaceDefinitions, parseIntrospectionXml, signatureOf, specDirectory } from '#telepathy/adapters/dbus-next/interface-definitions.js';

const spec = loadInterfaceDefinitions();
const method = (iface: string, name: string) => spec.get(`org.freedesktop.Telepathy.${iface}`)?.methods.find((m) => m.name === name);

describe('the interface definitions in spec/telepathy', () => {
  it('define exactly the interfaces cave implements, one per file named after it', () => {
    expect([...spec.keys()].sort()).toEqual(
      [
        'Channel',
        'Channel.Interface.ChatState',
        'Channel.Interface.Destroyable',
        'Channel.Interface.Group',
        'Channel.Interface.Messages',
        'Channel.Interface.Room2',
        'Channel.Interface.Subject2',
        'Channel.Type.RoomList',
        'Channel.Type.Text',
        'Connection',
        'Connection.Interface.Aliasing',
        'Connection.Interface.Avatars',
        'Connection.Interface.ContactGroups',
        'Connection.Interface.ContactList',
        'Connection.Interface.Contacts',
        'Connection.Interface.Requests',
        'Connection.Interface.SimplePresence',
        'ConnectionManager',
        'Debug',
        'Protocol',
        'Protocol.Interface.Addressing',
        'Protocol.Interface.Avatars',
        'Protocol.Interface.Presence',
      ].map((n) => `org.freedesktop.Telepathy.${n}`).sort(),
    );
    expect(readdirSync(specDirectory).filter((f) => f.endsWith('.xml')).sort()).toEqual([...spec.keys()].map((n) => `${n}.xml`).sort());
  });

  it('carry the signatures real clients rely on', () => {
    expect(signatureOf(method('ConnectionManager', 'RequestConnection')?.inArgs ?? [])).toBe('sa{sv}');
    expect(signatureOf(method('ConnectionManager', 'RequestConnection')?.outArgs ?? [])).toBe('so');
    expect(signatureOf(method('Connection.Interface.Contacts', 'GetContactAttributes')?.outArgs ?? [])).toBe('a{ua{sv}}');
    expect(signatureOf(method('Connection.Interface.Requests', 'EnsureChannel')?.outArgs ?? [])).toBe('boa{sv}');
    expect(signatureOf(method('Channel.Interface.Messages', 'SendMessage')?.inArgs ?? [])).toBe('aa{sv}u');
    const requests = spec.get('org.freedesktop.Telepathy.Connection.Interface.Requests');
    expect(requests?.signals.map((s) => [s.name, signatureOf(s.args)])).toEqual([
      ['NewChannels', 'a(oa{sv})'],
      ['ChannelClosed', 'o'],
    ]);
    expect(requests?.properties).toEqual([
      { name: 'Channels', type: 'a(oa{sv})', access: 'read' },
      { name: 'RequestableChannelClasses', type: 'a(a{sv}as)', access: 'read' },
    ]);
  });
});

describe('reading introspection XML', () => {
  it('reads what other libraries write: no arg names, other attribute order, quotes, nested nodes', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE node PUBLIC "x" "y">
<node name="/a"><!-- <interface name="commented.Out"/> -->
  <interface name='org.example.A'>
    <method name="M"><arg type="s" direction="in"/><arg direction="out" type="a{sv}"></arg>
      <annotation name="org.freedesktop.DBus.Deprecated" value="true"/></method>
    <signal name="S"><arg type="u" name="n"/></signal>
    <property access="readwrite" type="as" name="P"/>
    <property name="W" type="s" access="write"/>
  </interface>
  <interface name="org.example.Empty"/>
  <node name="child"><interface name="org.example.Child"/></node>
</node>`;
    expect(parseIntrospectionXml(xml)).toEqual([
      {
        name: 'org.example.A',
        methods: [{ name: 'M', inArgs: [{ type: 's' }], outArgs: [{ type: 'a{sv}' }] }],
        signals: [{ name: 'S', args: [{ name: 'n', type: 'u' }] }],
        properties: [
          { name: 'P', type: 'as', access: 'readwrite' },
          { name: 'W', type: 's', access: 'write' },
        ],
      },
      { name: 'org.example.Empty', methods: [], signals: [], properties: [] },
    ]);
  });

  it('unescapes attribute values', () => {
    expect(parseIntrospectionXml('<node><interface name="a&amp;b&lt;&gt;&quot;&apos;"/></node>')[0]?.name).toBe('a&b<>"\'');
  });
});
