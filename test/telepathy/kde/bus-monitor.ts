import { spawn } from 'node:child_process';

/** One message dbus-monitor saw, with its arguments as dbus-monitor prints them. */
export interface Seen {
  readonly kind: 'method call' | 'method return' | 'error' | 'signal';
  readonly sender: string;
  readonly destination: string;
  readonly path: string;
  readonly interface: string;
  readonly member: string;
  /** The printed arguments (strings appear as `string "..."`). */
  readonly args: string;
}

/** Everything on a bus, in the order the bus delivered it, read by `dbus-monitor --monitor`. */
export interface BusMonitor {
  readonly seen: Seen[];
  /** Resolves with the first message (maybe already seen) that matches, or rejects after timeoutMs. */
  waitFor(what: string, test: (m: Seen) => boolean, timeoutMs: number): Promise<Seen>;
  stop(): Promise<void>;
}

const HEAD = /^(method call|method return|error|signal) time=\S+ sender=(\S+) -> destination=(\(null destination\)|\S+)(?: serial=\S+)?(?: path=([^;]*); interface=([^;]*); member=(\S+))?/;

export async function monitorBus(address: string): Promise<BusMonitor> {
  const child = spawn('dbus-monitor', ['--address', address, '--monitor'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: Seen[] = [];
  const wakers = new Set<() => void>();
  let pending = '';
  let current: { head: RegExpExecArray; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const [, kind, sender, destination, path = '', iface = '', member = ''] = current.head;
    seen.push({ kind: kind as Seen['kind'], sender, destination, path, interface: iface, member, args: current.lines.join('\n') } as Seen);
    current = undefined;
    for (const wake of wakers) wake();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const head = HEAD.exec(line);
      if (head) {
        flush();
        current = { head, lines: [] };
      } else if (current) current.lines.push(line);
    }
    // A message is complete once the next one starts; flush the last after a short quiet period.
    setTimeout(() => {
      if (pending === '') flush();
    }, 30);
  });
  // dbus-monitor prints the NameAcquired signal it gets once it is a monitor: wait for that.
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`dbus-monitor exited with ${code}`)));
    child.stderr.once('data', (d: Buffer) => reject(new Error(`dbus-monitor: ${d.toString()}`)));
    const check = () => {
      if (seen.some((m) => m.member === 'NameLost' || m.member === 'NameAcquired')) resolve();
    };
    wakers.add(check);
  });
  await ready;

  const waitFor = (what: string, test: (m: Seen) => boolean, timeoutMs: number) =>
    new Promise<Seen>((resolve, reject) => {
      const check = () => {
        const found = seen.find(test);
        if (!found) return;
        wakers.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        wakers.delete(check);
        reject(new Error(`${what}: not seen on the bus within ${timeoutMs} ms`));
      }, timeoutMs);
      wakers.add(check);
      check();
    });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { seen, waitFor, stop };
}
