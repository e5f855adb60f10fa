/**
 * The dpkg info files loaded by the native addon (src/backup/adapters/native-walker/dpkg-info.c):
 * one call reads every installed package's `.list` and `.md5sums` and parses them into the
 * owned-file table's columns, as `DpkgTableBuilder` does in JavaScript (the fallback, and the
 * reference: a property test loads generated databases both ways). Profiled on a 145,000-path
 * database, the JavaScript spent most of its time in byte loops V8 had not compiled yet.
 * @module
 */
import { getSystemErrorMap } from 'node:util';
import type { Diversion } from '#backup/domain/dpkg/diversions.js';
import type { LoadDpkgInfo } from '#backup/adapters/native-walker/native-walker.js';
import { DPKG_MODES, dpkgListedRecord, dpkgTests, type DpkgVerifyMode } from '#backup/domain/dpkg/owned-records.js';
import { infoName, type InstalledPackage } from '#backup/domain/dpkg/status-file.js';
import { hashText } from '#backup/domain/owned-files/byte-store.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';

/** The loaded table and the packages that had no `.list`. */
export interface NativeDpkgLoad {
  /** Every listed path's record, in package and list order. */
  readonly table: OwnedFileTable;
  /** Owners of the installed packages without a file list. */
  readonly unlisted: string[];
}

const ROOT_TEXT = 0;
const MD5_BITS = 1 << 8;
const HEADER = 12;

/** What the C decides nothing of: the verify mode, the modes and tests per kind, the digest bits, the text ids. */
function settingsFor(verify: DpkgVerifyMode): Int32Array {
  const kinds = ['directory', 'file', 'symlink'] as const;
  return Int32Array.from([verify === 'content' ? 1 : 0, ...kinds.map((k) => DPKG_MODES[k]), ...kinds.map((k) => dpkgTests(k, verify)), MD5_BITS, ROOT_TEXT, ROOT_TEXT + 1]);
}

/** The arguments for `installed`: candidate info names, owner keys and conffile hashes. */
function argumentsFor(admindir: string, installed: readonly InstalledPackage[]): [Buffer, Int32Array, Int32Array, Int32Array] {
  const keyOf = new Map<string, number>([['root', -1]]);
  const keys = new Int32Array(installed.length);
  const oddOffsets = new Int32Array(installed.length + 1);
  const hashes: number[] = [];
  const prefixes: string[] = [];
  installed.forEach((pkg, p) => {
    const owner = infoName(pkg);
    if (!keyOf.has(owner)) keyOf.set(owner, p);
    keys[p] = keyOf.get(owner)!;
    for (const base of [owner, `${pkg.name}:${pkg.architecture}`, pkg.name]) prefixes.push(`${admindir}/info/${base}\0`);
    for (const c of pkg.conffiles) hashes.push(hashText(c.path, 0));
    oddOffsets[p + 1] = hashes.length;
  });
  // As node:fs names a file given as a string: its UTF-8 bytes.
  return [Buffer.from(prefixes.join(''), 'utf8'), keys, oddOffsets, Int32Array.from(hashes)];
}

/** The error the addon stopped at, worded as node:fs words it. */
function readError(extras: Buffer, admindir: string): PackageDatabaseError {
  const errno = extras.readUInt32LE(0);
  const path = extras.toString('utf8', extras.length - extras.readUInt32LE(4));
  const [code, message] = getSystemErrorMap().get(-errno) ?? [`errno ${errno}`, 'unknown error'];
  const call = extras.readUInt32LE(44) ? 'read' : `open '${path}'`;
  return new PackageDatabaseError(`cannot read ${path || `${admindir}/info`}: ${code}: ${message}, ${call}`);
}

/**
 * Loads the info files of `installed` with the addon's `load`; throws a PackageDatabaseError
 * naming the file when one exists but cannot be read.
 */
