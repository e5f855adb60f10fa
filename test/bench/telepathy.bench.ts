import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoChatClient } from '../../src/telepathy/adapters/echo-chat-client.js';
import { startPrivateBus, type PrivateBus } from '../../src/telepathy/adapters/private-bus.js';
import { bins } from '../support/child-env.js';

/**
 * telepathy-cave's speed on a private bus, each figure next to a baseline from the same run:
 * echo round trip (SendMessage → MessageReceived) against a bare method round trip (Peer.Ping,
 * answered by dbus-next inside the same daemon); echoed messages per second with 32 in flight;
 * the daemon's resident memory with 10,000 open channels. Printed, not asserted.
 */

const CM = 'org.freedesktop.Telepathy.ConnectionManager.cave';
const CM_PATH = '/org/freedesktop/Telepathy/ConnectionManager/cave';
let bus: PrivateBus;
let daemon: ReturnType<typeof spawn>;
let client: EchoChatClient;
const results: string[] = [];

beforeAll(async () => {
  bus = await startPrivateBus();
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
  delete env.NODE_V8_COVERAGE; // measure the program, not the coverage collector
  daemon = spawn(process.execPath, [bins.telepathyCave, '--persist'], { env, stdio: 'ignore' });
  client = await EchoChatClient.connect(bus.address);
  for (let i = 0; i < 200; i++) {
    const [owned] = (await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [CM])) as [boolean];
    if (owned) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await client.signIn('bench@cave.example');
});

afterAll(async () => {
  console.log(`\ntelepathy-cave benchmark (private bus, ${process.arch}, node ${process.version})\n${results.join('\n')}\n`);
  client.close();
  const exited = new Promise((resolve) => daemon.once('exit', resolve));
  daemon.kill('SIGTERM');
  await exited;
  await bus.stop();
});

const ping = () => client.call(CM, CM_PATH, 'org.freedesktop.DBus.Peer', 'Ping');

async function perCall(n: number, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await once(); // warm up both sides' JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await once();
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
}

async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

describe('telepathy-cave benchmark', () => {
  it('echo round trip against a bare method round trip', async () => {
    const chat = await client.openChat('round-trip@cave.example');
    const ids: number[] = [];
    const bare = await perCall(3000, ping);
    const echo = await perCall(3000, async () => ids.push((await client.send(chat, 'ping')).id));
    await client.acknowledge(chat, ids);
    await client.closeChat(chat);
    results.push(`bare method round trip (Peer.Ping):   ${bare.toFixed(0)} µs`);
    results.push(`echo round trip (SendMessage→echo):   ${echo.toFixed(0)} µs  = ${(echo / bare).toFixed(2)}× bare (target ≤ 2×)`);
    expect(ids).toHaveLength(3200);
  });

  it('echoed messages per second with 32 in flight', async () => {
    const chat = await client.openChat('throughput@cave.example');
    const total = 10_000;
    let sent = 0;
    const ids: number[] = [];
    const worker = async () => {
      while (sent < total) {
        sent++;
        const echo = await client.send(chat, `message ${sent}`);
        ids.push(echo.id);
      }
    };
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 32 }, worker));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const pings = 10_000;
    let pinged = 0;
    const pinger = async () => {
      while (pinged++ < pings) await ping();
    };
    const pingStart = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 32 }, pinger));
    const pingSeconds = Number(process.hrtime.bigint() - pingStart) / 1e9;
    await client.acknowledge(chat, ids);
    await client.closeChat(chat);
    results.push(`bare calls/s, 32 in flight:           ${(pings / pingSeconds).toFixed(0)}`);
    results.push(`echoed messages/s, 32 in flight:      ${(total / seconds).toFixed(0)}  = ${(total / seconds / (pings / pingSeconds)).toFixed(2)} of bare (target ≥ 5,000/s)`);
    expect(ids).toHaveLength(total);
  });

  it('resident memory with 10,000 open channels', async () => {
    const before = await rssMegabytes(daemon.pid as number);
    const total = 10_000;
    let opened = 0;
    const opener = async () => {
      while (opened < total) await client.openChat(`contact-${opened++}@cave.example`);
    };
    await Promise.all(Array.from({ length: 32 }, opener));
    const after = await rssMegabytes(daemon.pid as number);
    results.push(`daemon RSS idle, one connection:      ${before.toFixed(0)} MB`);
    results.push(`daemon RSS with ${total} channels:     ${after.toFixed(0)} MB (target ≤ 200 MB)`);
    expect(opened).toBeGreaterThanOrEqual(total);
  });
});
