/** The scenario suite's client interface over the in-memory bus, with the connection manager on it. */
import { createConnectionManager, type ConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ScenarioClient, ScenarioEvent, ScenarioHarness } from '#spec/telepathy/scenario-client.js';
import { ManualTimer } from './manual-timer.js';
import { MemoryAvatarStore } from './memory-avatar-store.js';
import { MemoryBus } from './memory-bus.js';
import type { SimClient } from './sim-client.js';

export interface SimScenarioHarness extends ScenarioHarness {
  readonly bus: MemoryBus;
  readonly manager: ConnectionManager;
}

/** A fresh bus with a started `cave` manager; clients are simulated. */
export async function startSimScenarioHarness(clock: Clock = { now: () => 1_700_000_000_000 }): Promise<SimScenarioHarness> {
  const bus = new MemoryBus();
  const service = bus.service();
  const timer = new ManualTimer();
  const manager = createConnectionManager(service, { clock, timer, avatars: new MemoryAvatarStore() });
  service.serve(manager);
  await manager.start();
  return { bus, manager, newClient: async () => scenarioClient(bus, bus.client(), timer) };
}

function scenarioClient(bus: MemoryBus, client: SimClient, timer: ManualTimer): ScenarioClient {
  // Converted once each, so the same event is the same object every time events() is read.
  const seen: ScenarioEvent[] = [];
  const events = (): readonly ScenarioEvent[] => {
    for (const event of client.received.slice(seen.length)) {
      if (event.kind === 'signal') {
        seen.push({ kind: 'signal', path: event.path, interface: event.interface, member: event.member, args: event.args });
        continue;
      }
      const call = bus.log.find((e) => e.kind === 'call' && e.serial === event.replyTo);
      const { path, member } = call as { path: string; member: string };
      seen.push({ kind: event.kind, path, member });
    }
    return seen;
  };
  return {
    call: (destination, path, iface, member, args = []) => client.call(destination, path, iface, member, args),
    getAll: (destination, path, iface) => client.getAll(destination, path, iface),
    events,
    async waitFor(predicate) {
      // Everything on this bus is delivered synchronously, and waiting lets delayed answers (the
      // echo) arrive one at a time: what is not here once nothing waits never will be.
      let found = events().find(predicate);
      while (!found && timer.waiting > 0) {
        timer.advance(Math.max(1, timer.nextIn()));
        found = events().find(predicate);
      }
      if (!found) throw new Error('the awaited event never arrived');
      return found;
    },
  };
}
