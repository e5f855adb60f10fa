/**
 * Contact groups on one roster (Connection.Interface.ContactGroups): the group names, and the
 * signals in the order the spec gives (created before members join, members leave after removal).
 * @module
 */
import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import { doesNotExist, invalidArgument, notAvailable } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { builtinEchoContacts } from './echo-contacts.js';
import type { Roster } from './roster.js';

/** The groups of one roster; membership lives in each roster entry. */
export class RosterGroups {
  // The built-in contacts' groups exist from the start.
  private readonly names: string[] = [...new Set(builtinEchoContacts.flatMap((contact) => contact.groups))];

  constructor(
    private readonly roster: Roster,
    private readonly path: string,
  ) {}

  /** The Groups property: every group, empty ones too. */
  get all(): readonly string[] {
    return this.names;
  }

  /** A contact's groups, in the order it joined them (none when not on the roster). */
  groupsOf(handle: number): string[] {
    return [...(this.roster.entryOf(handle)?.groups ?? [])];
  }

  /** Put a contact in exactly these groups (adding it to the roster if needed). */
  setContactGroups(handle: number, groups: readonly string[]): Signal[] {
    groups.forEach(checkName);
    const signals = [...this.roster.ensure(handle), ...this.create(groups)];
    const entry = this.roster.entryOf(handle)!;
    const added = unique(groups).filter((g) => !entry.groups.has(g));
    const removed = [...entry.groups].filter((g) => !groups.includes(g));
    for (const g of removed) entry.groups.delete(g);
    for (const g of added) entry.groups.add(g);
    if (added.length + removed.length > 0) signals.push(this.signal('GroupsChanged', [[handle], added, removed]));
    return signals;
  }

  /** Make a group's members exactly these contacts (creating the group if needed). */
  setGroupMembers(group: string, members: readonly number[]): Signal[] {
    checkName(group);
    const leaving = this.membersOf(group).filter((h) => !members.includes(h));
    return [...this.addToGroup(group, members), ...this.removeFromGroup(group, leaving)];
  }

  /** Add contacts to a group, creating it (and adding them to the roster) if needed. */
  addToGroup(group: string, members: readonly number[]): Signal[] {
    checkName(group);
    this.roster.makeRoomFor(members);
    const signals = [...unique(members).flatMap((h) => this.roster.ensure(h)), ...this.create([group])];
    const joining = unique(members).filter((h) => !this.roster.entryOf(h)!.groups.has(group));
    for (const h of joining) this.roster.entryOf(h)!.groups.add(group);
    if (joining.length > 0) signals.push(this.signal('GroupsChanged', [joining, [group], []]));
    return signals;
  }

  /** Take contacts out of a group; members who are not in it are no error. */
  removeFromGroup(group: string, members: readonly number[]): Signal[] {
    const leaving = unique(members).filter((h) => this.roster.entryOf(h)?.groups.has(group));
    for (const h of leaving) this.roster.entryOf(h)!.groups.delete(group);
    return leaving.length > 0 ? [this.signal('GroupsChanged', [leaving, [], [group]])] : [];
  }

  /** Remove a group: GroupsRemoved, then its members leave it. An unknown group is no error. */
  removeGroup(group: string): Signal[] {
    if (!this.names.includes(group)) return [];
    this.names.splice(this.names.indexOf(group), 1);
    return [this.signal('GroupsRemoved', [[group]]), ...this.removeFromGroup(group, this.membersOf(group))];
  }

  /** Rename a group: GroupRenamed, GroupsCreated, GroupsRemoved, then its members move. */
  renameGroup(oldName: string, newName: string): Signal[] {
    checkName(newName);
    if (!this.names.includes(oldName)) throw doesNotExist(`there is no group ${JSON.stringify(oldName)}`);
    if (this.names.includes(newName)) throw notAvailable(`the group ${JSON.stringify(newName)} already exists`);
    this.names[this.names.indexOf(oldName)] = newName;
    const members = this.membersOf(oldName);
    for (const h of members) {
      const entry = this.roster.entryOf(h)!;
      entry.groups.delete(oldName);
      entry.groups.add(newName);
    }
    const signals = [this.signal('GroupRenamed', [oldName, newName]), this.signal('GroupsCreated', [[newName]]), this.signal('GroupsRemoved', [[oldName]])];
    if (members.length > 0) signals.push(this.signal('GroupsChanged', [members, [newName], [oldName]]));
    return signals;
  }

  /** The contacts in a group. */
  private membersOf(group: string): number[] {
    return this.roster.handles().filter((h) => this.roster.entryOf(h)!.groups.has(group));
  }

  private create(groups: readonly string[]): Signal[] {
    const fresh = unique(groups).filter((g) => !this.names.includes(g));
    this.names.push(...fresh);
    return fresh.length > 0 ? [this.signal('GroupsCreated', [fresh])] : [];
  }

  private signal(member: string, args: unknown[]): Signal {
    return { path: this.path, interface: Iface.ContactGroups, member, args };
  }
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** A group needs a name: the empty string is not one. */
function checkName(name: string): void {
  if (name === '') throw invalidArgument('a contact group needs a name');
}
