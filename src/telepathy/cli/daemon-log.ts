/** The daemon's stderr log: quiet unless asked (`--verbose`, `CAVE_DEBUG=1`); errors always. */
export interface DaemonLog {
  /** Detail for someone debugging: every call and signal. */
  debug(line: string): void;
  /** Something the user must know, e.g. why the daemon stops. */
  error(line: string): void;
}

/** A log that writes to stderr unless given another `write`; debug lines only when verbose. */
export function createDaemonLog(verbose: boolean, write: (text: string) => void = (t) => process.stderr.write(t)): DaemonLog {
  const stamp = () => new Date().toISOString().slice(11, 23);
  return {
    debug: verbose ? (line) => write(`telepathy-cave ${stamp()} ${line}\n`) : () => {},
    error: (line) => write(`telepathy-cave: ${line}\n`),
  };
}

/** Verbose when CAVE_DEBUG is set to anything but empty or 0. */
export function debugFromEnvironment(env: NodeJS.ProcessEnv): boolean {
  const value = env.CAVE_DEBUG;
  return value !== undefined && value !== '' && value !== '0';
}
