/**
 * Human-readable sizes, by the original script's rule: divide by 1024 while the value is at least
 * 1000, then round to an integer with halves away from zero (Python 2 `round`). Exact on bigint,
 * so there is no NaN and no precision loss past 2^53.
 * @module
 */

const suffixes = [' bytes', 'K', 'M', 'G', 'T', 'P', 'E'] as const;

/** `999` → `999 bytes`, `1000` → `1K`, `2560` → `3K`, `1024000` → `1M`, `2^63-1` → `8E`. */
export function formatSize(bytes: bigint): string {
  if (bytes < 0n) throw new RangeError(`a size cannot be negative: ${bytes}`);
  let unit = 0;
  let divisor = 1n;
  // The value is bytes / divisor; keep dividing while it is still at least 1000.
  while (unit < suffixes.length - 1 && bytes >= 1000n * divisor) {
    divisor *= 1024n;
    unit += 1;
  }
  // Round half away from zero: floor(value + 1/2) for a non-negative value.
  const rounded = (2n * bytes + divisor) / (2n * divisor);
  return `${rounded}${suffixes[unit]}`;
}

/** Whole percent of `part` in `whole`, rounded down so that 100% means all of it; 0 when `whole` is 0. */
export function percentOf(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  const clamped = part < 0n ? 0n : part > whole ? whole : part;
  return Number((clamped * 100n) / whole);
}
