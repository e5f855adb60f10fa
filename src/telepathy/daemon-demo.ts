/** `telepathy-cave demo`: filled in with the demo step. */
export async function runDemo(_options: { interactive: boolean; verbose: boolean }): Promise<number> {
  process.stderr.write('telepathy-cave: demo is not available yet\n');
  return 1;
}
