/**
 * The tools `--for` knows, apart from their formats: the option parser loads this on every run.
 * @module
 */
/** The backup tools `--for` knows. */
export const toolNames = ['restic', 'tar', 'rsync', 'borg'] as const;

/** One of {@link toolNames}. */
export type ToolName = (typeof toolNames)[number];
