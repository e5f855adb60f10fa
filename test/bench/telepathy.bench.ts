import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { EchoChatClient } from '#telepathy/adapters/dbus-next/echo-chat-client.js';
import { startPrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { Limits } from '#telepathy/domain/limits/limits.js';
import { bins } from '#test/support/child-env.js';

/**
 * telepathy-cave's speed on a private bus, each figure next to a baseline from the same run:
 * echo round trip (SendMessage → MessageReceived) against a bare method round trip (Peer.Ping,
 * answered by dbus-next inside the same daemon); echoed messages per second with 32 in flight
 * against bare calls per second; the daemon's resident memory with 10,000 open channels (over 10 connections:
 * a connection holds at most Limits.channelsPerConnection).
 * Everything is measured twice: with Node's defaults and with V8's --optimize-for-size.
 * Printed, not asserted: timings depend on the machine and on what else it runs.
 * The echo's deliberate delay (25 ms by default, so that it reads like a contact's reply and KDE's
 * proxy shows it in order) is set to 0 here: what is measured is the connection manager's own cost.
 */

const CM = 'org.freedesktop.Telepathy.ConnectionManager.cave';
const CM_PATH = '/org/freedesktop/Telepathy/ConnectionManager/cave';
const results: string[] = [];

afterAll(() => {
  console.log(`\ntelepathy-cave benchmark (private bus, ${process.arch}, node ${process.version})\n${results.join('\n')}\n`);
});

interface Rig {
  client: EchoChatClient;
  /** Another client, signed in as its own connection (a connection holds a bounded number of channels). */
  another(account: string): Promise<EchoChatClient>;
  daemon: ChildProcess;
  stop(): Promise<void>;
}

async function rig(nodeFlags: string[]): Promise<Rig> {
  const bus = await startPrivateBus();
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, CAVE_ECHO_DELAY_MS: '0' };
  delete env.NODE_V8_COVERAGE; // measure the program, not the coverage collector
  const daemon = spawn(process.execPath, [...nodeFlags, bins.telepathyCave, '--persist'], { env, stdio: 'ignore' });
  const client = await EchoChatClient.connect(bus.address);
  for (let i = 0; i < 200; i++) {
    const [owned] = (await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [CM])) as [boolean];
    if (owned) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await client.signIn('bench@cave.example');
  const others: EchoChatClient[] = [];
  return {
    client,
    async another(account) {
      const other = await EchoChatClient.connect(bus.address);
      others.push(other);
      await other.signIn(account);
      return other;
    },
    daemon,
    async stop() {
      client.close();
      for (const other of others) other.close();
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await exited;
      await bus.stop();
    },
  };
}

async function microsPerCall(n: number, once: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await once();
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
}

/**
 * Microseconds per call of `a` and of `b`, measured in alternating blocks and the best block of
 * each kept: on a shared machine a burst of other work then slows one block, not one side.
 */
async function alternating(blocks: number, n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < 200; i++) await a(); // warm up both sides' JIT
  for (let i = 0; i < 200; i++) await b();
  let best: [number, number] = [Infinity, Infinity];
  for (let k = 0; k < blocks; k++) best = [Math.min(best[0], await microsPerCall(n, a)), Math.min(best[1], await microsPerCall(n, b))];
  return best;
}

async function perSecondWith32InFlight(total: number, once: (i: number) => Promise<unknown>): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < total) await once(started++);
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 32 }, worker));
  return total / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

describe.each([
  ['node defaults', []],
  ['--optimize-for-size', ['--optimize-for-size']],
])('telepathy-cave benchmark, %s', (label, flags) => {
  it('round trips, throughput, and memory with 10,000 channels', async () => {
    const { client, another, daemon, stop } = await rig(flags);
    try {
      const ping = () => client.call(CM, CM_PATH, 'org.freedesktop.DBus.Peer', 'Ping');
      const chat = await client.openChat('round-trip@cave.example');
      const ids: number[] = [];
      let echoed = 0;
      // Acknowledged as a client does, so the pending queue stays under its bound.
      const received = async (id: number) => {
        ids.push(id);
        echoed++;
        if (ids.length >= Limits.pendingMessagesPerChannel / 2) await client.acknowledge(chat, ids.splice(0));
      };
      const [bare, echo] = await alternating(6, 500, ping, async () => received((await client.send(chat, 'ping')).id));
      const barePerSecond = await perSecondWith32InFlight(10_000, ping);
      const echoPerSecond = await perSecondWith32InFlight(10_000, async (i) => received((await client.send(chat, `message ${i}`)).id));
      await client.acknowledge(chat, ids.splice(0));
      await client.closeChat(chat);
      const idle = await rssMegabytes(daemon.pid as number);
      let opened = 0;
      const perConnection = Limits.channelsPerConnection;
      const clients = [client, ...(await Promise.all(Array.from({ length: 10_000 / perConnection - 1 }, (_, k) => another(`bench${k}@cave.example`))))];
      await perSecondWith32InFlight(10_000, async (i) => {
        await clients[Math.floor(i / perConnection)]!.openChat(`contact-${i}@cave.example`);
        opened++;
      });
      const full = await rssMegabytes(daemon.pid as number);
      results.push(
        `[${label}]`,
        `  bare method round trip (Peer.Ping):  ${bare.toFixed(0)} µs (best of 6 blocks of 500, alternating with the echo's)`,
        `  echo round trip (SendMessage→echo):  ${echo.toFixed(0)} µs = ${(echo / bare).toFixed(2)}× bare (target ≤ 2×)`,
        `  bare calls/s, 32 in flight:          ${barePerSecond.toFixed(0)}`,
        `  echoed messages/s, 32 in flight:     ${echoPerSecond.toFixed(0)} = ${(echoPerSecond / barePerSecond).toFixed(2)} of bare (target ≥ 5,000/s)`,
        `  daemon RSS after the messages:       ${idle.toFixed(0)} MB`,
        `  daemon RSS with 10,000 channels:     ${full.toFixed(0)} MB (target ≤ 200 MB)`,
      );
      expect(echoed).toBe(13_200);
      expect(opened).toBe(10_000);
    } finally {
      await stop();
    }
  });
});
