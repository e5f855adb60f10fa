/**
 * Where dpkg keeps its database, apart from the adapter that reads it: finding out which database
 * a root holds (package-db-choice.ts) then loads none of the dpkg code.
 * @module
 */

/** Where dpkg keeps its database inside a root, as dpkg itself defaults. */
export const DPKG_ADMINDIR = '/var/lib/dpkg';
