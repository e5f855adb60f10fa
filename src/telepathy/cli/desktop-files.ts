import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * What desktops look for besides the `.manager` file, installed beside it by
 * `telepathy-cave install` (see docs/install-files.md for who reads each one):
 * the `im-echo` icon that clients name from the protocol, a Telepathy service profile
 * (telepathy-qt's account dialogs), and an accounts-SSO provider with its chat service
 * (KDE's Online Accounts; telepathy-accounts-signon passes those accounts to Mission Control).
 */

/** One file: where it is under the package's `data/`, and where it goes under the data folder. */
export interface DesktopFile {
  /** Path under `data/`. */
  readonly from: string;
  /** Path under `share/` (or `$XDG_DATA_HOME`). */
  readonly to: string;
}

/** The files, in the order they are installed. */
export const desktopFiles: readonly DesktopFile[] = [
  { from: 'desktop/im-echo.svg', to: 'icons/hicolor/scalable/apps/im-echo.svg' },
  { from: 'desktop/echo.profile', to: 'telepathy/profiles/echo.profile' },
  { from: 'desktop/cave-echo.provider', to: 'accounts/providers/cave-echo.provider' },
  { from: 'desktop/cave-echo-im.service', to: 'accounts/services/cave-echo-im.service' },
];

/** Copy every desktop file from `data` to `share`; resolves with the paths written. */
export async function installDesktopFiles(data: string, share: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of desktopFiles) {
    const target = join(share, file.to);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(data, file.from), target);
    written.push(target);
  }
  return written;
}
