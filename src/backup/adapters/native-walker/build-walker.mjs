// Builds the native walker (walker.c) with node-gyp against the headers of the node that runs this
// script (--nodedir: nothing is downloaded). Never fails the install: without a compiler or
// headers, what-to-backup walks with node:fs instead, and says nothing is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const nodedir = dirname(dirname(process.execPath));
const note = (why) => console.warn(`what-to-backup: native walker not built (${why}); the node:fs walker will be used`);

const addon = join(top, 'build', 'Release', 'walker.node');
const newest = Math.max(...['src/backup/adapters/native-walker/walker.c', 'src/backup/adapters/native-walker/access-facts.c', 'src/backup/adapters/native-walker/digest.c', 'binding.gyp'].map((f) => statSync(join(top, f)).mtimeMs));
if (existsSync(addon) && statSync(addon).mtimeMs >= newest && !process.argv.includes('--force')) {
  // Up to date: `npm run build` runs this on every build.
} else if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) {
  note(`no Node headers in ${nodedir}/include/node`);
} else {
  // npm names its own node-gyp; outside npm, one on the PATH.
  const gyp = process.env.npm_config_node_gyp;
  const [command, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
  const built = spawnSync(command, [...args, 'rebuild', `--nodedir=${nodedir}`], { cwd: top, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) note(built.error ? built.error.message : `node-gyp exited with ${built.status}`);
}
