import { builtinModules } from 'node:module';
import { moduleSpecifiers } from './import-graph.js';

/** Packages that do I/O (the mail libraries among them); pure code may import none of them. */
const ioPackages = new Set(['dbus-next', 'execa', 'memfs', 'imapflow', 'nodemailer', 'mailparser', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * Why `source` (a file in a pure folder) does I/O, one reason per offence; empty when it does
 * none. Imports of the project's own impure files are found on the import graph instead.
 */
export function impurities(source: string): string[] {
  const reasons = moduleSpecifiers(source)
    .filter((spec) => ioPackages.has(spec) || ioPackages.has(spec.split('/')[0]!))
    .map((spec) => `imports ${spec}`);
  const code = source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
  if (/\bprocess\s*\.\s*\w/.test(code)) reasons.push('uses process');
  // The clock and randomness are injected (a Clock port, a random source), so tests can replay them.
  if (/\bDate\.now\b|\bnew Date\(|\bMath\.random\b|\bcrypto\b/.test(code)) reasons.push('reads the clock or randomness');
  return reasons;
}
