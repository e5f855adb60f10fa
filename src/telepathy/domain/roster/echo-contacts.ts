/**
 * The echo contacts every connection starts with: who they are and how they answer.
 * @module
 */

/** How an echo contact answers a message: at once, after a pause, or never (a failure report). */
export type EchoBehaviour = 'echo' | 'delayed' | 'failing';

/** One built-in contact on every echo roster. */
export interface EchoContact {
  /** Its identifier, already normalised (lower case), as handles and TargetID carry it. */
  readonly id: string;
  /** The name clients show instead of the identifier (Aliasing). */
  readonly alias: string;
  /** File name of its picture under the package's `data/avatars/` (PNG). */
  readonly avatarFile: string;
  /** How it answers messages (the echo itself lives in domain/echo/). */
  readonly behaviour: EchoBehaviour;
  /** The contact groups it starts in. */
  readonly groups: readonly string[];
}

/** The group the built-in contacts start in. */
export const ECHO_GROUP = 'Echoes';

/** The built-in contacts, in the order a roster lists them. */
export const builtinEchoContacts: readonly EchoContact[] = [
  { id: 'echo@cave.example', alias: 'Echo', avatarFile: 'echo.png', behaviour: 'echo', groups: [ECHO_GROUP] },
  { id: 'slow-echo@cave.example', alias: 'Slow Echo', avatarFile: 'slow-echo.png', behaviour: 'delayed', groups: [ECHO_GROUP] },
  { id: 'broken-echo@cave.example', alias: 'Broken Echo', avatarFile: 'broken-echo.png', behaviour: 'failing', groups: [ECHO_GROUP] },
];

/** The built-in contact with this (normalised) identifier, if it is one. */
export function builtinEchoContact(id: string): EchoContact | undefined {
  return builtinEchoContacts.find((contact) => contact.id === id);
}

/** How a contact answers: as its built-in entry says, or a plain echo for anyone else. */
export function echoBehaviourOf(id: string): EchoBehaviour {
  return builtinEchoContact(id)?.behaviour ?? 'echo';
}
