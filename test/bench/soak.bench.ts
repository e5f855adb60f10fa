import { spawn } from 'node:child_process';
import dbus from 'dbus-next';
import { describe, expect, it } from 'vitest';
import { startPrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import type { DebugStats } from '#telepathy/cli/debug-stats.js';
import { Limits } from '#telepathy/domain/limits/limits.js';
import { bins } from '#test/support/child-env.js';

/**
 * The soak: many echoes on one channel, then many channel open/close cycles, against the built
 * daemon on a private bus, with dbus-next's low-level calls and many in flight. The daemon runs
 * with --expose-gc and CAVE_DEBUG_STATS, and is asked for its figures (after a collection) on
 * SIGUSR2 once warmed up and after every tenth of the way: RSS may grow by 10 MB at most
 * from the warmed-up figure, and the live resources (timers, sockets) must be the same.
 * `npm run soak` runs the counts (1,000,000 echoes, 100,000 cycles); `npm run bench` a
 * short run. SOAK_ECHOES and SOAK_CYCLES override both; each phase first warms up with a tenth
 * of its count (at least 50,000 echoes or 5,000 cycles), not counted.
 */

const ECHOES = Number(process.env.SOAK_ECHOES ?? 20_000);
const CYCLES = Number(process.env.SOAK_CYCLES ?? 2_000);
const IN_FLIGHT = 64;
/** Echoes between two ListPendingMessages(true): the queue stays under its bound. */
const BATCH = Limits.pendingMessagesPerChannel / 2;
const MB = 1024 * 1024;
const TP = 'org.freedesktop.Telepathy';
const CM = `${TP}.ConnectionManager.cave`;
const CM_PATH = '/org/freedesktop/Telepathy/ConnectionManager/cave';
const { Message, Variant } = dbus;

/** Run `task(0…total-1)` with `inFlight` workers at once; each task is told which worker runs it. */
async function pool(total: number, inFlight: number, task: (i: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (_: unknown, w: number) => {
    while (next < total) await task(next++, w);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
}

async function soakRig() {
  const bus = await startPrivateBus();
  // No echo delay: the soak measures the CM's own resources, and counts every echo right after its batch.
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, CAVE_DEBUG_STATS: '1', CAVE_ECHO_DELAY_MS: '0' };
  delete env.NODE_V8_COVERAGE;
  const daemon = spawn(process.execPath, ['--expose-gc', bins.telepathyCave, '--persist'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  daemon.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = dbus.sessionBus({ busAddress: bus.address });
  client.on('error', () => {});
  const call = async (destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []) =>
    (await client.call(new Message({ destination, path, interface: iface, member, signature, body })))?.body ?? [];
  for (let i = 0; i < 200; i++) {
    if ((await call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', [CM]))[0]) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  /** The daemon's figures, through SIGUSR2. */
  const stats = async (): Promise<DebugStats> => {
    // Let the signals queued after the last replies go out first (they run on setImmediate).
    await new Promise((r) => setTimeout(r, 100));
    const seen = stderr.length;
    daemon.kill('SIGUSR2');
    for (let i = 0; i < 400; i++) {
      const line = /telepathy-cave: stats (.*)\n/.exec(stderr.slice(seen));
      if (line) return JSON.parse(line[1]!) as DebugStats;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no stats from the daemon: ${stderr}`);
  };
  const stop = async () => {
    client.disconnect();
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    await exited;
    await bus.stop();
  };
  return { call, stats, stop, stderr: () => stderr };
}

type Rig = Awaited<ReturnType<typeof soakRig>>;

async function signIn(rig: Rig) {
  const [name, path] = (await rig.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', 'soak@cave.example') }])) as [string, string];
  await rig.call(name, path, `${TP}.Connection`, 'Connect');
  const requests = (id: string) => ({
    [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Text`),
    [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1),
    [`${TP}.Channel.TargetID`]: new Variant('s', id),
  });
  const open = async (id: string) => ((await rig.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [requests(id)])) as [string])[0];
  const onChannel = (channel: string, iface: string, member: string, signature = '', body: unknown[] = []) => rig.call(name, channel, iface, member, signature, body);
  return { open, onChannel };
}

interface Phase {
  readonly label: string;
  readonly warmUp: number;
  /** After the warm-up, then after each tenth. */
  readonly samples: DebugStats[];
  readonly seconds: number;
}

/**
 * Warm up with `warmUp` steps (RSS climbs over the first ~20,000 echoes while the heap in use stays flat),
 * then run `total` more in tenths; the daemon's figures after the warm-up and after each tenth.
 */
async function phase(rig: Rig, label: string, total: number, warmUp: number, steps: (from: number, to: number) => Promise<void>): Promise<Phase> {
  await steps(0, warmUp);
  const samples: DebugStats[] = [await rig.stats()];
  const start = process.hrtime.bigint();
  for (let tenth = 0; tenth < 10; tenth++) {
    await steps(warmUp + Math.floor((total * tenth) / 10), warmUp + Math.floor((total * (tenth + 1)) / 10));
    samples.push(await rig.stats());
  }
  return { label, warmUp, samples, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function report(p: Phase, total: number): string {
  const [warm] = p.samples;
  const last = p.samples.at(-1)!;
  const rss = p.samples.map((s) => (s.rss / MB).toFixed(1)).join(' ');
  const heap = p.samples.map((s) => (s.heapUsed / MB).toFixed(1)).join(' ');
  return [
    `${p.label}: ${total.toLocaleString('en')} after ${p.warmUp.toLocaleString('en')} to warm up, in ${p.seconds.toFixed(0)} s (${(total / p.seconds).toFixed(0)}/s)`,
    `  RSS MB, warm then per tenth:       ${rss}  (growth after warm-up ${((last.rss - warm!.rss) / MB).toFixed(1)} MB)`,
    `  heap used MB, warm then per tenth: ${heap}`,
    `  live resources: warmed up ${JSON.stringify(warm!.resources)}, end ${JSON.stringify(last.resources)}`,
  ].join('\n');
}

describe('telepathy-cave soak', () => {
  it(`${ECHOES.toLocaleString('en')} echoes on one channel, then ${CYCLES.toLocaleString('en')} channel open/close cycles: bounded RSS, no leaked resources`, async () => {
    const rig = await soakRig();
    try {
      const { open, onChannel } = await signIn(rig);
      const chat = await open('echo');
      const echoes = await phase(rig, 'echoes on one channel', ECHOES, Math.max(ECHOES / 10, 50_000), async (from, to) => {
        for (let batch = from; batch < to; batch += BATCH) {
          const end = Math.min(batch + BATCH, to);
          await pool(end - batch, IN_FLIGHT, (i) => onChannel(chat, `${TP}.Channel.Type.Text`, 'Send', 'us', [0, `message ${batch + i}`]).then(() => {}));
          const [pending] = (await onChannel(chat, `${TP}.Channel.Type.Text`, 'ListPendingMessages', 'b', [true])) as [unknown[][]];
          expect(pending).toHaveLength(end - batch); // every echo came back, none dropped
        }
      });
      await onChannel(chat, `${TP}.Channel`, 'Close');
      const cycles = await phase(rig, 'channel open/close cycles', CYCLES, Math.max(CYCLES / 10, 5_000), (from, to) =>
        pool(to - from, IN_FLIGHT, async (_, worker) => {
          // Each worker has its own contact, so no two Creates race for one channel.
          const channel = await open(`contact-${worker}`);
          await onChannel(channel, `${TP}.Channel`, 'Close');
        }),
      );
      console.log(`\ntelepathy-cave soak (private bus, node ${process.version}, ${IN_FLIGHT} calls in flight)\n${report(echoes, ECHOES)}\n${report(cycles, CYCLES)}\n`);
      for (const p of [echoes, cycles]) {
        expect(p.samples.at(-1)!.rss - p.samples[0]!.rss, p.label).toBeLessThanOrEqual(10 * MB);
        expect(p.samples.at(-1)!.resources, p.label).toEqual(p.samples[0]!.resources);
      }
      expect(rig.stderr().replace(/telepathy-cave: stats .*\n/g, '')).toBe('');
    } finally {
      await rig.stop();
    }
  }, 24 * 3600_000);
});
