/**
 * Channel.Type.Text: the old text API (Send, pending messages as tuples).
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { Args } from '#telepathy/domain/values/args.js';
import { checkMessageType, SUPPORTED_MESSAGE_TYPES, type OutgoingMessage } from './message.js';

/** What the Text interface needs from its channel. */
export interface TypeTextHost {
  /** Send a message; `replyValues` makes the method's out-arguments from the message-token. */
  send(message: OutgoingMessage, replyValues: (token: string) => unknown[]): Reply;
  /** Acknowledge pending messages by id. */
  acknowledge(ids: readonly number[]): Reply;
  /** The pending messages as tuples, optionally clearing them. */
  listPending(clear: boolean): Reply;
}

/** The methods of `org.freedesktop.Telepathy.Channel.Type.Text` (it has no properties). */
export function typeTextInterface(channel: TypeTextHost): BusInterface {
  return {
    methods: {
      Send: (call) => {
        const args = new Args(call.args);
        const type = checkMessageType(args.uint(0, 'Type'));
        return channel.send({ type, texts: [args.string(1, 'Text')] }, () => []);
      },
      AcknowledgePendingMessages: (call) => channel.acknowledge(new Args(call.args).uints(0, 'IDs')),
      GetMessageTypes: () => reply([...SUPPORTED_MESSAGE_TYPES]),
      ListPendingMessages: (call) => channel.listPending(new Args(call.args).bool(0, 'Clear')),
    },
    properties: {},
  };
}
