import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { EchoChatClient } from '#telepathy/adapters/dbus-next/echo-chat-client.js';
import { startPrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { bins } from '#test/support/child-env.js';

/**
 * telepathy-cave's speed on a private bus, each figure next to a baseline from the same run:
 * echo round trip (SendMessage → MessageReceived) against a bare method round trip (Peer.Ping,
 * answered by dbus-next inside the same daemon); echoed messages per second with 32 in flight
 * against bare calls per second; the daemon's resident memory with 10,000 open channels.
 * Everything is measured twice: with Node's defaults and with V8's --optimize-for-size.
 * Printed, not asserted: timings depend on the machine and on what else it runs.
 */

const CM = 'org.freedesktop.Telepathy.ConnectionManager.cave';
const CM_PATH = '/org/freedesktop/Telepathy/ConnectionManager/cave';
const results: string[] = [];

afterAll(() => {
  console.log(`\ntelepathy-cave benchmark (private bus, ${process.arch}, node ${process.version})\n${results.join('\n')}\n`);
});

interface Rig {
  client: EchoChatClient;
  daemon: ChildProcess;
  stop(): Promise<void>;
}

async function rig(nodeFlags: string[]): Promise<Rig> {
  const bus = await startPrivateBus();
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
  delete env.NODE_V8_COVERAGE; // measure the program, not the coverage collector
  const daemon = spawn(process.execPath, [...nodeFlags, bins.telepathyCave, '--persist'], { env, stdio: 'ignore' });
  const client = await EchoChatClient.connect(bus.address);
  for (let i = 0; i < 200; i++) {
    const [owned] = (await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [CM])) as [boolean];
    if (owned) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await client.signIn('bench@cave.example');
  return {
    client,
    daemon,
    async stop() {
      client.close();
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await exited;
      await bus.stop();
    },
  };
}

async function microsPerCall(n: number, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await once(); // warm up both sides' JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await once();
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
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
    const { client, daemon, stop } = await rig(flags);
    try {
      const ping = () => client.call(CM, CM_PATH, 'org.freedesktop.DBus.Peer', 'Ping');
      const chat = await client.openChat('round-trip@cave.example');
      const ids: number[] = [];
      const bare = await microsPerCall(3000, ping);
      const echo = await microsPerCall(3000, async () => ids.push((await client.send(chat, 'ping')).id));
      const barePerSecond = await perSecondWith32InFlight(10_000, ping);
      const echoPerSecond = await perSecondWith32InFlight(10_000, async (i) => ids.push((await client.send(chat, `message ${i}`)).id));
      await client.acknowledge(chat, ids);
      await client.closeChat(chat);
      const idle = await rssMegabytes(daemon.pid as number);
      let opened = 0;
      await perSecondWith32InFlight(10_000, async (i) => {
        await client.openChat(`contact-${i}@cave.example`);
        opened++;
      });
      const full = await rssMegabytes(daemon.pid as number);
      results.push(
        `[${label}]`,
        `  bare method round trip (Peer.Ping):  ${bare.toFixed(0)} µs`,
        `  echo round trip (SendMessage→echo):  ${echo.toFixed(0)} µs = ${(echo / bare).toFixed(2)}× bare (target ≤ 2×)`,
        `  bare calls/s, 32 in flight:          ${barePerSecond.toFixed(0)}`,
        `  echoed messages/s, 32 in flight:     ${echoPerSecond.toFixed(0)} = ${(echoPerSecond / barePerSecond).toFixed(2)} of bare (target ≥ 5,000/s)`,
        `  daemon RSS after the messages:       ${idle.toFixed(0)} MB`,
        `  daemon RSS with 10,000 channels:     ${full.toFixed(0)} MB (target ≤ 200 MB)`,
      );
      expect(ids).toHaveLength(13_200);
      expect(opened).toBe(10_000);
    } finally {
      await stop();
    }
  });
});
