/**
 * The Debug interface (`org.freedesktop.Telepathy.Debug`): what a debug viewer such as
 * kde-telepathy-debugger shows. It keeps the latest log lines and, while a viewer has set
 * Enabled, announces each new one.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Signal, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { b } from '#telepathy/domain/values/typed-values.js';

/** Where the Debug object lives, on the connection manager's bus name. */
export const DEBUG_PATH = '/org/freedesktop/Telepathy/debug';

/** Debug_Level. */
export const DebugLevel = {
  /** Something failed. */
  Error: 0,
  /** Detail for someone debugging: every call and signal. */
  Debug: 5,
} as const;

/** One Debug_Message: (time in seconds since the epoch, domain, Debug_Level, text). */
export type DebugMessage = [time: number, domain: string, level: number, text: string];

/** The latest log lines, at most `capacity` of them, and the NewDebugMessage announcements. */
export class DebugMessages {
  private readonly kept: DebugMessage[] = [];
  private emit: ((signal: Signal) => void) | undefined;
  private announcing = false;
  /** Whether NewDebugMessage is emitted: a viewer sets it, and it starts false. */
  enabled = false;

  constructor(
    private readonly clock: Clock,
    /** How many messages GetMessages returns at most (telepathy-glib keeps 800). */
    readonly capacity = 800,
  ) {}

  /** Start announcing on a bus, once the Debug object is exported there. */
  attach(emit: (signal: Signal) => void): void {
    this.emit = emit;
  }

  /** Record one log line; while Enabled, announce it. */
  add(domain: string, level: number, text: string): void {
    // Announcing is logged too: recording that would announce it again, forever.
    if (this.announcing) return;
    const message: DebugMessage = [this.clock.now() / 1000, domain, level, text];
    this.kept.push(message);
    if (this.kept.length > this.capacity) this.kept.shift();
    if (!this.enabled || !this.emit) return;
    this.announcing = true;
    try {
      this.emit({ path: DEBUG_PATH, interface: Iface.Debug, member: 'NewDebugMessage', args: [...message] });
    } finally {
      this.announcing = false;
    }
  }

  /** The kept messages, oldest first. */
  messages(): DebugMessage[] {
    return this.kept.map((message) => [...message] as DebugMessage);
  }
}

/** The method and the one (writable) property of `org.freedesktop.Telepathy.Debug`. */
export function debugInterface(debug: DebugMessages): BusInterface {
  return {
    methods: { GetMessages: () => reply(debug.messages()) },
    properties: { Enabled: () => b(debug.enabled) },
    setters: {
      Enabled: (value: TypedValue) => {
        if (value.signature !== 'b' || typeof value.value !== 'boolean') throw invalidArgument('Enabled is a boolean');
        debug.enabled = value.value;
      },
    },
  };
}
