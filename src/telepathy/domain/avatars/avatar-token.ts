/**
 * A token for a picture the user sets: derived from its content, so the same picture gets the
 * same token on every connection (clients cache avatars by token) and a different one another.
 * @module
 */

/** FNV-1a, 64 bits, over the MIME type and the bytes; written as 16 hex digits. */
export function avatarToken(bytes: Uint8Array, mimeType: string): string {
  const prime = 0x100000001b3n;
  let hash = 0xcbf29ce484222325n;
  const mix = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * prime) & 0xffffffffffffffffn;
  };
  for (let i = 0; i < mimeType.length; i++) mix(mimeType.charCodeAt(i) & 0xff);
  mix(0);
  for (const byte of bytes) mix(byte);
  return hash.toString(16).padStart(16, '0');
}
