import { closeSync, mkdirSync, openSync, promises, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { decodeTable, encodeTable } from '#backup/domain/owned-files/table-snapshot.js';
import { machineId } from '#backup/adapters/cache-folder/cache-folder.js';
import { mapFile } from '#backup/adapters/native-walker/map-file.js';
import { nodeCrypto, sha256Now, sha256Of } from '#backup/adapters/native-walker/sha256-of.js';
import { readFullyLater } from '#backup/adapters/node-fs/read-fully.js';
import { rpmDbIdentity } from './rpm-db-identity.js';

const MAGIC = 'WTB-RPMS';
const VERSION = 1;
/** Magic, version, byte order, key length, package count, payload length (a double), then the SHA-256 of key and payload. */
const HEADER = 64;
const BYTE_ORDER = 0x01020304;
/**
 * Times within this of the moment the database was looked at are too recent to vouch for it: a
 * change in the same clock tick leaves them as they were (2 s on FAT, whose kernel clock may also
 * lag the process clock by a jiffy; a file server's clock a little behind). The digest cache keeps
 * the same margin (digest-cache.ts, SETTLE_MS).
 */
export const SETTLE_MS = 3000;

/** What a snapshot gives back: the database as the query that made it read it. */
export interface KeptDatabase {
  /** How many packages the database lists. */
  readonly packageCount: number;
  /** Its owned-file records. */
  readonly files: OwnedFileTable;
}

const pad = (n: number) => (8 - (n % 8)) % 8;

/**
 * The whole file: mapped (map-file.ts) where the addon can, which takes the page cache's pages as
 * they lie; else read at once into memory of its own (so its typed arrays start on 8-byte
 * boundaries), on libuv's thread pool, where the copy and the page faults of that fresh memory
 * happen while the caller takes the database's identity. Undefined when absent or unreadable.
 */
async function readWhole(file: string): Promise<Buffer | undefined> {
  const mapped = mapFile(file);
  if (mapped !== undefined) return mapped.length < HEADER || mapped.length > 2 ** 31 ? undefined : mapped;
  let handle: FileHandle;
  try {
    handle = await promises.open(file, 'r'); // node:fs/promises loaded only here (7 ms of a slow start)
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    if (size < HEADER || size > 2 ** 31) return undefined;
    const bytes = Buffer.from(new ArrayBuffer(size));
    return (await readFullyLater(handle, bytes, 0)) ? bytes : undefined; // undefined: shorter than it said
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Keeps the table of owned files that rpm's bulk query gave, one file per root and database
 * folder in the cache folder, with the identity of the database it was read from
 * (rpm-db-identity.ts). A later run whose database has exactly that identity maps the table back
 * (one read, no parse, no rpm); anything else (another identity, a file cut short, damaged or
 * from another version) is as if there were none, and the query runs.
 */
export class RpmSnapshots {
  constructor(
    private readonly folder: string,
    private readonly settleMs = SETTLE_MS,
  ) {}

  /** The snapshot file of a root and database folder. */
  fileOf(root: string, dbpath: string): string {
    const name = sha256Now(`${realpathSync(root)}\0${dbpath}`).toString('hex').slice(0, 16);
    return join(this.folder, `rpm-${name}.snapshot`);
  }

  /** The database kept for `dbpath` inside `root`, when it is provably the one there now; else undefined. */
  async read(root: string, dbpath: string, rpm: string): Promise<KeptDatabase | undefined> {
    const reading = this.readFile(root, dbpath); // read meanwhile: the file must hold this identity anyway
    const identity = rpmDbIdentity(root, dbpath, rpm);
    const bytes = await reading;
    if (!identity || !bytes || bytes.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const key = Buffer.from(this.keyText(identity.key));
    const [version, keyLength, packageCount] = [8, 16, 20].map((at) => bytes.readUInt32LE(at));
    const keyEnd = HEADER + keyLength!;
    const payloadAt = keyEnd + pad(keyLength!);
    if (version !== VERSION || new Uint32Array(bytes.buffer, bytes.byteOffset + 12, 1)[0] !== BYTE_ORDER) return undefined;
    if (payloadAt > bytes.length || bytes.readDoubleLE(24) !== bytes.length - payloadAt || !bytes.subarray(HEADER, keyEnd).equals(key)) return undefined;
    if (!packageCount) return undefined;
    const hashing = sha256Of(bytes.subarray(HEADER, keyEnd), bytes.subarray(payloadAt)); // the bytes stay as they are: decoding only reads them
    hashing.catch(() => undefined); // awaited below
    const files = decodeTable(bytes.subarray(payloadAt));
    const digest = await hashing.catch(() => undefined); // could not hash: as if damaged
    return files && digest?.equals(bytes.subarray(32, 64)) ? { packageCount, files } : undefined;
  }

  /** The snapshot file of a root and database folder, whole; undefined when there is none (or no root). */
  private async readFile(root: string, dbpath: string): Promise<Buffer | undefined> {
    let file: string;
    try {
      file = this.fileOf(root, dbpath);
    } catch {
      return undefined; // no such root: its identity is none either
    }
    return readWhole(file);
  }

  /**
   * Looks at the database before a query of it; the function returned takes the query's answer and
   * gives the function that keeps it, or undefined when the database may have changed meanwhile (its
   * identity after the query is not the one before) or too recently to vouch for it.
   */
  before(root: string, dbpath: string, rpm: string): (kept: KeptDatabase) => (() => void) | undefined {
    const now = Date.now();
    const first = rpmDbIdentity(root, dbpath, rpm);
    return (kept) => {
      const then = rpmDbIdentity(root, dbpath, rpm);
      if (!first || !then || then.key !== first.key || then.newest > now - this.settleMs) return undefined;
      const { length } = kept.files;
      const folders = kept.files.folderNames.length;
      return () => {
        // A table the scan grew is not the one the query gave.
        if (kept.files.length === length && kept.files.folderNames.length === folders) this.write(this.fileOf(root, dbpath), then.key, kept);
      };
    };
  }

  /** The identity as the file keeps it: with this machine and its byte order. */
  private keyText(key: string): string {
    return JSON.stringify({ machine: machineId(), byteOrder: new Uint8Array(Uint32Array.of(BYTE_ORDER).buffer)[0], key });
  }

  /** Writes the snapshot beside a temporary name, then renames it over the last one (one file per root and folder). */
  private write(file: string, identityKey: string, kept: KeptDatabase): void {
    const pieces = encodeTable(kept.files);
    if (!pieces) return; // text that is not bytes: never from rpm's answer
    const key = Buffer.from(this.keyText(identityKey));
    const payload = pieces.reduce((n, p) => n + p.length, 0);
    const header = Buffer.alloc(HEADER);
    header.write(MAGIC, 0, 'latin1');
    header.writeUInt32LE(VERSION, 8);
    new Uint32Array(header.buffer, header.byteOffset + 12, 1)[0] = BYTE_ORDER;
    header.writeUInt32LE(key.length, 16);
    header.writeUInt32LE(kept.packageCount, 20);
    header.writeDoubleLE(payload, 24);
    const hash = nodeCrypto().createHash('sha256').update(key);
    for (const p of pieces) hash.update(p);
    hash.digest().copy(header, 32);
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      for (const chunk of [header, key, Buffer.alloc(pad(key.length)), ...pieces]) {
        for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
      }
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    renameSync(temporary, file);
  }
}
