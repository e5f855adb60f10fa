import type { ContentCheck, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';

/**
 * An owned file's entry waiting for its content check (`DigestPort.check`): one small object
 * instead of a promise, its closures and a record per file. The check answers it in place; the
 * emitter then makes its entry (`OrderedEmitter`'s `finish`), in walk order.
 */
export class PendingEntry implements ContentCheck {
  answer: true | DigestResult | undefined = undefined;
  /** Resolves once `answer` is set (shared by a batch of checks); set as the check is asked. */
  ready!: Promise<void>;

  constructor(
    /** The path, as the walk found it. */
    readonly path: string,
    /** Its lstat. */
    readonly stat: FileStat,
    /** The id of the only record that owns it. */
    readonly id: number,
  ) {}
}
