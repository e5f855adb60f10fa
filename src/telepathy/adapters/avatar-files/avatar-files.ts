/**
 * The avatar store on the pictures shipped with the package (`data/avatars/`): tokens are
 * content hashes taken once at start, the bytes are read from disk whenever a client asks.
 * @module
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AvatarUnavailableError, type AvatarPicture, type AvatarStore } from '#telepathy/domain/avatars/avatar-store.port.js';

/** `data/avatars/` of the package, beside `src/` or `dist/` (this file sits three folders below either). */
export const avatarDirectory = fileURLToPath(new URL('../../../../data/avatars/', import.meta.url));

const MIME_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

/** Pictures in one folder, by file name. */
export class AvatarFiles implements AvatarStore {
  private constructor(
    private readonly directory: string,
    private readonly tokens: ReadonlyMap<string, string>,
  ) {}

  /** Hash every picture in `directory` (none when it is missing: every contact then has no avatar). */
  static async open(directory: string = avatarDirectory): Promise<AvatarFiles> {
    const names = await readdir(directory).catch(() => [] as string[]);
    const tokens = new Map<string, string>();
    for (const name of names.filter((n) => MIME_TYPES[extname(n).toLowerCase()]).sort()) {
      const bytes = await readFile(join(directory, name)).catch(() => undefined);
      if (bytes) tokens.set(name, createHash('sha1').update(bytes).digest('hex'));
    }
    return new AvatarFiles(directory, tokens);
  }

  tokenOf(fileName: string): string | undefined {
    return this.tokens.get(fileName);
  }

  async read(fileName: string): Promise<AvatarPicture> {
    const mimeType = MIME_TYPES[extname(fileName).toLowerCase()];
    if (!this.tokens.has(fileName) || !mimeType) throw new AvatarUnavailableError(fileName, 'not in the avatar folder');
    try {
      return { bytes: await readFile(join(this.directory, fileName)), mimeType };
    } catch (error) {
      throw new AvatarUnavailableError(fileName, (error as Error).message);
    }
  }
}
