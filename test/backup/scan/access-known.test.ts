import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessDoubt, readAccessFacts, type AccessFacts } from '#backup/adapters/access-known/access-known.js';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';

const native = loadNativeWalker()!;
const top = mkdtempSync(join(tmpdir(), 'cave-access-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** Root with every capability on a kernel where nothing else takes part in access(2). */
const plainRoot: AccessFacts = {
  realUid: 0,
  status: 'Name:\tnode\nUid:\t0\t0\t0\t0\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\nSeccomp:\t0\n',
  uidMap: '         0          0 4294967295\n',
  gidMap: '         0          0 4294967295\n',
  mountinfo: '22 27 0:21 / /proc rw,relatime - proc proc rw\n27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n',
  securityModules: ['lockdown', 'capability', 'landlock', 'yama', 'bpf'],
  appArmorLabel: undefined,
  bpfProgramTypes: [8, 15, 15, 30],
};

/** The readable codes of a listing, by name: 0 no, 1 yes (asked), 2 yes (known without asking). */
function readableCodes(dir: string, privileged: boolean): Record<string, number> {
  const b = native.listDirectory(Buffer.from(`${dir}\0`, 'latin1'), privileged);
  if (typeof b === 'number') throw new Error(`errno ${b}`);
  const count = b.readUInt32LE(0);
  const size = b.readUInt32LE(4);
  const names = b.toString('latin1', 8 + count * size);
  const codes: Record<string, number> = {};
  for (let r = 8; r < 8 + count * size; r += size) codes[names.slice(b.readUInt32LE(r), b.readUInt32LE(r) + b.readUInt32LE(r + 4))] = b.readUInt32LE(r + 12);
  return codes;
}

describe('whether access(2) can go unasked', () => {
  it('is known for root with the DAC capabilities when no module, BPF program, filter or namespace takes part', () => {
    expect(accessDoubt(plainRoot)).toBeUndefined();
    expect(accessDoubt({ ...plainRoot, securityModules: [...plainRoot.securityModules!, 'apparmor'], appArmorLabel: 'unconfined' })).toBeUndefined();
    expect(accessDoubt({ ...plainRoot, securityModules: ['capability', 'integrity'] })).toBeUndefined();
  });

  it('is in doubt whenever one fact is against it, or unknown', () => {
    const doubts: Array<[Partial<AccessFacts>, RegExp]> = [
      [{ realUid: 1000 }, /root/],
      [{ status: plainRoot.status.replace('CapEff:\t000001ffffffffff', 'CapEff:\t000001fffffffff9') }, /CAP_DAC/], // no CAP_DAC_OVERRIDE
      [{ status: plainRoot.status.replace('CapPrm:\t000001ffffffffff', 'CapPrm:\t000001fffffffffb') }, /CAP_DAC/], // no CAP_DAC_READ_SEARCH
      [{ status: plainRoot.status.replace('Seccomp:\t0', 'Seccomp:\t2') }, /seccomp/],
      [{ status: 'Uid:\t0\t0\t0\t0\n' }, /CAP_DAC/],
      [{ uidMap: '0 100000 65536\n' }, /namespace/],
      [{ gidMap: '0 100000 65536\n' }, /namespace/],
      [{ mountinfo: `${plainRoot.mountinfo}40 27 8:2 / /srv rw,relatime,idmapped - ext4 /dev/sda2 rw\n` }, /idmapped/],
      [{ mountinfo: undefined }, /mount table/],
      [{ securityModules: undefined }, /unknown/],
      [{ securityModules: ['capability', 'selinux'] }, /selinux/],
      [{ securityModules: ['capability', 'smack'] }, /smack/],
      [{ securityModules: ['capability', 'tomoyo'] }, /tomoyo/],
      [{ securityModules: ['capability', 'lsm 200'] }, /lsm 200/],
      [{ securityModules: ['capability', 'apparmor'], appArmorLabel: '/usr/sbin/backupd (enforce)' }, /apparmor/],
      [{ securityModules: ['capability', 'apparmor'], appArmorLabel: undefined }, /apparmor/],
      [{ bpfProgramTypes: undefined }, /BPF/],
      [{ bpfProgramTypes: [8, 29] }, /type 29/], // an LSM program
      [{ bpfProgramTypes: [26] }, /type 26/], // tracing: fmod_ret on a security_* function
      [{ bpfProgramTypes: [2] }, /type 2/], // kprobe: bpf_override_return
      [{ bpfProgramTypes: [99] }, /type 99/],
    ];
    for (const [change, why] of doubts) expect(accessDoubt({ ...plainRoot, ...change }), JSON.stringify(change)).toMatch(why);
  });

  it('reads this process the way the rules above decide it', () => {
    const facts = readAccessFacts(native);
    expect(facts.realUid).toBe(process.getuid!());
    expect(facts.status).toMatch(/^CapEff:/m);
    expect(facts.securityModules).toContain('capability');
  });
});

describe('the native walker, privileged', () => {
  const dacOnly = [0xef53, 0x58465342, 0x9123683e, 0x01021994, 0xf2f52010].includes(statfsSync(tmpdir()).type);

  it.runIf(dacOnly)('skips access(2) for files and folders on a mode-bits-only file system, and asks for the rest', () => {
    const dir = join(top, 'plain');
    mkdirSync(join(dir, 'closed'), { recursive: true });
    writeFileSync(join(dir, 'secret'), '');
    chmodSync(join(dir, 'secret'), 0o000);
    chmodSync(join(dir, 'closed'), 0o000);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(readableCodes(dir, true)).toEqual({ closed: 2, fifo: 1, secret: 2 });
    expect(readableCodes(dir, false)).toEqual({ closed: 1, fifo: 1, secret: 1 });
  });

  it('asks access(2) where the file system has checks of its own (proc, sysfs)', () => {
    for (const dir of ['/proc/sys', '/sys/kernel']) {
      const codes = Object.values(readableCodes(dir, true));
      expect(codes.length, dir).toBeGreaterThan(0);
      expect(codes.filter((c) => c === 2), dir).toEqual([]);
    }
  });

  it('asks access(2) for a mount point inside a folder it trusts: the file system mounted there decides', () => {
    expect(readableCodes('/', true)['proc']).toBe(1);
  });
});
