import fc from 'fast-check';

/** A byte string (one character per byte, see entry.ts) of 1..24 bytes, never a newline. */
export const lineBytes = fc
  .array(fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0a), { minLength: 1, maxLength: 24 })
  .map((bytes) => String.fromCharCode(...bytes));

/** An absolute path of byte-string components (no `/`, no NUL, no newline), as a package may ship. */
export const absolutePath = fc
  .array(
    fc.array(fc.integer({ min: 1, max: 255 }).filter((b) => b !== 0x0a && b !== 0x2f), { minLength: 1, maxLength: 12 })
      .map((bytes) => String.fromCharCode(...bytes))
      .filter((name) => name !== '.' && name !== '..'),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => `/${parts.join('/')}`);

export const md5Hex = fc.stringMatching(/^[0-9a-f]{32}$/);
