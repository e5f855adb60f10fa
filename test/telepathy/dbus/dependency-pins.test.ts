import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('what dbus-next runs on', () => {
  it('uses an xml2js without the prototype-pollution advisory (CVE-2023-0842, fixed in 0.5.0)', () => {
    // dbus-next 0.10.2 asks for xml2js 0.4.23; package.json overrides it. Introspection, which
    // builds its XML with xml2js, is checked against spec/ in introspection.test.ts.
    const dbusNext = require.resolve('dbus-next');
    const xml2js = createRequire(dbusNext)('xml2js/package.json') as { version: string };
    const [major, minor] = xml2js.version.split('.').map(Number);
    expect(major === 0 && (minor ?? 0) < 5).toBe(false);
  });
});