export function loadDpkgInfoNatively(load: LoadDpkgInfo, admindir: string, installed: readonly InstalledPackage[], diversions: readonly Diversion[], verify: DpkgVerifyMode): NativeDpkgLoad {
  const [prefixes, keys, oddOffsets, oddHashes] = argumentsFor(admindir, installed);
  const diverted = Int32Array.from(diversions, (d) => hashText(d.from, 0));
  const texts = [...diversions.flatMap((d) => [d.from, d.to, d.by]), ...installed.map((pkg) => pkg.name)];
  const textLengths = Int32Array.from(texts, (t) => (t === undefined ? -1 : t.length));
  const [extras, ...parts] = load(prefixes, keys, oddOffsets, oddHashes, diverted, settingsFor(verify), Buffer.from(texts.join(''), 'latin1'), textLengths);
  if (extras!.readUInt32LE(0) !== 0 || parts.length !== 11) throw readError(extras!, admindir);
  const [names, digests] = parts.slice(9) as [Buffer, Buffer];
  const h = (i: number) => extras!.readUInt32LE(4 * i);
  const [rows, folderCount, oddCount, nextText] = [h(2), h(5), h(7), h(9)];
  let at = 4 * HEADER;
  const folderLengths = new Uint32Array(extras!.buffer, extras!.byteOffset + at, folderCount);
  const folderHashes = new Int32Array(extras!.buffer, extras!.byteOffset + at + 4 * folderCount, folderCount).slice();
  at += 8 * folderCount;
  const odd = new Uint32Array(extras!.buffer, extras!.byteOffset + at, 5 * oddCount);
  at += 20 * oddCount;
  const listed = extras!.subarray(at, at + installed.length);
  at += (installed.length + 3) & ~3;
  const folderText = extras!.toString('latin1', at, (at += h(6)));
  const oddBytes = extras!.subarray(at, at + h(8));
  const folders: string[] = new Array<string>(folderCount);
  for (let f = 0, from = 0; f < folderCount; f++) folders[f] = folderText.slice(from, (from += folderLengths[f]!));
  const table = OwnedFileTable.adopt({ columns: columnArrays(parts as Buffer[], rows), names, namesUsed: h(3), digests, digestsUsed: h(4), folders, folderHashes });
  table.textId('root');
  const owners = new Set(['root']);
  installed.forEach((pkg, p) => listed[p] && owners.add(infoName(pkg)) && table.textId(infoName(pkg)));
  // The C numbered the owners as this does; a disagreement would mislabel every record.
  if (table.textId('root') !== ROOT_TEXT || nextText !== owners.size) throw new Error('loadDpkgInfo: text ids disagree');
  const byFrom = new Map(diversions.map((d) => [d.from, d]));
  for (let k = 0; k < 5 * oddCount; k += 5) {
    const pkg = installed[odd[k + 1]!]!;
    const pathEnd = odd[k + 2]! + odd[k + 3]!;
    const hex = odd[k + 4]! & 2 ? oddBytes.toString('latin1', pathEnd, pathEnd + 32) : undefined;
    const listedPkg = { owner: infoName(pkg), name: pkg.name, conffiles: pkg.conffiles };
    table.put(odd[k]!, dpkgListedRecord(listedPkg, oddBytes.toString('latin1', odd[k + 2]!, pathEnd), (odd[k + 4]! & 1) === 1, hex, byFrom, verify));
  }
  return { table, unlisted: installed.filter((_, p) => !listed[p]).map(infoName) };
}

/** The columns the addon hands over (see dpkg-info-napi.c): seven u32, the u16 bits, the u8 digest lengths; user and group are `root` (ROOT_TEXT, 0) in every row. */
function columnArrays(b: readonly Buffer[], length: number) {
  // An external Buffer starts where its malloc'd bytes do; a copied one may not be aligned.
  const aligned = (k: number, size: number) => (b[k]!.byteOffset % size ? Buffer.from(b[k]!) : b[k]!);
  const u32 = (k: number) => {
    const column = aligned(k, 4);
    return new Uint32Array(column.buffer, column.byteOffset, length);
  };
  const [folder, nameAt, nameLength, digestAt, mode, verify, pkg] = [0, 1, 2, 3, 4, 5, 6].map(u32) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const bitColumn = aligned(7, 2);
  const bits = new Uint16Array(bitColumn.buffer, bitColumn.byteOffset, length);
  const digestLength = new Uint8Array(b[8]!.buffer, b[8]!.byteOffset, length);
  // ROOT_TEXT is 0, what a new array holds (filling it would write 1.1 MB of fresh pages for nothing).
  return { length, folder, nameAt, nameLength, digestAt, digestLength, mode, verify, bits, pkg, user: new Uint32Array(length), group: new Uint32Array(length) };
}
