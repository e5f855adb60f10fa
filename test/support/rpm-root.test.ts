import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRpmRoot } from './rpm-root.js';

describe('real rpm root helper', () => {
  it('installs built packages into a temporary root that rpm can query', async () => {
    const rpmRoot = await buildRpmRoot([
      {
        name: 'cave-hello',
        paths: [
          { path: '/etc/hello.conf', content: 'greeting=hi\n', config: true },
          { path: '/usr/share/hello', kind: 'dir' },
          { path: '/usr/share/hello/with space.txt', content: 'data\n', mode: 0o600 },
          { path: '/usr/share/hello/link', kind: 'symlink', target: 'with space.txt' },
        ],
      },
      { name: 'cave-other', version: '2.5', paths: [{ path: '/usr/bin/other', content: '#!/bin/sh\n', mode: 0o755 }] },
    ]);
    try {
      const names = (await rpmRoot.rpm(['-qa', '--qf', '%{NAME}-%{VERSION}\\n'])).trim().split('\n').sort();
      expect(names).toEqual(['cave-hello-1.0', 'cave-other-2.5']);
      expect(await readFile(join(rpmRoot.root, 'etc/hello.conf'), 'utf8')).toBe('greeting=hi\n');
      expect(await readlink(join(rpmRoot.root, 'usr/share/hello/link'))).toBe('with space.txt');
      const owned = await rpmRoot.rpm(['-ql', 'cave-hello']);
      expect(owned.trim().split('\n')).toContain('/usr/share/hello/with space.txt');
      expect(await rpmRoot.rpm(['-qc', 'cave-hello'])).toBe('/etc/hello.conf\n');
      // Freshly installed: rpm's own verification finds nothing to report.
      expect(await rpmRoot.rpm(['-Va'])).toBe('');
    } finally {
      await rpmRoot.remove();
    }
  });
});
