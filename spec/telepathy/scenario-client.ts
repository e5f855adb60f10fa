/**
 * The one interface the Telepathy scenario suite needs: a client on the bus where the `cave`
 * connection manager runs. Implemented over the in-memory bus (test/telepathy/scenarios.test.ts)
 * and over dbus-next against the real daemon, so both run the very same scenarios.
 *
 * Value conventions (the same as src/telepathy/domain/bus/bus.port.ts):
 * - a variant is `{ signature, value }`; `a{sv}` is a plain object of those;
 * - structs are arrays; dicts with integer keys are plain objects with decimal-string keys;
 * - `x`/`t` are bigint, other integers are numbers.
 */
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';

export type { TypedValue };

/** Something this client received, in arrival order. */
export type ScenarioEvent =
  | { readonly kind: 'signal'; readonly path: string; readonly interface: string; readonly member: string; readonly args: readonly unknown[] }
  /** The answer to one of this client's calls, named by the called member and path. */
  | { readonly kind: 'reply' | 'error'; readonly path: string; readonly member: string };

export interface ScenarioClient {
  /** Call a method: resolves to the out-arguments, rejects with an error whose `dbusName` is the D-Bus error name. */
  call(destination: string, path: string, iface: string, member: string, args?: readonly unknown[]): Promise<unknown[]>;
  /** `org.freedesktop.DBus.Properties.GetAll`. */
  getAll(destination: string, path: string, iface: string): Promise<Record<string, TypedValue>>;
  /**
   * Everything received so far: every signal the manager emitted (the client listens to all of
   * them) and the answers to this client's own calls, each recorded the moment it arrives (so a
   * reply recorded before a signal did arrive first). An event is the same object every time
   * it is listed: scenarios compare positions with `indexOf`.
   */
  events(): readonly ScenarioEvent[];
  /** The first event matching `predicate`, waiting for it if needed; rejects after a short timeout. */
  waitFor(predicate: (event: ScenarioEvent) => boolean): Promise<ScenarioEvent>;
}

/** What a scenario is given: a way to get clients on the bus. */
export interface ScenarioHarness {
  newClient(): Promise<ScenarioClient>;
}

export interface Scenario {
  readonly name: string;
  run(harness: ScenarioHarness): Promise<void>;
}
