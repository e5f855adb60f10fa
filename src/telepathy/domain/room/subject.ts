/**
 * Channel.Interface.Subject2: a room's subject, who set it and when; SetSubject changes it.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { BusPort } from '#telepathy/domain/bus/bus.port.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { Args } from '#telepathy/domain/values/args.js';
import { b, s, u, x, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** The spec's Unix_Timestamp64 for "unknown". */
export const UNKNOWN_TIME = 2n ** 63n - 1n;

/** A subject, and who set it when (nobody known, at an unknown time, for the room's first one). */
export interface Subject {
  /** The subject text. */
  readonly text: string;
  /** Who set it; undefined when unknown. */
  readonly actor?: Party;
  /** When, in seconds since the epoch. */
  readonly timestamp: bigint;
}

/** What the Subject2 interface needs from its room. */
export interface SubjectHost {
  /** The room channel's path. */
  readonly path: string;
  /** The bus to announce changes on. */
  readonly bus: BusPort;
  /** The user, who sets the subject. */
  readonly self: Party;
  /** The current subject. */
  subject: Subject;
  /** Now, in seconds since the epoch. */
  now(): number;
}

/** The properties, by name, as Get and PropertiesChanged carry them. */
function subjectProperties(subject: Subject): VariantMap {
  return {
    Subject: s(subject.text),
    Actor: s(subject.actor?.id ?? ''),
    ActorHandle: u(subject.actor?.handle ?? 0),
    Timestamp: x(subject.timestamp),
  };
}

/** The methods and properties of `org.freedesktop.Telepathy.Channel.Interface.Subject2`. */
export function subjectInterface(room: SubjectHost): BusInterface {
  const property = (name: string) => () => subjectProperties(room.subject)[name]!;
  return {
    methods: {
      SetSubject: (call) => {
        room.subject = { text: new Args(call.args).string(0, 'Subject'), actor: room.self, timestamp: BigInt(room.now()) };
        // The interface emits PropertiesChanged; by the time SetSubject returns, the change is out.
        room.bus.emit({ path: room.path, interface: Iface.Properties, member: 'PropertiesChanged', args: [Iface.Subject2, subjectProperties(room.subject), []] });
        return reply();
      },
    },
    properties: {
      Subject: property('Subject'),
      Actor: property('Actor'),
      ActorHandle: property('ActorHandle'),
      Timestamp: property('Timestamp'),
      CanSet: () => b(true),
    },
  };
}
