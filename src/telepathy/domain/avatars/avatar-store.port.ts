/**
 * The port to the pictures shipped with the package: the built-in echo contacts' avatars. Reading
 * them is I/O, so the domain sees only this; the daemon reads `data/avatars/`
 * (adapters/avatar-files/), tests use an in-memory store (sim/telepathy/).
 * @module
 */

/** One picture: its bytes and MIME type. */
export interface AvatarPicture {
  /** The image data. */
  readonly bytes: Uint8Array;
  /** Its MIME type, e.g. `image/png`. */
  readonly mimeType: string;
}

/** Where the built-in contacts' pictures come from. */
export interface AvatarStore {
  /**
   * The token of a picture, known without reading it (GetKnownAvatarTokens and the contact
   * attribute must answer at once); it changes when the picture does. Undefined: no such picture.
   */
  tokenOf(fileName: string): string | undefined;
  /** The picture's bytes; rejects with {@link AvatarUnavailableError} when it cannot be read. */
  read(fileName: string): Promise<AvatarPicture>;
}

/** A picture the store lists but cannot deliver (the file went away, or is unreadable). */
export class AvatarUnavailableError extends Error {
  constructor(
    /** The picture's file name. */
    readonly fileName: string,
    /** Why, for the log. */
    reason: string,
  ) {
    super(`avatar ${fileName} is unavailable: ${reason}`);
    this.name = 'AvatarUnavailableError';
  }
}

/** A store with no pictures: every contact has no avatar (the default when none is given). */
export const NO_AVATARS: AvatarStore = {
  tokenOf: () => undefined,
  read: (fileName) => Promise.reject(new AvatarUnavailableError(fileName, 'there is no avatar store')),
};
