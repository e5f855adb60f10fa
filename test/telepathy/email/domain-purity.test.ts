import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#test/support/child-env.js';
import { impurities } from '#test/support/domain-purity.js';

const folder = join(repoRoot, 'src/telepathy/domain/email');

/** Why `source` is not pure for the email domain, beyond the project-wide rule. */
function emailImpurities(source: string): string[] {
  const code = source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
  const found = impurities(source); // the project-wide rule already names the mail libraries
  if (/\bDate\.now\b|\bnew Date\(|\bMath\.random\b|\bcrypto\b/.test(code)) found.push('reads the clock or randomness');
  return found;
}

describe('the email domain', () => {
  it('does no I/O: no node modules, mail libraries, process, clock or randomness (they are injected)', () => {
    const offences = readdirSync(folder).filter((f) => f.endsWith('.ts'))
      .flatMap((f) => emailImpurities(readFileSync(join(folder, f), 'utf8')).map((why) => `${f}: ${why}`));
    expect(offences).toEqual([]);
  });

  it('notices each kind of offence', () => {
    expect(emailImpurities("import { ImapFlow } from 'imapflow';")).toEqual(['imports imapflow']);
    expect(emailImpurities('const t = Date.now();')).toEqual(['reads the clock or randomness']);
    expect(emailImpurities("import { readFile } from 'node:fs';")).toEqual(['imports node:fs']);
  });
});
