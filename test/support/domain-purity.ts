import { builtinModules } from 'node:module';

/** Packages that do I/O; a domain module may import none of them. */
const ioPackages = new Set(['dbus-next', 'execa', 'memfs', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Why `source` (a file in a `domain/` folder) is not pure, one reason per offence; empty when pure. */
export function impurities(source: string): string[] {
  const reasons: string[] = [];
  const specifiers = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(specifiers)) {
    const spec = match[1]!;
    if (ioPackages.has(spec) || ioPackages.has(spec.split('/')[0]!)) reasons.push(`imports ${spec}`);
    else if (spec.startsWith('.') && /(^|\/)(adapters|bin)(\/|$)|^\.\.\/\.\.\/|\bsim\//.test(spec)) {
      reasons.push(`imports ${spec} from outside the domain`);
    }
  }
  if (/\bprocess\s*\.\s*\w/.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) reasons.push('uses process');
  return reasons;
}
