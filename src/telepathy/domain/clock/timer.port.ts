/**
 * The domain's only way to do something later, so tests can decide when "later" is.
 * @module
 */

/** Stops a task that has not run yet; harmless after it ran. */
export type Cancel = () => void;

/** Runs tasks after a delay. Tasks with the same delay run in the order they were given. */
export interface Timer {
  /** Run `task` once, `ms` milliseconds from now. */
  after(ms: number, task: () => void): Cancel;
}

/** When a contact's answer (the echo, a delivery report) comes back: on this timer, this long after the message. */
export interface ReplyTiming {
  /** The timer that delivers answers. */
  readonly timer: Timer;
  /** How long after the message its answer arrives, in milliseconds. */
  readonly delayMs: number;
}

/**
 * The echo's default delay. Arriving as a separate, later message (as a real contact's reply
 * does) keeps it after the sender's own MessageSent even through proxies that forward
 * MessageReceived at once but re-emit MessageSent only after their own call returns (KDE's OTR
 * proxy showed the echo first 20 times in 24 with no delay, never in 21 with 20 ms).
 */
export const DEFAULT_ECHO_DELAY_MS = 25;
