/**
 * Channel.Interface.Messages: sending and receiving messages as parts.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { Args } from '#telepathy/domain/values/args.js';
import { tv, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { unqualifiedProperties } from './channel-interface.js';
import { parseOutgoing, type OutgoingMessage } from './message.js';

/** What the Messages interface needs from its channel. */
export interface MessagesHost {
  /** Properties that never change during one life, fully qualified. */
  immutableProperties(): VariantMap;
  /** The content types it can send (its SupportedContentTypes property). */
  supportedContentTypes(): readonly string[];
  /** Send a message with Message_Sending_Flags; `replyValues` makes the method's out-arguments from the message-token. */
  send(message: OutgoingMessage, replyValues: (token: string) => unknown[], flags: number): Reply;
  /** Some text parts of one pending message. */
  pendingContent(id: number, parts: readonly number[]): Reply;
  /** Every pending message, as parts. */
  pendingParts(): VariantMap[][];
}

/** The methods and properties of `org.freedesktop.Telepathy.Channel.Interface.Messages`. */
export function messagesInterface(channel: MessagesHost): BusInterface {
  return {
    methods: {
      SendMessage: (call) => {
        const args = new Args(call.args);
        // Not immutableProperties(): building them all was ~6 µs of each echo.
        const message = parseOutgoing(args.variantMaps(0, 'Message'), channel.supportedContentTypes());
        return channel.send(message, (token) => [token], args.uint(1, 'Flags'));
      },
      GetPendingMessageContent: (call) => {
        const args = new Args(call.args);
        return channel.pendingContent(args.uint(0, 'Message_ID'), args.uints(1, 'Parts'));
      },
    },
    properties: {
      ...unqualifiedProperties(channel, Iface.Messages),
      PendingMessages: () => tv('aaa{sv}', channel.pendingParts()),
    },
  };
}
