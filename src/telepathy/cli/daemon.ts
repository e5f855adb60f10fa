import { randomBytes } from 'node:crypto';
import { AvatarFiles } from '#telepathy/adapters/avatar-files/avatar-files.js';
import { DbusNextBus } from '#telepathy/adapters/dbus-next/dbus-next-bus.js';

import { NameTakenError } from '#telepathy/domain/bus/bus.port.js';
import { systemTimer } from '#telepathy/adapters/system-timer/system-timer.js';
import { DebugLevel, DebugMessages } from '#telepathy/domain/debug/debug-messages.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import { createConnectionManager, type ConnectionManager, type ConnectionManagerOptions } from '#telepathy/domain/manager/connection-manager.js';
import { CM_BUS_NAME } from '#telepathy/domain/names/names.js';
import type { DaemonLog } from './daemon-log.js';
import { reportStatsOnSignal } from './debug-stats.js';
import { setLongTimeout } from './long-timeout.js';
import { LazyMailNetwork } from './lazy-mail-network.js';

/**
 * The connection manager process: owns the CM's name on the bus, stays up while it has
 * connections, leaves after a quiet period without any, and on SIGTERM/SIGINT disconnects every
 * connection with the proper signals before exiting.
 */

export interface DaemonOptions {
  /** The bus to serve; usually from DBUS_STARTER_ADDRESS or DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string | undefined;
  /** Exit after this long with no connections; undefined: stay (`--persist`). */
  readonly idleExitMs: number | undefined;
  /** Where the daemon says what it does and why it stops. */
  readonly log: DaemonLog;
  /** How long after a message its echo arrives; undefined: the domain's default. */
  readonly echoDelayMs?: number | undefined;
  /** Where termination signals come from (the process, or a stand-in in tests). */
  readonly signals?: Pick<NodeJS.Process, 'once' | 'off'>;
}

/** The bus address a started or activated daemon should use: the activating bus wins. */
export function busAddress(env: NodeJS.ProcessEnv): string | undefined {
  return env.DBUS_STARTER_ADDRESS || env.DBUS_SESSION_BUS_ADDRESS || undefined;
}

/** The echo's delay from CAVE_ECHO_DELAY_MS (whole milliseconds); undefined when unset or not a number. */
export function echoDelayFromEnvironment(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.CAVE_ECHO_DELAY_MS?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The Debug interface shows the same lines as --verbose, whether or not they go to stderr. */
function alsoToDebug(log: DaemonLog, debug: DebugMessages): DaemonLog {
  return {
    debug: (line) => (log.debug(line), debug.add('cave', DebugLevel.Debug, line)),
    error: (line) => (log.error(line), debug.add('cave', DebugLevel.Error, line)),
  };
}

/** The manager as the daemon runs it: Node's timers for the echo, the Debug log, real mail. */
function managerOptions(clock: Clock, debug: DebugMessages, echoDelayMs: number | undefined): ConnectionManagerOptions {
  // The system's CAs, plus NODE_EXTRA_CA_CERTS (tests point it at their own CA).
  const mail = { network: new LazyMailNetwork(), randomBytes: (n: number) => randomBytes(n) };
  return { clock, timer: systemTimer, debug, mail, ...(echoDelayMs === undefined ? {} : { echoDelayMs }) };
}

/** Take the bus name and serve; false (said why, bus closed) when that fails. */
async function started(manager: ConnectionManager, bus: DbusNextBus, log: DaemonLog): Promise<boolean> {
  try {
    await manager.start();
  } catch (error) {
    log.error(error instanceof NameTakenError ? `${CM_BUS_NAME} is already owned by another program (is telepathy-cave already running?)` : `cannot start: ${(error as Error).message}`);
    await closeBus(bus);
    return false;
  }
  log.debug(`serving ${CM_BUS_NAME} as ${bus.uniqueName}`);
  return true;
}

/** Run until told to stop; resolves with the exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const clock = { now: () => Date.now() };
  const debug = new DebugMessages(clock);
  const log = alsoToDebug(options.log, debug);
  if (!options.address || options.address.startsWith('disabled:')) {
    log.error('no session bus: DBUS_SESSION_BUS_ADDRESS is not set (start one, or try `telepathy-cave demo`)');
    return 1;
  }
  const bus = await DbusNextBus.connect({ address: options.address, log: log.debug, problem: log.error }).catch((error: Error) => {
    log.error(error.message);
  });
  if (!bus) return 1;
  const manager = createConnectionManager(bus, { ...managerOptions(clock, debug, options.echoDelayMs), avatars: await AvatarFiles.open() });
  bus.serve(manager);
  // Before the name is ours: a client that sees it owned may send SIGUSR2 at once, and until
  // the handler is installed that signal's default is to end the process.
  const stopStats = reportStatsOnSignal(process.env, log.error);
  if (!(await started(manager, bus, log))) {
    stopStats();
    return 1;
  }

  const signals = options.signals ?? process;
  return new Promise<number>((resolve) => {
    let finishing = false;
    let cancelIdle = () => {};
    const onSignal = (signal: NodeJS.Signals) => void finish(0, `${signal}: disconnecting every connection`);
    const finish = async (code: number, why: string) => {
      if (finishing) return;
      finishing = true;
      cancelIdle();
      stopStats();
      signals.off('SIGTERM', onSignal);
      signals.off('SIGINT', onSignal);
      if (code === 0) {
        log.debug(why);
        await manager.shutdown().catch((error: unknown) => log.error(`disconnecting failed: ${(error as Error).message}`));
        await closeBus(bus);
      } else {
        log.error(why);
      }
      resolve(code);
    };
    const armIdleExit = (live: number) => {
      cancelIdle();
      if (live === 0 && options.idleExitMs !== undefined) {
        // setTimeout alone would fire at once past 24.8 days.
        cancelIdle = setLongTimeout(() => void finish(0, `no connections for ${options.idleExitMs} ms: exiting`), options.idleExitMs);
      }
    };
    manager.onConnectionCountChange(armIdleExit);
    armIdleExit(manager.liveConnections);
    signals.once('SIGTERM', onSignal);
    signals.once('SIGINT', onSignal);
    bus.onClose((why) => void finish(1, `lost the D-Bus bus (${why}); exiting`));
  });
}

/** Disconnect and wait (briefly) until the socket is closed, so queued messages go out. */
async function closeBus(bus: DbusNextBus): Promise<void> {
  const closed = new Promise<void>((resolve) => bus.onClose(() => resolve()));
  bus.disconnect();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
}
