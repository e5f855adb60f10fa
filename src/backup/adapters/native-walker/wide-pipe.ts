/**
 * A wide pipe for a child's output, where the addon can make one (wide-pipe.c).
 * @module
 */
import { loadNativeWalker } from './native-walker.js';

/** The two descriptors of a pipe: give `write` to the child, close it here, read `read`. */
export interface WidePipe {
  /** The end this process reads. */
  readonly read: number;
  /** The end the child writes (close-on-exec here; the child gets its own copy). */
  readonly write: number;
}

/** A pipe asked to hold `bytes`; undefined without the addon or when none can be made (the caller uses node's own). */
export function widePipe(bytes: number): WidePipe | undefined {
  const made = loadNativeWalker(process.env)?.widePipe?.(bytes);
  return Array.isArray(made) ? { read: made[0], write: made[1] } : undefined;
}
