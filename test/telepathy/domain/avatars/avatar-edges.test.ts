import { describe, expect, it } from 'vitest';
import { avatarToken } from '#telepathy/domain/avatars/avatar-token.js';
import type { AvatarPicture } from '#telepathy/domain/avatars/avatar-store.port.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { MemoryAvatarStore } from '#sim/telepathy/memory-avatar-store.js';
import { connected, errorOf, startHarness } from '#test/telepathy/support/harness.js';

const AV = Iface.Avatars;
const PNG = [0x89, 0x50, 0x4e, 0x47, 1, 2, 3];

/** A store whose reads wait until `release` is called. */
class HeldAvatarStore extends MemoryAvatarStore {
  private readonly held: (() => void)[] = [];
  override async read(fileName: string): Promise<AvatarPicture> {
    await new Promise<void>((resolve) => this.held.push(resolve));
    return super.read(fileName);
  }
  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

describe('avatars, at the edges', () => {
  it('take the picture as a plain array of bytes, as an in-memory client hands it over', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await conn.call(AV, 'SetAvatar', [PNG, 'image/png'])).toEqual([avatarToken(Uint8Array.from(PNG), 'image/png')]);
    expect(await conn.call(AV, 'RequestAvatar', [1])).toEqual([Uint8Array.from(PNG), 'image/png']);
  });

  it('refuse an array that is not bytes with InvalidArgument', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    for (const bad of [[...PNG, 256], [...PNG, -1], [...PNG, 1.5], 'not bytes']) {
      expect(await errorOf(conn.call(AV, 'SetAvatar', [bad, 'image/png']))).toBe(ErrorNames.InvalidArgument);
    }
  });

  it('send no AvatarRetrieved when the connection ended while the pictures were read', async () => {
    const store = new HeldAvatarStore();
    const { client, bus } = await startHarness({ avatars: store });
    const conn = await connected(client, 'me');
    const [[echo]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['echo@cave.example']])) as [[number]];
    const answer = conn.call(AV, 'RequestAvatars', [[echo]]);
    await conn.call(Iface.Connection, 'Disconnect');
    store.release();
    expect(await answer).toEqual([]);
    expect(bus.log.some((e) => e.kind === 'signal' && e.member === 'AvatarRetrieved')).toBe(false);
  });
});
