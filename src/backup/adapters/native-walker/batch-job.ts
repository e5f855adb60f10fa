/**
 * How what-to-backup sets its process up before it scans, through the addon where it was built.
 * @module
 */
import { loadNativeWalker, type NativeWalker } from './native-walker.js';

/**
 * A scan is a batch job: every thread under SCHED_BATCH (batch-scheduling.c), and the memory it
 * frees kept for reuse (keep-freed-memory.c). Without the addon, nothing changes.
 */
export function runAsBatchJob(native: NativeWalker | undefined = loadNativeWalker(process.env)): void {
  native?.batchScheduling?.();
  native?.keepFreedMemory?.();
}
