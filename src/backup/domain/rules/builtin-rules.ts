/**
 * The built-in rules, written in the rules file format (docs/rules.md shows them). They come
 * first, so a user's rules file, read after them, overrides any of them; each group can be
 * switched off by name (`--rules-off NAME`), or all with `--no-builtin-rules`.
 */
import type { Rule } from './rule.js';
import { parseRulesFile } from './rules-file.js';

/** The built-in rules as a rules file (docs/rules.md shows this text verbatim). */
export const builtinRulesText = `\
# Caches: the programs that use them rebuild them.
skip ~/.cache/                       name=caches          # per-user cache (XDG), rebuilt on demand
skip /var/cache/                     name=caches          # system caches, rebuilt on demand
# Temporary files: emptied at boot or by age.
skip /tmp/                           name=tmp             # temporary files, cleared at boot
skip /var/tmp/                       name=tmp             # temporary files
# Package manager caches: downloaded again when needed.
skip /var/cache/apt/archives/        name=package-caches  # apt downloads
skip /var/lib/apt/lists/             name=package-caches  # apt indexes, fetched by apt update
skip /var/cache/dnf/                 name=package-caches  # dnf metadata and downloads
skip /var/cache/yum/                 name=package-caches  # yum metadata and downloads
skip /var/cache/pacman/pkg/          name=package-caches  # pacman downloads
skip ~/.npm/_cacache/                name=package-caches  # npm download cache
skip ~/.cargo/registry/              name=package-caches  # cargo crate downloads
skip ~/.m2/repository/               name=package-caches  # maven downloads
# Generated content: rebuilt from the sources beside it. Python bytecode only where people put
# their own code (a package's __pycache__ comes back with the package); Python never imports a
# __pycache__ file whose source is gone, so none of it is the only copy of anything.
skip ~/**/__pycache__/               name=python-bytecode # Python bytecode, rebuilt on import
skip /usr/local/**/__pycache__/      name=python-bytecode # Python bytecode, rebuilt on import
skip /opt/**/__pycache__/            name=python-bytecode # Python bytecode, rebuilt on import
skip /srv/**/__pycache__/            name=python-bytecode # Python bytecode, rebuilt on import
skip /**/node_modules/.cache/        name=node-caches     # build tools' cache (babel, webpack, eslint), rebuilt on demand
# Package databases: no package owns them, and reinstalling the packages rebuilds them;
# what must be kept is the list of packages that were installed.
dump /var/lib/rpm/                   name=package-db tool="rpm -qa"  # rpm database: keep the package list, reinstalling rebuilds it
dump /usr/lib/sysimage/rpm/          name=package-db tool="rpm -qa"  # rpm database (Fedora 36 and later)
dump /var/lib/dpkg/                  name=package-db tool="dpkg --get-selections"  # dpkg database: keep the package list, reinstalling rebuilds it
# Databases: a copy of live files is not a backup; use the database's own tool.
dump /var/lib/postgresql/            name=postgresql tool=pg_dumpall  # PostgreSQL cluster (Debian)
dump /var/lib/pgsql/                 name=postgresql tool=pg_dumpall  # PostgreSQL cluster (Fedora, RHEL)
dump /var/lib/mysql/                 name=mysql tool="mysqldump --all-databases --single-transaction"  # MySQL or MariaDB
dump *.sqlite                        name=sqlite tool="sqlite3 .backup"  # SQLite database
dump *.sqlite3                       name=sqlite tool="sqlite3 .backup"  # SQLite database
skip *.sqlite-wal                    name=sqlite          # SQLite journal: its database's dump holds it
skip *.sqlite-shm                    name=sqlite          # SQLite shared memory: rebuilt on open
skip *.sqlite3-wal                   name=sqlite          # SQLite journal: its database's dump holds it
skip *.sqlite3-shm                   name=sqlite          # SQLite shared memory: rebuilt on open
# Browser profiles: rewritten while the browser runs.
save ~/.mozilla/firefox/*/           name=browser-profiles when=logged-out  # Firefox profile, in use while Firefox runs
save ~/.config/google-chrome/        name=browser-profiles when=logged-out  # Chrome profile, in use while Chrome runs
save ~/.config/chromium/             name=browser-profiles when=logged-out  # Chromium profile, in use while it runs
`;

/** The built-in rules, with `~` standing for `homes`. */
export function builtinRules(homes?: readonly string[]): Rule[] {
  return parseRulesFile(builtinRulesText, { file: 'built-in rules', source: 'builtin', ...(homes === undefined ? {} : { homes }) });
}
