/**
 * Where `--exclude-from` matching used to live; the matcher is pure and now sits in the domain.
 * Kept only so what-to-backup-main.ts (being optimised in another branch) need not change yet.
 * @module
 */
export { excludeMatcher } from './domain/exclude-patterns.js';
