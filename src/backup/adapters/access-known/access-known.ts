/**
 * Whether this process may skip asking access(2) whether it can read a file or a folder, because
 * the answer is provably yes: the native walker then asks only where it is in doubt (walker.c).
 * A root process with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH reads anything on a file system
 * where the mode bits are the only check (ext4, xfs, btrfs, tmpfs, f2fs: walker.c checks that per
 * folder), unless something else takes part in the answer: a security module (SELinux, Smack,
 * TOMOYO, a confined AppArmor profile), a BPF program that can hook or rewrite a security check,
 * a seccomp filter, a user namespace or an idmapped mount (where root's capabilities stop at ids
 * it does not map). Any fact that cannot be read counts as doubt, and the call is made.
 * @module
 */
import { readFileSync } from 'node:fs';

/** What decides it, as read from the kernel (see {@link readAccessFacts}). */
export interface AccessFacts {
  /** The real user id: access(2) checks as the real ids. */
  readonly realUid: number;
  /** /proc/self/status. */
  readonly status: string;
  /** /proc/self/uid_map. */
  readonly uidMap: string;
  /** /proc/self/gid_map. */
  readonly gidMap: string;
  /** /proc/self/mountinfo; undefined when it cannot be read. */
  readonly mountinfo: string | undefined;
  /** Names of the active security modules; undefined when they cannot be known. */
  readonly securityModules: readonly string[] | undefined;
  /** This process's AppArmor label; undefined without AppArmor. */
  readonly appArmorLabel: string | undefined;
  /** Types of the loaded BPF programs; undefined when they cannot be listed. */
  readonly bpfProgramTypes: readonly number[] | undefined;
}

/** What the native addon tells (access-facts.c): numbers, or an errno when it cannot tell. */
export interface KernelFacts {
  /** lsm_list_modules(2): the ids of the active security modules. */
  securityModules(): number[] | number;
  /** The type of every loaded BPF program. */
  bpfProgramTypes(): number[] | number;
}

/** Security modules by their id in lsm_list_modules(2) (include/uapi/linux/lsm.h). */
const MODULE_NAMES: Record<number, string> = {
  100: 'capability', 101: 'selinux', 102: 'smack', 103: 'tomoyo', 104: 'apparmor', 105: 'yama', 106: 'loadpin',
  107: 'safesetid', 108: 'lockdown', 109: 'bpf', 110: 'landlock', 111: 'ima', 112: 'evm', 113: 'ipe',
};

/**
 * Modules with no say in access(2) on a file or folder: no inode_permission hook, and no capable
 * hook that could refuse CAP_DAC_*. (Landlock checks opens, not access(2); IMA and EVM appraise
 * opened contents; safesetid only rules CAP_SETUID/SETGID.) AppArmor is added when unconfined.
 */
const SILENT_MODULES = new Set(['capability', 'lockdown', 'yama', 'loadpin', 'safesetid', 'landlock', 'ima', 'evm', 'integrity', 'ipe', 'bpf']);

/**
 * BPF program types that cannot change what a security check answers for a file or a folder
 * (include/uapi/linux/bpf.h): socket, traffic, cgroup socket and device (devices are always asked),
 * tracepoint and perf programs. Not kprobe (bpf_override_return), tracing (fmod_ret on security_*
 * functions), struct_ops, ext, lsm, syscall, nor any type added later.
 */
const HARMLESS_BPF = new Set([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 30, 32]);

/** CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2). */
const DAC_CAPABILITIES = 0b110n;

function statusField(status: string, field: string): string | undefined {
  return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
}

function hasDacCapabilities(status: string, field: 'CapEff' | 'CapPrm'): boolean {
  const hex = statusField(status, field);
  return hex !== undefined && /^[0-9a-f]+$/i.test(hex) && (BigInt(`0x${hex}`) & DAC_CAPABILITIES) === DAC_CAPABILITIES;
}

/** The whole id range mapped to itself: the initial user namespace, where every file's owner is mapped. */
function isIdentityMap(map: string): boolean {
  return map.trim().split(/\s+/).join(' ') === '0 0 4294967295';
}

/** Whether a mount's own options (the sixth field of a mountinfo line) say `idmapped`. */
function hasIdmappedMount(mountinfo: string): boolean {
  return mountinfo.split('\n').some((line) => line.split(' ')[5]?.split(',').includes('idmapped') === true);
}

/** Why the answer of access(2) is in doubt for this process, or undefined when it is known to be yes. */
export function accessDoubt(facts: AccessFacts): string | undefined {
  if (facts.realUid !== 0) return 'not running as root';
  // access(2) runs with the permitted set as root (or the effective one, with SECURE_NO_SETUID_FIXUP): both must hold.
  if (!hasDacCapabilities(facts.status, 'CapEff') || !hasDacCapabilities(facts.status, 'CapPrm')) return 'without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH';
  if (statusField(facts.status, 'Seccomp') !== '0') return 'under a seccomp filter';
  if (!isIdentityMap(facts.uidMap) || !isIdentityMap(facts.gidMap)) return 'in a user namespace';
  if (facts.mountinfo === undefined) return 'the mount table is unknown';
  if (hasIdmappedMount(facts.mountinfo)) return 'an idmapped mount is present';
  if (facts.securityModules === undefined) return 'the active security modules are unknown';
  for (const module of facts.securityModules) {
    if (module === 'apparmor' ? facts.appArmorLabel !== 'unconfined' : !SILENT_MODULES.has(module)) return `security module ${module}`;
  }
  if (facts.bpfProgramTypes === undefined) return 'the loaded BPF programs cannot be listed';
  const hook = facts.bpfProgramTypes.find((type) => !HARMLESS_BPF.has(type));
  return hook === undefined ? undefined : `a BPF program of type ${hook} is loaded`;
}

function readOr(path: string, otherwise: string): string;
function readOr(path: string, otherwise: undefined): string | undefined;
function readOr(path: string, otherwise: string | undefined): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return otherwise;
  }
}

function moduleNames(kernel: KernelFacts): string[] | undefined {
  const ids = kernel.securityModules();
  if (typeof ids !== 'number') return ids.map((id) => MODULE_NAMES[id] ?? `lsm ${id}`);
  // Before Linux 6.8: securityfs, when it is mounted.
  const listed = readOr('/sys/kernel/security/lsm', '');
  return listed.trim() === '' ? undefined : listed.trim().split(',');
}

/** The facts of this process, from /proc, securityfs and the addon. */
export function readAccessFacts(kernel: KernelFacts): AccessFacts {
  const securityModules = moduleNames(kernel);
  const bpf = securityModules === undefined ? -1 : kernel.bpfProgramTypes();
  const label = readOr('/proc/self/attr/apparmor/current', '').trim() || (securityModules?.includes('apparmor') ? readOr('/proc/self/attr/current', '').trim() : '');
  return {
    realUid: process.getuid?.() ?? -1,
    status: readOr('/proc/self/status', ''),
    uidMap: readOr('/proc/self/uid_map', ''),
    gidMap: readOr('/proc/self/gid_map', ''),
    mountinfo: readOr('/proc/self/mountinfo', undefined),
    securityModules,
    appArmorLabel: label === '' ? undefined : label,
    bpfProgramTypes: typeof bpf === 'number' ? undefined : bpf,
  };
}

/** Whether access(2) provably answers yes for every file and folder on a mode-bits-only file system. */
export function accessKnown(kernel: KernelFacts): boolean {
  return accessDoubt(readAccessFacts(kernel)) === undefined;
}
