/** Shares and counts in words, exact for bigint sizes. */
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
