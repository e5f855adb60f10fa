/**
 * Channel.Interface.ChatState: typing notifications. The echo contact mirrors the user's state.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import type { Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { Args } from '#telepathy/domain/values/args.js';
import { tv } from '#telepathy/domain/values/typed-values.js';

/** Channel_Chat_State. */
export const ChatState = {
  /** Left the conversation; never set explicitly (the spec reserves it for closing). */
  Gone: 0,
  /** Not paying attention: everyone's state unless told otherwise. */
  Inactive: 1,
  /** Taking part. */
  Active: 2,
  /** Stopped typing for a while. */
  Paused: 3,
  /** Typing. */
  Composing: 4,
} as const;

/** What the ChatState interface needs from its channel. */
export interface ChatStateHost {
  /** The user sets their own state: announce it, and let the contact answer. */
  setChatState(state: number): Reply;
  /** The ChatStates property: every contact whose state is not Inactive. */
  chatStates(): Record<string, number>;
}

/** The chat states of one conversation, by contact handle; Inactive is never stored. */
export class ChatStates {
  private readonly states = new Map<number, number>();

  constructor(private readonly signal: (iface: string, member: string, args: unknown[]) => Signal) {}

  /** Record a contact's state; the ChatStateChanged to announce it, or none when nothing changed. */
  change(handle: number, state: number): Signal[] {
    if ((this.states.get(handle) ?? ChatState.Inactive) === state) return [];
    if (state === ChatState.Inactive) this.states.delete(handle);
    else this.states.set(handle, state);
    return [this.signal(Iface.ChatState, 'ChatStateChanged', [handle, state])];
  }

  /** A contact that was typing (Composing or Paused) sends its message: it becomes Active first. */
  sends(handle: number): Signal[] {
    const state = this.states.get(handle);
    return state === ChatState.Composing || state === ChatState.Paused ? this.change(handle, ChatState.Active) : [];
  }

  /** The ChatStates property's value, keyed by handle as a decimal string. */
  asMap(): Record<string, number> {
    return Object.fromEntries([...this.states].map(([handle, state]) => [String(handle), state]));
  }

  /** Forget every state (a new life of the channel). */
  clear(): void {
    this.states.clear();
  }
}

/** A state the user may set: any but Gone, which the spec says is never sent explicitly. */
export function checkChatState(state: number): number {
  if (state < ChatState.Inactive || state > ChatState.Composing) throw invalidArgument(`${state} is not a chat state one can set`);
  return state;
}

/** The method and property of `org.freedesktop.Telepathy.Channel.Interface.ChatState`. */
export function chatStateInterface(channel: ChatStateHost): BusInterface {
  return {
    methods: {
      SetChatState: (call) => channel.setChatState(checkChatState(new Args(call.args).uint(0, 'State'))),
    },
    properties: { ChatStates: () => tv('a{uu}', channel.chatStates()) },
  };
}
