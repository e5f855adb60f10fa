/**
 * An in-memory avatar store for tests: a few bytes per built-in echo contact, and a switch that
 * makes a picture unreadable though still listed (as a file removed after the daemon started).
 * It implements the domain's avatar port only.
 */
import { AvatarUnavailableError, type AvatarPicture, type AvatarStore } from '#telepathy/domain/avatars/avatar-store.port.js';
import { avatarToken } from '#telepathy/domain/avatars/avatar-token.js';
import { builtinEchoContacts } from '#telepathy/domain/roster/echo-contacts.js';

/** A picture's stand-in bytes: the PNG signature, then the file name, so each one differs. */
export function stubPicture(fileName: string): AvatarPicture {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return { bytes: Uint8Array.from([...signature, ...[...fileName].map((c) => c.charCodeAt(0))]), mimeType: 'image/png' };
}

export class MemoryAvatarStore implements AvatarStore {
  private readonly pictures = new Map<string, AvatarPicture>();
  /** File names whose reads fail. */
  readonly unreadable = new Set<string>();
  /** How many reads each file had. */
  readonly reads = new Map<string, number>();

  /** A store holding a stub picture for every built-in echo contact. */
  constructor(fileNames: readonly string[] = builtinEchoContacts.map((c) => c.avatarFile)) {
    for (const name of fileNames) this.pictures.set(name, stubPicture(name));
  }

  tokenOf(fileName: string): string | undefined {
    const picture = this.pictures.get(fileName);
    return picture && avatarToken(picture.bytes, picture.mimeType);
  }

  read(fileName: string): Promise<AvatarPicture> {
    this.reads.set(fileName, (this.reads.get(fileName) ?? 0) + 1);
    const picture = this.pictures.get(fileName);
    if (!picture || this.unreadable.has(fileName)) return Promise.reject(new AvatarUnavailableError(fileName, 'unreadable in this test'));
    return Promise.resolve(picture);
  }
}
