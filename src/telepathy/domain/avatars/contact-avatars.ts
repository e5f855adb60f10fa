/**
 * Contacts' avatars on one connection: the built-in echo contacts' pictures from the store, the
 * user's own as set (kept until the connection ends), none for anyone else.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { builtinEchoContact } from '#telepathy/domain/roster/echo-contacts.js';
import { AVATAR_REQUIREMENTS } from './avatar-requirements.js';
import type { AvatarPicture, AvatarStore } from './avatar-store.port.js';
import { avatarToken } from './avatar-token.js';

/** A picture with the token that names it. */
export interface TokenedPicture {
  /** The avatar token clients cache it by. */
  readonly token: string;
  /** The picture itself. */
  readonly picture: AvatarPicture;
}

/** Avatars of one connection's contacts. */
export class ContactAvatars {
  private own?: TokenedPicture;

  constructor(
    private readonly store: AvatarStore,
    private readonly idOf: (handle: number) => string,
    private readonly selfHandle: number,
  ) {}

  /** A contact's avatar token; empty when it has none (the spec's "no avatar"). */
  tokenOf(handle: number): string {
    if (handle === this.selfHandle) return this.own?.token ?? '';
    const file = this.fileOf(handle);
    return (file && this.store.tokenOf(file)) ?? '';
  }

  /** A contact's picture with its token; undefined when it has none or it cannot be read. */
  async pictureOf(handle: number): Promise<TokenedPicture | undefined> {
    if (handle === this.selfHandle) return this.own;
    const file = this.fileOf(handle);
    const token = this.tokenOf(handle);
    if (!file || token === '') return undefined;
    try {
      return { token, picture: await this.store.read(file) };
    } catch {
      return undefined; // the spec: a picture that cannot be retrieved is simply not sent
    }
  }

  /** Set the user's own avatar; InvalidArgument when it breaks the requirements. Returns its token. */
  setOwn(bytes: Uint8Array, mimeType: string): string {
    if (!(AVATAR_REQUIREMENTS.mimeTypes as readonly string[]).includes(mimeType)) {
      throw invalidArgument(`avatar type ${JSON.stringify(mimeType)} is not one of ${AVATAR_REQUIREMENTS.mimeTypes.join(', ')}`);
    }
    if (bytes.length === 0) throw invalidArgument('the avatar is empty (ClearAvatar removes it)');
    if (bytes.length > AVATAR_REQUIREMENTS.maximumBytes) {
      throw invalidArgument(`the avatar has ${bytes.length} bytes, more than ${AVATAR_REQUIREMENTS.maximumBytes}`);
    }
    const token = avatarToken(bytes, mimeType);
    this.own = { token, picture: { bytes: Uint8Array.from(bytes), mimeType } };
    return token;
  }

  /** Remove the user's own avatar; whether there was one. */
  clearOwn(): boolean {
    const had = this.own !== undefined;
    this.own = undefined;
    return had;
  }

  private fileOf(handle: number): string | undefined {
    return builtinEchoContact(this.idOf(handle))?.avatarFile;
  }
}
