/** User and group names of the scanned system, as packages record them. @module */

/** User and group names as the scanned system defines them (its own /etc/passwd and /etc/group). */
export interface AccountsPort {
  /** The name of a user id, if the system defines it. */
  userName(uid: bigint): string | undefined;
  /** The name of a group id, if the system defines it. */
  groupName(gid: bigint): string | undefined;
  /** The id of a user name, if the system defines it. */
  uidOf(name: string): bigint | undefined;
  /** The id of a group name, if the system defines it. */
  gidOf(name: string): bigint | undefined;
}
