/** telepathy-glib and the `email` protocol's Addressing: normalising through the Protocol object, the fields from the running manager. */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { systemPython } from './clients.js';
import { activationEnv, makeActivatable } from './daemon-process.js';

const run = promisify(execFile);
let bus: PrivateBus;
let home: string;

beforeAll(async () => {
  bus = await startPrivateBus({ env: activationEnv() });
  await makeActivatable(bus.serviceDir, ['--idle-exit', '1']);
  home = await mkdtemp(join(tmpdir(), 'cave-tpglib-addressing-'));
  await mkdir(join(home, 'data-dirs/telepathy/managers'), { recursive: true });
  await copyFile(new URL('../../../data/cave.manager', import.meta.url), join(home, 'data-dirs/telepathy/managers/cave.manager'));
});

afterAll(async () => {
  await bus.stop();
  await rm(home, { recursive: true, force: true });
});

describe('telepathy-glib and the email protocol\'s addressing', () => {
  it('gets a vCard address and a mailto: URI normalised, and sees the email field and mailto scheme once cave runs', async () => {
    const script = new URL('telepathy_glib_addressing.py', import.meta.url).pathname;
    const { stdout } = await run(systemPython, [script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, XDG_DATA_DIRS: join(home, 'data-dirs'), XDG_DATA_HOME: join(home, 'data-home') },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    expect(stdout.trim().split('\n')).toEqual([
      'manager-file: vcard-fields=[] uri-schemes=[]', // telepathy-glib 0.24 does not read these .manager keys
      'vcard-address: alice@example.com',
      'uri: mailto:alice@example.com',
      "live: source=live vcard-fields=['email'] uri-schemes=['mailto']",
    ]);
  });
});
