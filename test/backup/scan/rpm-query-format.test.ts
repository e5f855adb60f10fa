import { describe, expect, it } from 'vitest';
import { RPM_QUERY_FORMAT, sealedQueryFormat } from '#backup/domain/rpm/rpm-query-format.js';
import { parseRpmQuery, records, RpmQueryError, RpmQueryReader } from '#backup/domain/rpm/rpm-query-reader.js';

const file = (name: string, extra: Partial<Record<'flags' | 'verify' | 'state', string>> = {}) =>
  ['F', name, '6', '33188', "'abcdef'", '1700000000', "''", "'root'", "'root'", extra.flags ?? '0', extra.verify ?? '4294967295', extra.state ?? '0', '0'].join('\t');

describe('parsing the bulk rpm query', () => {
  it('reads names holding quotes, tabs, newlines and non-UTF-8 bytes exactly', () => {
    const text = [
      "P\t'a-1-1.noarch'\t8",
      file("'/usr/it'\\''s'"),
      file("'/usr/tab\there'"),
      file("'/usr/new\nline'"),
      file("'/usr/caf\xe9'"),
      '',
    ].join('\n');
    const { packageCount, files } = parseRpmQuery(text);
    expect(packageCount).toBe(1);
    expect([...files].map((f) => f.path)).toEqual(["/usr/it's", '/usr/tab\there', '/usr/new\nline', '/usr/caf\xe9']);
    expect(files.at(0)).toMatchObject({ package: 'a-1-1.noarch', size: 6n, mode: 0o100644, digest: 'abcdef', digestAlgo: 'sha256', mtime: 1700000000n, user: 'root', verifyFlags: 0x1ff, state: 'normal' });
  });

  it('reads flags, verify masks, states and a missing digest algorithm', () => {
    const text = ["P\t'g-1'\t(none)", file("'/var/log/g'", { flags: '64', verify: '4294967256', state: '2' }), file("'/etc/c'", { flags: '17', state: '-1' }), ''].join('\n');
    const [ghost, config] = parseRpmQuery(text).files;
    expect(ghost).toMatchObject({ flags: { ghost: true, config: false }, verifyFlags: 0x1ff & ~(1 | 2 | 4 | 32), state: 'not-installed', digestAlgo: 'md5' });
    expect(config).toMatchObject({ flags: { config: true, ghost: false }, state: 'missing', digestAlgo: 'md5' });
  });

  it("reads each package's digest algorithm from its own line, for every file it owns", () => {
    const text = ["P\t'a-1'\t10", file("'/a'"), file("'/it'\\''s'"), "P\t'b-1'\t2", file("'/b'"), "P\t'c-1'\t123456789012345678901", file("'/c'"), ''].join('\n');
    expect([...parseRpmQuery(text).files].map((f) => [f.path, f.digestAlgo])).toEqual([['/a', 'sha512'], ["/it's", 'sha512'], ['/b', 'sha1'], ['/c', undefined]]);
    expect(RPM_QUERY_FORMAT).toMatch(/^P\\t%\{NEVRA:shescape\}\\t%\{FILEDIGESTALGO\}\\n\[F/);
    expect(RPM_QUERY_FORMAT).not.toContain('=FILEDIGESTALGO');
  });

  it('reads a digest rpm printed plain, as the query asks for it, the same as a quoted one', () => {
    expect(RPM_QUERY_FORMAT).toContain('\\t%{FILEDIGESTS}\\t');
    const plain = file("'/usr/plain'").replace("'abcdef'", 'ABCDEF');
    // An escaped quote makes a record take the general way (rpm-owned-file.ts), not the one from bytes.
    const general = plain.replace("'/usr/plain'", "'/usr/it'\\''s'");
    const { files } = parseRpmQuery(["P\t'a-1'\t8", plain, general, file("'/usr/quoted'"), ''].join('\n'));
    expect([...files].map((f) => [f.path, f.digest])).toEqual([
      ['/usr/plain', 'abcdef'],
      ["/usr/it's", 'abcdef'],
      ['/usr/quoted', 'abcdef'],
    ]);
  });

  it('counts packages that own no files', () => {
    expect(parseRpmQuery("P\t'gpg-pubkey-1'\t(none)\nP\t'b-1'\t8\n").packageCount).toBe(2);
  });

  it('refuses output it does not understand rather than guessing', () => {
    expect(() => parseRpmQuery(`${file("'/x'")}\n`)).toThrow(/unexpected record/);
    expect(() => parseRpmQuery("P\t'a'\t8\nF\t'/x'\tbad\n")).toThrow(/unexpected record/);
    expect(() => parseRpmQuery(`P\t'a'\t8\n${file("'/x'").replace('\t6\t', '\tsix\t')}\n`)).toThrow(/bad size/);
    expect(() => [...records("P\t'unterminated")]).toThrow(/inside a quoted name/);
    expect(() => [...records("P\t'a'\t8")]).toThrow(/middle of a record/);
  });

  it('reads output arriving in pieces, cut anywhere (inside quotes, escapes or numbers), the same as whole', () => {
    const text = ["P\t'a-1-1.noarch'\t8", file("'/usr/it'\\''s'"), file("'/usr/new\nline'"), "P\t'b-2'\t8", file("'/usr/caf\xe9'", { flags: '64' }), ''].join('\n');
    const whole = [...parseRpmQuery(text).files];
    for (let cut = 0; cut <= text.length; cut++) {
      for (const size of [1, 7]) {
        const reader = new RpmQueryReader();
        reader.feed(text.slice(0, cut));
        for (let at = cut; at < text.length; at += size) reader.feed(text.slice(at, at + size));
        reader.end();
        expect([reader.packageCount, [...reader.files]]).toEqual([2, whole]);
      }
    }
    const cutShort = new RpmQueryReader();
    cutShort.feed(text.slice(0, -3));
    expect(() => cutShort.end()).toThrow(/middle of a record|inside a quoted name/);
  });
});


const SEAL = '0123456789abcdef';

/** The sealed query's answer for the records `file` makes: owners unescaped, the seal last. */
function sealed(record: string, user = 'root', group = 'root'): string {
  return record.replace("\t'root'\t'root'\t", `\t${user}\t${group}\t`) + `\t${SEAL}`;
}

function readSealed(text: string): RpmQueryReader {
  const reader = new RpmQueryReader(SEAL);
  reader.feed(text);
  reader.end();
  return reader;
}

describe('the sealed bulk query (owners unescaped)', () => {
  it('asks rpm for the owners as they are and a seal after every file record', () => {
    const format = sealedQueryFormat(SEAL);
    expect(format).toContain('\\t%{FILEUSERNAME}\\t%{FILEGROUPNAME}\\t');
    expect(format).toContain(`\\t%{FILERDEVS}\\t${SEAL}\\n]`);
    expect(format.replace('%{FILEUSERNAME}', '%{FILEUSERNAME:shescape}').replace('%{FILEGROUPNAME}', '%{FILEGROUPNAME:shescape}').replace(`\\t${SEAL}`, '')).toBe(RPM_QUERY_FORMAT);
    expect(() => sealedQueryFormat('short')).toThrow(RangeError);
    expect(() => new RpmQueryReader('%{NAME}ABCDEFGHIJ')).toThrow(RangeError);
  });

  it('reads the same records as the escaped query, cut anywhere', () => {
    const escaped = ["P\t'a-1-1.noarch'\t8", file("'/usr/it'\\''s'"), file("'/usr/new\nline'"), "P\t'b-2'\t8", file("'/usr/caf\xe9'", { flags: '64' }), ''];
    const text = escaped.map((r) => (r.startsWith('F') ? sealed(r) : r)).join('\n');
    const whole = [...parseRpmQuery(escaped.join('\n')).files];
    expect([...readSealed(text).files]).toEqual(whole);
    expect([...readSealed(text.replace(/\troot\troot\t/g, '\tdaemon\twheel\t')).files].map((f) => [f.user, f.group])).toEqual(whole.map(() => ['daemon', 'wheel']));
    for (let cut = 0; cut <= text.length; cut += 3) {
      const reader = new RpmQueryReader(SEAL);
      reader.feed(text.slice(0, cut));
      reader.feed(text.slice(cut));
      reader.end();
      expect([...reader.files]).toEqual(whole);
    }
  });

  it('refuses any record whose owners are not plain, or that does not end in the seal', () => {
    const one = (record: string) => () => readSealed(`P\t'a-1'\t8\n${record}\n`);
    expect(one(sealed(file("'/x'"))) ).not.toThrow();
    for (const [user, group] of [['ro\tot', 'root'], ['root', 'wh\teel'], ["o'brien", 'root'], ['root', "it's"], ['back\\slash', 'root'], ["a\tb'", "'c"]]) {
      expect(one(sealed(file("'/x'"), user, group)), `${user} ${group}`).toThrow(RpmQueryError);
    }
    expect(one(file("'/x'"))).toThrow(RpmQueryError); // no seal: an escaped answer
    expect(one(sealed(file("'/x'")).replace(SEAL, 'fedcba9876543210'))).toThrow(RpmQueryError);
    expect(one(`${sealed(file("'/x'"))}0`)).toThrow(RpmQueryError);
  });

  it('cannot be made to read a record a name wrote: a newline ends the record before its seal', () => {
    // A user name that would, unescaped and unsealed, end its record and write a package and file of its own.
    const forged = `root\troot\t0\t4294967295\t0\t0\nP\t'evil-1'\t8\n${file("'/etc/shadow'").split('\t').slice(0, 7).join('\t')}\troot`;
    const text = `P\t'a-1'\t8\n${sealed(file("'/x'"), forged)}\n`;
    expect(() => readSealed(text)).toThrow(RpmQueryError);
  });
});
