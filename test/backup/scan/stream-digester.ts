import { createHash } from 'node:crypto';
import type { ContentCheck, DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import { errorCode, type FileStat, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';

/** Hashes through any file system port, in this thread (for in-memory file systems). */
export function streamDigester(fs: FileSystemPort): DigestPort {
  return {
    async digest(path: string, algo: DigestAlgo): Promise<DigestResult> {
      try {
        const hash = createHash(algo);
        let size = 0n;
        for await (const chunk of fs.readChunks(path)) {
          hash.update(chunk);
          size += BigInt(chunk.length);
        }
        return { ok: true, hex: hash.digest('hex'), size };
      } catch (error) {
        return { ok: false, code: errorCode(error) };
      }
    },
  };
}

/**
 * `streamDigester` that also checks content against an expected digest (`DigestPort.check`), as
 * the native digester does: checks gathered into a batch answered together at the next turn, a
 * match answered `true`. `checks` counts them.
 */
export function checkingDigester(fs: FileSystemPort): DigestPort & { checks: number } {
  const inner = streamDigester(fs);
  let batch: Array<() => Promise<void>> = [];
  let ready: Promise<void> | undefined;
  const self = {
    ...inner,
    checks: 0,
    check(path: string, algo: DigestAlgo, _stat: FileStat, expected: Uint8Array, at: number, length: number, into: ContentCheck): Promise<void> {
      self.checks++;
      const want = Buffer.from(expected.subarray(at, at + length)).toString('hex');
      batch.push(async () => {
        const found = await inner.digest(path, algo);
        into.answer = found.ok && found.hex === want ? true : found;
      });
      ready ??= new Promise<void>((resolve) => setImmediate(() => {
        const answering = batch;
        batch = [];
        ready = undefined;
        void Promise.all(answering.map((answer) => answer())).then(() => resolve());
      }));
      return ready;
    },
  };
  return self;
}
