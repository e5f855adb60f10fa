/**
 * The real daemon on a private bus with real Dovecot and Postfix, and a plain D-Bus client signed
 * in to the `me` mailbox: the fixture of the end-to-end mail tests that need no Telepathy library.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dbus from 'dbus-next';
import { ImapFlow } from 'imapflow';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { startMailServers, type MailServers, type MailUser } from '#test/support/mail-servers.js';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, CM_PATH, spawnDaemon, TP, type DaemonProcess } from './daemon-process.js';

export const v = (signature: string, value: unknown) => new dbus.Variant(signature, value);

/** A message's parts as plain values: the header's and each body part's entries. */
export type PlainParts = Record<string, unknown>[];
export const plain = (parts: unknown): PlainParts =>
  (parts as Record<string, dbus.Variant>[]).map((p) => Object.fromEntries(Object.entries(p).map(([k, x]) => [k, x.value])));

export interface EmailDaemon {
  readonly servers: MailServers;
  readonly bus: PrivateBus;
  readonly daemon: DaemonProcess;
  readonly client: BusClient;
  /** RequestConnection for `me` (STARTTLS ports) and Connect; resolves once CONNECTED. */
  connectMe(): Promise<{ busName: string; path: string }>;
  /** CreateChannel of type Text to `id`; its object path. */
  textChannel(conn: { busName: string; path: string }, id: string): Promise<string>;
  stop(): Promise<void>;
}

/** `env` is added to the daemon's environment (the benchmark asks for its memory figures). */
export async function startEmailDaemon(env: Record<string, string> = {}): Promise<EmailDaemon> {
  const servers = await startMailServers();
  const home = await mkdtemp(join(tmpdir(), 'cave-email-'));
  await writeFile(join(home, 'ca.pem'), servers.caPem);
  const bus = await startPrivateBus({ env: activationEnv() });
  // Not --verbose: the benchmark measures this daemon, and logging every call would slow it.
  const daemon = spawnDaemon(bus.address, [], { NODE_EXTRA_CA_CERTS: join(home, 'ca.pem'), ...env });
  const client = await BusClient.connect(bus.address);
  for (let waited = 0; (await client.ownerOf(CM)) === undefined; waited += 50) {
    if (waited > 20_000) throw new Error(`the daemon did not start:\n${daemon.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const connectMe = async () => {
    const { me } = servers.users;
    const parameters = { account: v('s', me.address), password: v('s', me.password), 'imap-server': v('s', servers.host),
      'imap-port': v('q', servers.ports.imap), 'smtp-server': v('s', servers.host), 'smtp-port': v('q', servers.ports.submission) };
    const [busName, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['email', parameters])) as [string, string];
    const before = client.signals.length; // an earlier connection of the same account had the same path
    await client.call(busName, path, `${TP}.Connection`, 'Connect');
    await client.waitForSignal((s) => client.signals.indexOf(s) >= before && s.path === path && s.member === 'StatusChanged' && s.body[0] === 0, 30_000);
    return { busName, path };
  };
  const textChannel = async (conn: { busName: string; path: string }, id: string) => {
    const request = { [`${TP}.Channel.ChannelType`]: v('s', `${TP}.Channel.Type.Text`),
      [`${TP}.Channel.TargetHandleType`]: v('u', 1), [`${TP}.Channel.TargetID`]: v('s', id) };
    const [path] = await client.call(conn.busName, conn.path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [request]);
    return path as string;
  };
  const stop = async () => {
    client.disconnect();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await bus.stop();
    await servers.stop();
    await rm(home, { recursive: true, force: true });
  };
  return { servers, bus, daemon, client, connectMe, textChannel, stop };
}

/** Each mail in `user`'s INBOX: its raw source and whether it is `\\Seen`, read directly over IMAP. */
export async function mailboxSources(servers: MailServers, user: MailUser): Promise<{ source: string; seen: boolean }[]> {
  const client = new ImapFlow({ host: servers.host, port: servers.ports.imaps, secure: true, logger: false,
    auth: { user: user.address, pass: user.password }, tls: { ca: servers.caPem } });
  await client.connect();
  const box = await client.mailboxOpen('INBOX');
  const found: { source: string; seen: boolean }[] = [];
  if (box.exists > 0) {
    for await (const m of client.fetch('1:*', { source: true, flags: true })) {
      found.push({ source: m.source?.toString() ?? '', seen: m.flags?.has('\\Seen') ?? false });
    }
  }
  await client.logout();
  return found;
}
