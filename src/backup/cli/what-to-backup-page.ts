/**
 * What `what-to-backup`'s man page and completions say beyond its `--help`: examples, files,
 * related pages, and the words some option arguments are (the built-in rule names come from the
 * rules themselves, so a new rule is completed as soon as it exists).
 * @module
 */
import { builtinRules } from '#backup/domain/rules/builtin-rules.js';
import type { CompletionExtras } from '#shared/completions/completion-spec.js';
import type { ManExtras } from '#shared/help/man-page.js';
import { toolNames } from '#backup/report/for-tools/for-tool.js';
import { completionShells } from '#shared/completions/completion-script.js';

/** The man page's hand-written sections; `source` is the package and its version. */
export function whatToBackupManExtras(source: string): ManExtras {
  return {
    summary: 'list what a Linux system needs backed up',
    source,
    examples: [
      { command: 'sudo what-to-backup >to-save.txt', text: 'Scan the whole system as root: the list goes to to-save.txt, the size tree and the problems met to the terminal.' },
      { command: 'what-to-backup --root /mnt/image --package-db rpm --json >image.json', text: 'Scan a system image mounted at /mnt/image with the rpm database inside it, and keep the whole result as JSON.' },
      { command: 'what-to-backup --html report.html /etc /home /srv >/dev/null', text: 'Look at where the backup space goes in three folders, on a treemap that opens in a browser.' },
      { command: 'sudo what-to-backup --for rsync | sudo rsync -a --from0 --filter="merge -" / /mnt/backup/', text: 'Copy what must be saved to /mnt/backup in one rsync run: folders saved whole with their contents, bare folders without.' },
      { command: 'what-to-backup --rules my-rules --rules-off caches -0 /srv >list', text: 'Apply your own rules, keep the caches, and write the list NUL-separated for a backup program.' },
    ],
    environment: [{ term: 'XDG_CACHE_HOME', text: 'where the digest cache and rpm\'s last answer are kept (default ~/.cache).' }],
    files: [
      { term: '$XDG_CACHE_HOME/what-to-backup/', text: 'the digest cache and a snapshot of rpm\'s last answer (one per root and database), the only things a scan writes (not with --no-cache).' },
      { term: '/usr/lib/sysimage/rpm/, /var/lib/rpm/', text: 'the rpm database read to tell package files from the rest.' },
      { term: '/var/lib/dpkg/', text: 'the dpkg database read to tell package files from the rest (see --admindir).' },
      { term: '/etc/passwd, /etc/group', text: 'the accounts --readable-by reads, in the scanned system.' },
    ],
    seeAlso: ['rpm(8)', 'dpkg(1)', 'gitignore(5)', 'restic(1)', 'tar(1)', 'rsync(1)', 'borg(1)'],
  };
}

/** The words completed for `--package-db`, `--verify`, `--for` and `--rules-off`, and the ROOT arguments. */
export function whatToBackupCompletionExtras(): CompletionExtras {
  const ruleNames = [...new Set(builtinRules().map((rule) => rule.name))].sort();
  return {
    values: { '--package-db': ['auto', 'rpm', 'dpkg', 'none'], '--verify': ['content', 'none'], '--for': toolNames, '--completions': completionShells, '--rules-off': ruleNames },
    positional: { kind: 'directory' },
  };
}
