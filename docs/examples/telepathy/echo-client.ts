/**
 * A Telepathy client in a few lines of dbus-next: sign in to an echo account, open a text channel,
 * send one message with the Messages interface and wait for the echo, then clean up.
 * test/docs/examples.test.ts runs it against telepathy-cave on a private bus.
 */
import dbus from 'dbus-next';

const { Variant } = dbus;
const TP = 'org.freedesktop.Telepathy';

/** One message part (`a{sv}`): header or body. */
type Part = Record<string, InstanceType<typeof Variant>>;

export async function echoConversation(busAddress: string, text: string): Promise<string[]> {
  const bus = dbus.sessionBus({ busAddress });
  const said: string[] = [];
  try {
    // Calling the manager's well-known name starts telepathy-cave if it is not running.
    const manager = (await bus.getProxyObject(`${TP}.ConnectionManager.cave`, '/org/freedesktop/Telepathy/ConnectionManager/cave'))
      .getInterface(`${TP}.ConnectionManager`);
    // Every variant says its type: 's' here; a bare JavaScript value could not.
    const [busName, path] = (await manager.RequestConnection!('echo', { account: new Variant('s', 'me@example.com') })) as [string, string];
    said.push(`connection ${path}`);

    const connectionObject = await bus.getProxyObject(busName, path);
    const connection = connectionObject.getInterface(`${TP}.Connection`);
    // Listen before acting: StatusChanged(CONNECTED=0) may come before Connect returns.
    const connected = new Promise<void>((resolve) => connection.on('StatusChanged', (status: number) => status === 0 && resolve()));
    await connection.Connect!();
    await connected;

    const requests = connectionObject.getInterface(`${TP}.Connection.Interface.Requests`);
    const [channelPath] = (await requests.CreateChannel!({
      [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Text`),
      [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1), // 'u', not 'i': the spec's type
      [`${TP}.Channel.TargetID`]: new Variant('s', 'alice@example.com'),
    })) as [string, Part];
    said.push(`channel ${channelPath}`);

    const channelObject = await bus.getProxyObject(busName, channelPath);
    const messages = channelObject.getInterface(`${TP}.Channel.Interface.Messages`);
    const echo = new Promise<Part[]>((resolve) => messages.once('MessageReceived', resolve));
    const header: Part = { 'message-type': new Variant('u', 0) };
    const body: Part = { 'content-type': new Variant('s', 'text/plain'), content: new Variant('s', text) };
    const token = (await messages.SendMessage!([header, body], 0)) as string;
    said.push(`sent "${text}" (token ${token})`);

    const [echoHeader, echoBody] = (await echo) as [Part, Part];
    said.push(`received "${echoBody.content?.value}" from ${echoHeader['message-sender-id']?.value}`);
    // Acknowledge, or the message stays pending and the channel would come back after Close.
    await channelObject.getInterface(`${TP}.Channel.Type.Text`).AcknowledgePendingMessages!([echoHeader['pending-message-id']?.value]);
    await channelObject.getInterface(`${TP}.Channel`).Close!();
    await connection.Disconnect!();
    said.push('disconnected');
    return said;
  } finally {
    bus.disconnect();
  }
}
