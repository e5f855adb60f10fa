import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startPrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';

const run = promisify(execFile);

describe('private dbus-daemon helper', () => {
  it('starts a bus that carries a method call, then stops exactly that bus', async () => {
    const bus = await startPrivateBus();
    try {
      expect(bus.address).toMatch(/^unix:/);
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
      const { stdout } = await run(
        'gdbus',
        ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus',
          '--method', 'org.freedesktop.DBus.ListNames'],
        { env },
      );
      expect(stdout).toContain("'org.freedesktop.DBus'");
    } finally {
      await bus.stop();
    }
    expect(existsSync(bus.dir)).toBe(false);
    await expect(
      run('gdbus', ['call', '--address', bus.address, '--dest', 'org.freedesktop.DBus', '--object-path',
        '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.GetId']),
    ).rejects.toThrow();
  });

  it('offers activation from its own service folder', async () => {
    const bus = await startPrivateBus();
    try {
      await bus.addService('org.example.CaveProbe', '/bin/true');
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
      const { stdout } = await run('gdbus', ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path',
        '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.ListActivatableNames'], { env });
      expect(stdout).toContain("'org.example.CaveProbe'");
    } finally {
      await bus.stop();
    }
  });
});
