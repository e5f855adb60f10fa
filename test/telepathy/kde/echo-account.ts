import { CD_PATH, TEXT_UI, TP, props, type KdeSession } from './kde-session.js';

const ACCOUNT = `${TP}.Account`;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: last seen ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Create and enable an `echo` account through Mission Control, as a person would in KDE's account settings; resolves to its object path once connected. */
export async function createEchoAccount(session: KdeSession, id: string): Promise<string> {
  const added = await session.mcTool('add', 'cave/echo', 'Echo', `string:account=${id}`);
  const account = /(cave\/echo\/\S+)$/.exec(added)?.[1];
  if (!account) throw new Error(`mc-tool add said: ${added}`);
  await session.mcTool('enable', account);
  await session.mcTool('request', account, 'available');
  const path = `/org/freedesktop/Telepathy/Account/${account}`;
  await until(
    async () => {
      const [all] = (await session.client.call(`${TP}.AccountManager`, path, 'org.freedesktop.DBus.Properties', 'GetAll', 's', [ACCOUNT])) as [Record<string, { value: unknown }>];
      return all.ConnectionStatus?.value as number;
    },
    (status) => status === 0,
    `${account} connected`,
  );
  return path;
}

/** Ask the ChannelDispatcher for a text chat with `contact`, KDE Telepathy's text UI preferred, as "Start a chat" does. */
export async function requestChat(session: KdeSession, accountPath: string, contact: string): Promise<void> {
  const request = props({
    [`${TP}.Channel.ChannelType`]: ['s', `${TP}.Channel.Type.Text`],
    [`${TP}.Channel.TargetHandleType`]: ['u', 1],
    [`${TP}.Channel.TargetID`]: ['s', contact],
  });
  const now = BigInt(Math.floor(Date.now() / 1000));
  const [requestPath] = (await session.client.call(`${TP}.ChannelDispatcher`, CD_PATH, `${TP}.ChannelDispatcher`, 'EnsureChannel', 'oa{sv}xs', [accountPath, request, now, TEXT_UI])) as [string];
  await session.client.call(`${TP}.ChannelDispatcher`, requestPath, `${TP}.ChannelRequest`, 'Proceed');
}
