/**
 * The port between the Telepathy domain and a message bus. The real adapter (dbus-next) and the
 * in-memory bus in `sim/` both implement {@link BusPort} and drive a {@link BusObjectHandler};
 * the domain sees plain data only.
 * @module
 */

/**
 * Value shapes crossing this port, in both directions:
 * - `v`: a {@link TypedValue}; `a{sv}`: a plain object whose values are TypedValues.
 * - Structs are arrays (`(uss)` → `[2, 'available', '']`); arrays are arrays.
 * - Dicts with integer keys (`a{ua{sv}}`, `a{us}`, `a{u(uss)}`, `a{uv}`) are plain objects whose
 *   keys are canonical decimal strings (`{ '1': … }`), never `Map`s; the adapter turns the keys
 *   back into numbers when marshalling.
 * - `x`/`t` are `bigint`; every other integer type is a `number`.
 */

/** A value inside a D-Bus variant, with the exact signature a client will check (`u`, not `i`). */
export interface TypedValue {
  /** The D-Bus signature of the value, e.g. `u`, `s`, `a{sv}`. */
  readonly signature: string;
  /** The value, in the shapes described at the top of this file. */
  readonly value: unknown;
}

/** One incoming method call, already unmarshalled. Variants arrive as {@link TypedValue}s. */
export interface MethodCall {
  /** Unique bus name of the caller, e.g. `:1.42`. */
  readonly sender: string;
  /** Object path the call was made on. */
  readonly path: string;
  /** Interface of the called method. */
  readonly interface: string;
  /** Method name. */
  readonly member: string;
  /** In-arguments, unmarshalled. */
  readonly args: readonly unknown[];
}

/** A signal to emit. Its signature comes from the interface definitions in `spec/`. */
export interface Signal {
  /** Object path that emits it. */
  readonly path: string;
  /** Interface the signal belongs to. */
  readonly interface: string;
  /** Signal name. */
  readonly member: string;
  /** Its arguments, in the shapes described at the top of this file. */
  readonly args: readonly unknown[];
}

/**
 * What a method returns: its out-arguments, and the signals that must follow the reply.
 * A bus sends signals emitted while handling a call before that call's reply, so anything
 * the spec orders after a reply (NewChannels after CreateChannel, MessageSent and the echo
 * after SendMessage) is listed here instead. A bus emits them right after the reply and before
 * it handles any other incoming call: a Close queued behind a SendMessage must not remove the
 * channel before its MessageSent is out. (sim/telepathy/memory-bus.ts does exactly this.)
 */
export interface Reply {
  /** Out-arguments of the method. */
  readonly values: readonly unknown[];
  /** Signals to emit right after the reply, before the next incoming call is handled. */
  readonly after?: readonly Signal[];
}

/** Another connection owns the well-known name we asked for. */
export class NameTakenError extends Error {
  constructor(
    /** The well-known name that is taken. */
    readonly busName: string,
  ) {
    super(`the bus name ${busName} is already owned by another program`);
    this.name = 'NameTakenError';
  }
}

/** What the domain needs from a bus. */
export interface BusPort {
  /** Emit a signal now: during a call, it reaches clients before that call's reply. */
  emit(signal: Signal): void;
  /** Make an object reachable with the given interfaces; calls to it reach the handler. */
  addObject(path: string, interfaces: readonly string[]): void;
  /** Remove an object and all its interfaces. */
  removeObject(path: string): void;
  /** Own a well-known name; rejects (with {@link NameTakenError} on a real bus) when another connection owns it. */
  requestName(name: string): Promise<void>;
  /** Give up a well-known name (a connection's, when it disconnects). */
  releaseName(name: string): Promise<void>;
}

/**
 * What a bus needs from the domain: answers to calls and property reads on its objects.
 * `ConnectionManager` (connection-manager.ts) is the one handler; it adds and removes its objects
 * with {@link BusPort.addObject}/{@link BusPort.removeObject} as connections and channels come
 * and go, and the bus routes every call and property read on any of them here.
 * Errors are `TelepathyError`s (errors/telepathy-error.ts) whose `dbusName` is the D-Bus error to answer with;
 * anything else thrown is a bug, to be answered with a generic error and no details.
 */
export interface BusObjectHandler {
  /** Answer a call, or throw a `TelepathyError` that the bus turns into a D-Bus error reply. */
  call(call: MethodCall): Reply | Promise<Reply>;
  /**
   * Read one property of an object's interface, as a {@link TypedValue} carrying the property's
   * exact signature; throws a `TelepathyError` (`org.freedesktop.DBus.Error.InvalidArgs`) for
   * unknown ones.
   */
  getProperty(path: string, iface: string, name: string): unknown;
  /**
   * Names of every readable property of an object's interface, for `GetAll` (empty for an
   * interface without properties or an unknown object).
   */
  propertyNames(path: string, iface: string): readonly string[];
  /** Write a writable property (e.g. Debug.Enabled); throws a `TelepathyError` for anything else. */
  setProperty?(path: string, iface: string, name: string, value: TypedValue): void;
}
