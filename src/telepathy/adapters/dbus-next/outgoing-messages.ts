import dbus from 'dbus-next';
import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import { internalErrorName } from './dbus-errors.js';
import type { Message, MessageBus } from './dbus-next-internals.js';
import { marshalSignal, type DomainSignal } from './fast-marshal.js';

const { Message: MessageClass, MessageType } = dbus;

const replyKey = (peer: string | undefined, serial: unknown) => `${peer ?? ''}#${String(serial)}`;

/**
 * Every message a {@link MessageBus} sends passes here:
 * - signals that must follow a reply (NewChannels after CreateChannel) go out right after it;
 * - a reply that cannot be marshalled becomes a plain error, not dbus-next's stack trace;
 * - what one turn of the event loop sends (a reply, its signals, and what the turn's
 *   `setImmediate` callbacks send, as a zero-delay echo) goes out in one write, where dbus-next
 *   would write each message on its own.
 */
export class OutgoingMessages {
  /** Signals waiting for the reply to a call, by caller and serial. */
  private readonly afterReply = new Map<string, readonly Signal[]>();
  private readonly send: (message: Message) => void;
  private corked = false;

  constructor(
    private readonly bus: MessageBus,
    private readonly emit: (signal: Signal) => void,
    /** Failures no caller hears of; always logged. */
    private readonly log: (line: string) => void,
  ) {
    this.send = bus.send.bind(bus);
    bus.send = (message: Message) => this.sendMessage(message);
  }

  /** Send these signals right after the reply to `call`; dropped if the call fails. */
  afterReplyTo(call: Message, signals: readonly Signal[]): void {
    this.afterReply.set(replyKey(call.sender, call.serial), signals);
  }

  /**
   * Send a signal marshalled straight from the domain's values, in order with everything else
   * sent; `slow` builds dbus-next's message where that cannot be done (a closed connection,
   * unix fds, values of unexpected shapes), and dbus-next decides.
   */
  sendSignal(signal: DomainSignal, slow: () => Message): void {
    const stream = this.bus._connection.stream;
    const bytes = stream.writable && !stream.supportsUnixFd ? marshalSignal(signal) : undefined;
    if (!bytes) return this.bus.send(slow());
    this.batchThisTurn();
    bytes.writeUInt32LE(this.bus.newSerial(), 8);
    stream.write(bytes);
  }

  private sendMessage(message: Message): void {
    this.batchThisTurn();
    const isReply = message.type === MessageType.METHOD_RETURN;
    const key = isReply ? replyKey(message.destination, message.replySerial) : '';
    const after = isReply ? this.afterReply.get(key) : undefined;
    if (after) this.afterReply.delete(key);
    try {
      this.send(message);
    } catch (error) {
      this.log(`could not send ${message.member ?? 'a reply'}: ${(error as Error)?.message ?? String(error)}`);
      if (isReply) this.sendQuietly(errorReplyFor(message));
      return;
    }
    for (const signal of after ?? []) this.emitQuietly(signal);
  }

  private batchThisTurn(): void {
    if (this.corked) return;
    this.corked = true;
    const stream = this.bus._connection.stream;
    stream.cork();
    // Not nextTick: a zero-delay echo runs on setImmediate, and its own write woke the bus
    // daemon and the client a second time (measured: one writev per echo instead of two).
    setImmediate(() => {
      this.corked = false;
      stream.uncork();
    });
  }

  /** Past the reply, a failure can no longer reach the caller: it only goes to the log. */
  emitQuietly(signal: Signal): void {
    try {
      this.emit(signal);
    } catch (error) {
      this.log(`could not emit ${signal.member} after a reply: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private sendQuietly(message: Message): void {
    try {
      this.send(message);
    } catch (error) {
      this.log(`could not send an error reply: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}

function errorReplyFor(reply: Message): Message {
  return new MessageClass({
    type: MessageType.ERROR,
    replySerial: reply.replySerial,
    destination: reply.destination,
    errorName: internalErrorName,
    signature: 's',
    body: ['telepathy-cave could not send its answer'],
  });
}
