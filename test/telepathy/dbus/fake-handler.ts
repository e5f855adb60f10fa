import type { BusObjectHandler, BusPort, MethodCall, Reply, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { parseIntrospectionXml, type InterfaceDefinition } from '#telepathy/adapters/dbus-next/interface-definitions.js';

/** A tiny interface that exercises every value shape and failure the adapter must handle. */
export const testInterfaceXml = `<node>
  <interface name="org.example.Cave.Test">
    <method name="WhoAmI"><arg name="Caller" type="s" direction="out"/></method>
    <method name="Echo"><arg type="v" direction="in"/><arg type="v" direction="out"/></method>
    <method name="Pair"><arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="u" direction="out"/><arg type="s" direction="out"/></method>
    <method name="Attributes"><arg type="a{ua{sv}}" direction="out"/></method>
    <method name="Presences"><arg type="a{u(uss)}" direction="out"/></method>
    <method name="Create"><arg type="o" direction="out"/></method>
    <method name="Named"><arg type="s" direction="in"/></method>
    <method name="Crash"/>
    <method name="AnnounceNothing"/>
    <method name="BadReply"><arg type="u" direction="out"/></method>
    <method name="Slow"><arg type="u" direction="in"/><arg type="u" direction="out"/></method>
    <signal name="Created"><arg type="o"/><arg type="a{sv}"/></signal>
    <signal name="Working"/>
    <property name="Name" type="s" access="read"/>
    <property name="Numbers" type="a{us}" access="read"/>
    <property name="Broken" type="s" access="read"/>
    <property name="Mistyped" type="s" access="read"/>
  </interface>
</node>`;

export const testInterface = parseIntrospectionXml(testInterfaceXml)[0] as InterfaceDefinition;
export const testDefinitions: ReadonlyMap<string, InterfaceDefinition> = new Map([[testInterface.name, testInterface]]);
export const iface = testInterface.name;
export const rootPath = '/org/example/Cave';

class FakeDomainError extends Error {
  constructor(
    readonly dbusName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Answers the test interface; `Create` adds an object and announces it after the reply. */
export class FakeHandler implements BusObjectHandler {
  readonly calls: MethodCall[] = [];
  private created = 0;

  constructor(private readonly bus: BusPort) {}

  async call(call: MethodCall): Promise<Reply> {
    this.calls.push(call);
    switch (call.member) {
      case 'WhoAmI':
        await Promise.resolve(); // the sender must survive an await
        return { values: [call.sender] };
      case 'Echo':
        return { values: [call.args[0]] };
      case 'Pair':
        return { values: [call.args[1], call.args[0]] };
      case 'Attributes':
        return { values: [{ 7: { 'org.example/id': { signature: 's', value: 'seven' }, 'org.example/n': { signature: 'u', value: 7 } } }] };
      case 'Presences':
        return { values: [{ 1: [2, 'available', ''], 3: [1, 'offline', 'gone'] }] };
      case 'Create': {
        const path = `${rootPath}/obj${++this.created}`;
        this.bus.emit({ path: rootPath, interface: iface, member: 'Working', args: [] });
        this.bus.addObject(path, [iface]);
        return { values: [path], after: [{ path: rootPath, interface: iface, member: 'Created', args: [path, { Number: { signature: 'u', value: this.created } }] }] };
      }
      case 'AnnounceNothing':
        return { values: [], after: [{ path: `${rootPath}/gone`, interface: iface, member: 'Working', args: [] }] };
      case 'Named':
        throw new FakeDomainError(String(call.args[0]), 'as asked');
      case 'BadReply':
        return { values: ['not a number'] };
      case 'Slow':
        await new Promise((resolve) => setTimeout(resolve, Number(call.args[0])));
        return { values: [call.args[0]] };
      default:
        throw new TypeError('a bug with a stack trace');
    }
  }

  getProperty(_path: string, _iface: string, name: string): TypedValue {
    if (name === 'Name') return { signature: 's', value: 'cave test' };
    if (name === 'Numbers') return { signature: 'a{us}', value: { 1: 'one', 2: 'two' } };
    if (name === 'Mistyped') return { signature: 'u', value: 'not the declared s' };
    throw new RangeError('property bug');
  }

  /** The interface also declares `Broken` and `Mistyped`, which this object lacks. */
  propertyNames(): readonly string[] {
    return ['Name', 'Numbers'];
  }
}
