/**
 * An echo room: a text channel to a room handle, with Group, Room2 and Subject2. Its messaging
 * is a {@link TextChannel}'s; only who echoes differs (every member but you).
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import { unixSeconds, type Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ReplyTiming } from '#telepathy/domain/clock/timer.port.js';
import { channelInterface, unqualifiedProperties } from '#telepathy/domain/channel/channel-interface.js';
import { destroyableInterface } from '#telepathy/domain/channel/destroyable.js';
import type { OutgoingMessage, Party } from '#telepathy/domain/channel/message.js';
import { messagesInterface } from '#telepathy/domain/channel/messages.js';
import { TextChannel } from '#telepathy/domain/channel/text-channel.js';
import { typeTextInterface } from '#telepathy/domain/channel/type-text.js';
import type { ContactHandles } from '#telepathy/domain/connection/handles.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { as, s, u, x, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { initialSubject } from './echo-rooms.js';
import { RoomGroup } from './group.js';
import { groupInterface } from './group-interface.js';
import { subjectInterface, UNKNOWN_TIME, type Subject } from './subject.js';

/** What a room needs from its connection. */
export interface RoomChannelHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The clock for message and subject timestamps. */
  readonly clock: Clock;
  /** The user. */
  readonly self: Party;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** When the members' echoes arrive; without it, right after the reply. */
  readonly replyTiming?: ReplyTiming | undefined;
  /** A new message-token, unique in the connection. */
  nextToken(): string;
  /** Close the room: Closed, ChannelClosed, and it leaves the bus. */
  close(room: RoomChannel): void;
}

const ROOM_INTERFACES = [Iface.Messages, Iface.Destroyable, Iface.Group, Iface.Room2, Iface.Subject2];

/** One joined echo room. */
export class RoomChannel {
  private readonly text: TextChannel;
  /** Who is in the room. */
  readonly group: RoomGroup;
  /** The room's subject (Subject2). */
  subject: Subject;

  constructor(
    /** The channel's object path. */
    readonly path: string,
    /** The room: its room handle and normalised name. */
    readonly target: Party,
    private readonly host: RoomChannelHost,
  ) {
    this.group = new RoomGroup(path, host.self);
    this.subject = { text: initialSubject(target.id), timestamp: UNKNOWN_TIME };
    // Only the echo's own parts: a room has no protocol messaging, whatever the connection's is.
    this.text = new TextChannel(path, target, host.self, true, {
      bus: host.bus,
      clock: host.clock,
      self: host.self,
      replyTiming: host.replyTiming,
      nextToken: () => host.nextToken(),
      close: () => host.close(this),
      echoers: () => this.group.echoers(),
    });
  }

  /** The bus, for the Subject2 interface. */
  get bus(): BusPort {
    return this.host.bus;
  }
  /** The user. */
  get self(): Party {
    return this.host.self;
  }
  /** The connection's contact handles, for the Group interface. */
  get handles(): ContactHandles {
    return this.host.handles;
  }

  /** A text channel's immutable properties, with the room's target, interfaces and Room2 names. */
  immutableProperties(): VariantMap {
    const ch = Iface.Channel;
    const room = Iface.Room2;
    return {
      ...this.text.immutableProperties(),
      [`${ch}.Interfaces`]: as(ROOM_INTERFACES),
      [`${ch}.TargetHandleType`]: u(HandleType.Room),
      [`${room}.RoomName`]: s(this.target.id),
      [`${room}.Server`]: s(''),
      [`${room}.Creator`]: s(''),
      [`${room}.CreatorHandle`]: u(0),
      [`${room}.CreationTimestamp`]: x(UNKNOWN_TIME),
    };
  }

  /** The content types it can send, as its text channel's. */
  supportedContentTypes(): readonly string[] {
    return this.text.supportedContentTypes();
  }

  /** The interfaces besides Channel and Type.Text. */
  get extraInterfaces(): readonly string[] {
    return ROOM_INTERFACES;
  }

  /** The room object: a text channel's builders plus Group, Room2 and Subject2. */
  busObject(): BusObject {
    return busObjectOf(this.path, {
      [Iface.Channel]: channelInterface(this),
      [Iface.Text]: typeTextInterface(this),
      [Iface.Messages]: messagesInterface(this),
      [Iface.Destroyable]: destroyableInterface(this),
      [Iface.Group]: groupInterface(this),
      [Iface.Room2]: { methods: {}, properties: unqualifiedProperties(this, Iface.Room2) },
      [Iface.Subject2]: subjectInterface(this),
    });
  }

  /** You and the echo members arrive: the signals to send once the room is announced. */
  join(echoMembers: readonly Party[]): Signal[] {
    return this.group.join(echoMembers);
  }

  /** RemoveMembers on yourself: the group says you left, then the room closes (all before the reply). */
  leave(message: string): Reply {
    this.text.flushReplies();
    for (const signal of this.group.leave(message)) this.host.bus.emit(signal);
    this.host.close(this);
    return reply();
  }

  /** Leaving for good: a room does not come back for its pending messages, unlike a 1-1 channel. */
  close(_destroy: boolean): Reply {
    this.text.flushReplies();
    this.host.close(this);
    return reply();
  }

  /** Now, in seconds since the epoch. */
  now(): number {
    return unixSeconds(this.host.clock);
  }

  /** Deliver the members' echoes still on their way (the room is about to close). */
  flushReplies(): void {
    this.text.flushReplies();
  }

  /** Send to the room: every other member echoes it, a moment later. */
  send(message: OutgoingMessage, replyValues: (token: string) => unknown[], flags = 0): Reply {
    return this.text.send(message, replyValues, flags);
  }
  /** Acknowledge pending messages by id. */
  acknowledge(ids: readonly number[]): Reply {
    return this.text.acknowledge(ids);
  }
  /** The pending messages as tuples, optionally clearing them. */
  listPending(clear: boolean): Reply {
    return this.text.listPending(clear);
  }
  /** Some text parts of one pending message. */
  pendingContent(id: number, parts: readonly number[]): Reply {
    return this.text.pendingContent(id, parts);
  }
  /** Every pending message, as parts. */
  pendingParts(): VariantMap[][] {
    return this.text.pendingParts();
  }
}
