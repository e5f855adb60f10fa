/**
 * Human sizes as the original what-to-backup printed them: divide by 1024 while the value is at
 * least 1000, round halves away from zero. Exact for any bigint: no floating point involved.
 */
const suffixes = [' bytes', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'] as const;

export function formatSize(bytes: bigint): string {
  let divisor = 1n;
  let step = 0;
  while (step < suffixes.length - 1 && bytes >= 1000n * divisor) {
    divisor *= 1024n;
    step += 1;
  }
  const rounded = (2n * bytes + divisor) / (2n * divisor);
  return `${rounded}${suffixes[step]}`;
}

/** `part` as a percentage of `whole` with one decimal, `0%` for an empty whole. */
export function formatShare(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0%';
  const tenths = (part * 2000n + whole) / (2n * whole);
  const text = `${tenths / 10n}.${tenths % 10n}`;
  return `${text.endsWith('.0') ? text.slice(0, -2) : text}%`;
}

/** An integer with thousands separators, the same in every locale. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}
