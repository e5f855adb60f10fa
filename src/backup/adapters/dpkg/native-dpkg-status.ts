/**
 * dpkg's status file read by the native addon (src/backup/adapters/native-walker/dpkg-status.c):
 * it finds the five fields the loader reads in the file's bytes, as `parseStanzas` does with
 * those names (a property test parses generated status files both ways); the packages are then
 * made from them by the same `installedOf`.
 * @module
 */
import type { FieldValue, Stanza } from '#backup/domain/dpkg/control-stanzas.js';
import { installedOf, type InstalledPackage } from '#backup/domain/dpkg/status-file.js';
import type { DpkgStatusFields } from '#backup/adapters/native-walker/native-walker.js';

/** The fields in the order of the addon's answer. */
const FIELDS = ['package', 'status', 'architecture', 'multi-arch', 'conffiles'] as const;

/**
 * The installed packages in the status file's bytes. The addon answers one record per stanza
 * that has fields: per field of FIELDS, the range of its first line's value (trimmed) in the
 * values, or -1, -1; the count of the Conffiles field's continuation lines, and their ranges.
 */
export function parseDpkgStatusNatively(fields: DpkgStatusFields, status: Buffer): InstalledPackage[] {
  const [answer, valueBytes] = fields(status);
  const values = valueBytes!.toString('latin1');
  const at = new Int32Array(answer!.buffer, answer!.byteOffset, answer!.length >> 2);
  const installed: InstalledPackage[] = [];
  for (let r = 0; r < at.length; ) {
    const stanza = new Map<string, FieldValue>();
    const moreCount = at[r + 2 * FIELDS.length]!;
    const more: string[] = [];
    for (let m = 0; m < moreCount; m++) more.push(values.slice(at[r + 11 + 2 * m]!, at[r + 12 + 2 * m]!));
    FIELDS.forEach((name, f) => {
      const from = at[r + 2 * f]!;
      if (from >= 0) stanza.set(name, { first: values.slice(from, at[r + 2 * f + 1]!), more: name === 'conffiles' ? more : [] });
    });
    r += 2 * FIELDS.length + 1 + 2 * moreCount;
    const pkg = installedOf(stanza as Stanza);
    if (pkg) installed.push(pkg);
  }
  return installed;
}
