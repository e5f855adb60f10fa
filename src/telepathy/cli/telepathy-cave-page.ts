/** What `telepathy-cave`'s man page and completions say beyond its `--help`. */
import type { CompletionExtras } from '#shared/completions/completion-spec.js';
import type { ManExtras } from '#shared/help/man-page.js';
import { completionShells } from '#shared/completions/completion-script.js';

/** The man page's hand-written sections; `source` is the package and its version. */
export function telepathyCaveManExtras(source: string): ManExtras {
  return {
    summary: 'an echo Telepathy connection manager on D-Bus',
    source,
    examples: [
      { command: 'telepathy-cave install --user', text: 'Make the connection manager known to Telepathy clients (Mission Control, KDE Telepathy) and to D-Bus activation, for you alone.' },
      { command: 'telepathy-cave demo', text: 'Watch an echo conversation on a private bus, with nothing installed.' },
      { command: 'telepathy-cave --persist --verbose', text: 'Serve the session bus until stopped, logging every call and signal.' },
    ],
    environment: [
      { term: 'DBUS_SESSION_BUS_ADDRESS', text: 'the session bus served.' },
      { term: 'CAVE_DEBUG', text: 'when 1, log as --verbose does.' },
      { term: 'XDG_DATA_HOME', text: 'where install --user writes (default ~/.local/share).' },
    ],
    files: [
      { term: '$XDG_DATA_HOME/telepathy/managers/cave.manager', text: 'the manager file Telepathy clients read.' },
      { term: '$XDG_DATA_HOME/dbus-1/services/org.freedesktop.Telepathy.ConnectionManager.cave.service', text: 'the D-Bus activation file that starts telepathy-cave on demand.' },
    ],
    seeAlso: ['dbus-daemon(1)', 'mission-control-5(8)'],
  };
}

/** Option arguments have no fixed words; plain words after the command are none. */
export function telepathyCaveCompletionExtras(): CompletionExtras {
  return { values: { '--completions': completionShells }, positional: { kind: 'free' } };
}
