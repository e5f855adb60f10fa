import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AvatarFiles, avatarDirectory } from '#telepathy/adapters/avatar-files/avatar-files.js';
import { AvatarUnavailableError } from '#telepathy/domain/avatars/avatar-store.port.js';
import { builtinEchoContacts } from '#telepathy/domain/roster/echo-contacts.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('the avatar files shipped in data/avatars/', () => {
  it('hold a small PNG for every built-in echo contact, each with its own token', async () => {
    const store = await AvatarFiles.open();
    const tokens = builtinEchoContacts.map((c) => store.tokenOf(c.avatarFile));
    expect(new Set(tokens).size).toBe(builtinEchoContacts.length);
    for (const contact of builtinEchoContacts) {
      const { bytes, mimeType } = await store.read(contact.avatarFile);
      expect(mimeType).toBe('image/png');
      expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(bytes.length).toBeLessThan(2048);
      expect(bytes).toEqual(readFileSync(join(avatarDirectory, contact.avatarFile)));
    }
  });

  it('change a token when the picture changes, and fail a read once the file is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cave-avatars-'));
    try {
      writeFileSync(join(dir, 'a.png'), Uint8Array.from(PNG_SIGNATURE));
      writeFileSync(join(dir, 'notes.txt'), 'not a picture');
      const first = await AvatarFiles.open(dir);
      writeFileSync(join(dir, 'a.png'), Uint8Array.from([...PNG_SIGNATURE, 1]));
      const second = await AvatarFiles.open(dir);
      expect(first.tokenOf('a.png')).not.toBe(second.tokenOf('a.png'));
      expect(second.tokenOf('notes.txt')).toBeUndefined();
      rmSync(join(dir, 'a.png'));
      await expect(second.read('a.png')).rejects.toBeInstanceOf(AvatarUnavailableError);
      await expect(second.read('missing.png')).rejects.toBeInstanceOf(AvatarUnavailableError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('give no avatars, rather than failing the daemon, when the folder is missing', async () => {
    const store = await AvatarFiles.open(join(tmpdir(), 'cave-no-such-avatar-folder'));
    expect(store.tokenOf('echo.png')).toBeUndefined();
  });
});
