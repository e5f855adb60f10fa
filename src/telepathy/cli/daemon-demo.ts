import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EchoChatClient } from '#telepathy/adapters/dbus-next/echo-chat-client.js';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { CM_BUS_NAME } from '#telepathy/domain/names/names.js';

/**
 * `telepathy-cave demo`: the echo at work for a newcomer with nothing set up. It uses the
 * session bus if there is one (starting cave on it when it is not installed there), else a
 * private bus of its own that activates cave, then chats with a made-up contact.
 */

/** How `telepathy-cave demo` runs; the optional parts stand in for the process in tests. */
export interface DemoOptions {
  /** Chat with lines typed on the input instead of the built-in script. */
  readonly interactive: boolean;
  /** Asked for by `--verbose`; the demo prints the same either way for now. */
  readonly verbose: boolean;
  /** Environment to find the session bus in and to start cave with; default: the process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where typed lines come from; default: stdin. */
  readonly input?: NodeJS.ReadableStream & {
    /** A terminal echoes what is typed, so the demo does not repeat it. */
    isTTY?: boolean;
  };
  /** Where the conversation is printed; default: stdout. */
  readonly write?: (text: string) => void;
}

const script = ['Hello? Is anybody out there?', "It's me, trying out telepathy-cave.", 'Everything I say comes straight back.', 'Nice talking to you. Bye!'];
const you = 'you@cave.example';
const friend = 'echo@cave.example';
/** This program's own entry point, which activation and the fallback daemon run. */
const self = fileURLToPath(new URL('../../bin/telepathy-cave.js', import.meta.url));
const daemonCommand = [process.execPath, self, 'run', '--idle-exit', '0.5'];

interface Stage {
  readonly address: string;
  /** Stop what the demo started, once cave had a chance to leave by itself. */
  stop(): Promise<void>;
}

/** Chat with cave as a newcomer would see it; resolves with the exit code. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const say = (text: string) => write(`${text}\n`);
  const stage = await setStage(env, say);
  const client = await EchoChatClient.connect(stage.address);
  try {
    const me = await client.signIn(you);
    say(`· telepathy-cave answered on the bus; signed in as ${me}`);
    const chat = await client.openChat(friend);
    say(`┌─ conversation with ${friend} ${'─'.repeat(Math.max(0, 40 - friend.length))}`);
    const lines = options.interactive ? typedLines(options.input ?? process.stdin, say) : script;
    for await (const text of lines) {
      if (!options.interactive || !(options.input ?? process.stdin).isTTY) say(`│ [${clock()}] you: ${text}`);
      const echo = await client.send(chat, text);
      say(`│ [${clock()}] ${echo.sender}: ${echo.text}`);
      await client.acknowledge(chat, [echo.id]);
      // On a terminal the scripted chat unfolds at reading pace.
      if (!options.interactive && options.write === undefined && process.stdout.isTTY) await new Promise((r) => setTimeout(r, 600));
    }
    await client.closeChat(chat);
    say(`└─ conversation closed ${'─'.repeat(40)}`);
    await client.signOut();
    say('· signed out; every message came straight back');
    return 0;
  } finally {
    client.close();
    await stage.stop();
  }
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

async function* typedLines(input: NodeJS.ReadableStream, say: (text: string) => void): AsyncGenerator<string> {
  say('│ (type a line and press Enter; an empty input or Ctrl-D ends)');
  const lines = createInterface({ input, terminal: false });
  for await (const line of lines) {
    if (line.trim() === '' || line.trim() === '/quit') break;
    yield line;
  }
  lines.close();
}

async function setStage(env: NodeJS.ProcessEnv, say: (text: string) => void): Promise<Stage> {
  const given = env.DBUS_SESSION_BUS_ADDRESS;
  if (!given || given.startsWith('disabled:')) return privateStage(env, say);
  if (await startInstalled(given)) {
    say('· using your session bus, where telepathy-cave is installed');
    return { address: given, stop: async () => {} };
  }
  say('· using your session bus; telepathy-cave is not installed there, so the demo starts it');
  const daemon = spawn(daemonCommand[0] as string, daemonCommand.slice(1), { env: { ...env, DBUS_SESSION_BUS_ADDRESS: given }, stdio: 'ignore' });
  await untilOwned(given);
  return { address: given, stop: () => ended(daemon) };
}

/** Start cave through D-Bus activation; false when it is not installed on that bus. */
async function startInstalled(address: string): Promise<boolean> {
  const client = await EchoChatClient.connect(address);
  try {
    // Unlike a list of activatable names, this rescans the service folders when it must.
    await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'StartServiceByName', 'su', [CM_BUS_NAME, 0]);
    return true;
  } catch (error) {
    if ((error as { type?: string }).type === 'org.freedesktop.DBus.Error.ServiceUnknown') return false;
    throw error;
  } finally {
    client.close();
  }
}

async function privateStage(env: NodeJS.ProcessEnv, say: (text: string) => void): Promise<Stage> {
  const bus: PrivateBus = await startPrivateBus({ env });
  const exec = daemonCommand.map((word) => (/\s/.test(word) ? `"${word}"` : word)).join(' ');
  await writeFile(join(bus.serviceDir, `${CM_BUS_NAME}.service`), `[D-BUS Service]\nName=${CM_BUS_NAME}\nExec=${exec}\n`);
  say('· no session bus given: started a private D-Bus bus for this demo');
  return {
    address: bus.address,
    async stop() {
      await untilGone(bus.address);
      await bus.stop();
    },
  };
}

async function ownerOf(address: string): Promise<boolean> {
  const client = await EchoChatClient.connect(address);
  try {
    const [owned] = (await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [CM_BUS_NAME])) as [boolean];
    return owned;
  } finally {
    client.close();
  }
}

async function untilOwned(address: string): Promise<void> {
  for (let i = 0; i < 200 && !(await ownerOf(address)); i++) await new Promise((r) => setTimeout(r, 25));
}

/** Cave leaves by itself shortly after its last connection; wait for that, briefly. */
async function untilGone(address: string): Promise<void> {
  for (let i = 0; i < 100 && (await ownerOf(address)); i++) await new Promise((r) => setTimeout(r, 30));
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGTERM'), 3000);
  await exited;
  clearTimeout(timer);
}
