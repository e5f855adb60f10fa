import { createHash } from 'node:crypto';
import type { DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import { errorCode, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';

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
