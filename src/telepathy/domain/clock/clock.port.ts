/** The domain's only source of time, so tests can control it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Whole seconds since the epoch, as Telepathy's timestamps count them. */
export const unixSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);
