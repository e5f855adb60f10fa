/**
 * D-Bus names, paths and enumerations from the Telepathy specification (0.27).
 * @module
 */

/** The connection manager's name, as clients and account settings know it (`cave/echo/...`). */
export const CM_NAME = 'cave';
/** The one protocol cave implements. */
export const PROTOCOL_NAME = 'echo';
/** The connection manager's well-known bus name; D-Bus activation starts cave for it. */
export const CM_BUS_NAME = `org.freedesktop.Telepathy.ConnectionManager.${CM_NAME}`;
/** Object path of the connection manager. */
export const CM_PATH = `/org/freedesktop/Telepathy/ConnectionManager/${CM_NAME}`;
/** Object path of the `echo` Protocol object, below the manager's. */
export const PROTOCOL_PATH = `${CM_PATH}/${PROTOCOL_NAME}`;
/** A connection's bus name is this prefix followed by its escaped account. */
export const CONNECTION_BUS_NAME_PREFIX = `org.freedesktop.Telepathy.Connection.${CM_NAME}.${PROTOCOL_NAME}.`;
/** A connection's object path is this prefix followed by its escaped account. */
export const CONNECTION_PATH_PREFIX = `/org/freedesktop/Telepathy/Connection/${CM_NAME}/${PROTOCOL_NAME}/`;

const TP = 'org.freedesktop.Telepathy';
/** The D-Bus interfaces cave implements, by short name. */
export const Iface = {
  /** The manager object: protocols, RequestConnection. */
  ConnectionManager: `${TP}.ConnectionManager`,
  /** A protocol object: parameters, requestable channel classes. */
  Protocol: `${TP}.Protocol`,
  /** A connection: status, handles, Connect/Disconnect. */
  Connection: `${TP}.Connection`,
  /** Channel requests on a connection: CreateChannel, EnsureChannel, Channels. */
  Requests: `${TP}.Connection.Interface.Requests`,
  /** Contact attributes by handle, contacts by identifier. */
  Contacts: `${TP}.Connection.Interface.Contacts`,
  /** Presence of the user and of contacts. */
  SimplePresence: `${TP}.Connection.Interface.SimplePresence`,
  /** The roster: who is on the user's contact list, and subscription in both directions. */
  ContactList: `${TP}.Connection.Interface.ContactList`,
  /** User-defined groups of contacts on the roster. */
  ContactGroups: `${TP}.Connection.Interface.ContactGroups`,
  /** Contacts' display names. */
  Aliasing: `${TP}.Connection.Interface.Aliasing`,
  /** Contacts' pictures, by token. */
  Avatars: `${TP}.Connection.Interface.Avatars`,
  /** The protocol's presence statuses, readable before connecting. */
  ProtocolPresence: `${TP}.Protocol.Interface.Presence`,
  /** How address books name the protocol's contacts (vCard fields, URI schemes), before connecting. */
  ProtocolAddressing: `${TP}.Protocol.Interface.Addressing`,
  /** The protocol's avatar requirements, readable before connecting. */
  ProtocolAvatars: `${TP}.Protocol.Interface.Avatars`,
  /** Every channel: Close, immutable properties. */
  Channel: `${TP}.Channel`,
  /** The channel type of text conversations, with the original Send API. */
  Text: `${TP}.Channel.Type.Text`,
  /** Messages made of parts, pending messages and their acknowledgement. */
  Messages: `${TP}.Channel.Interface.Messages`,
  /** The debug viewer's window on the log: GetMessages, NewDebugMessage. */
  Debug: `${TP}.Debug`,
  /** Typing notifications: the user's and the contact's chat states. */
  ChatState: `${TP}.Channel.Interface.ChatState`,
  /** Destroy: close a channel for good, dropping pending messages. */
  Destroyable: `${TP}.Channel.Interface.Destroyable`,
  /** Members of a channel: who is in a room, joining and leaving. */
  Group: `${TP}.Channel.Interface.Group`,
  /** What names a room: RoomName, Server, its creator. */
  Room2: `${TP}.Channel.Interface.Room2`,
  /** A room's subject (topic) and SetSubject. */
  Subject2: `${TP}.Channel.Interface.Subject2`,
  /** The channel type that lists the rooms one can join. */
  RoomList: `${TP}.Channel.Type.RoomList`,
  /** D-Bus's own properties interface, whose PropertiesChanged announces changed properties. */
  Properties: 'org.freedesktop.DBus.Properties',
} as const;

/** Connection_Status. */
export const ConnectionStatus = {
  /** Signed in and usable. */
  Connected: 0,
  /** Signing in. */
  Connecting: 1,
  /** Not yet connected, or gone for good. */
  Disconnected: 2,
} as const;
/** Connection_Status_Reason: why the status changed. */
export const StatusReason = {
  /** No reason given. */
  NoneSpecified: 0,
  /** A client asked for it (Connect, Disconnect). */
  Requested: 1,
  /** The server could not be reached, or the connection to it dropped: try again later. */
  NetworkError: 2,
  /** The server refused the user name or password: ask the user, do not retry. */
  AuthenticationFailed: 3,
} as const;
/** Handle_Type: what a handle names. cave has contact and room handles. */
export const HandleType = {
  /** No handle (e.g. a channel without a target). */
  None: 0,
  /** A contact. */
  Contact: 1,
  /** A chat room. */
  Room: 2,
  /** A contact list (deprecated). */
  List: 3,
  /** A user-defined contact group (deprecated). */
  Group: 4,
} as const;
/** Channel_Text_Message_Type. */
export const MessageType = {
  /** An ordinary message. */
  Normal: 0,
  /** An action, as IRC's `/me`. */
  Action: 1,
  /** A notice that should not be answered automatically. */
  Notice: 2,
  /** An automatic reply (away message). */
  AutoReply: 3,
  /** A report about the delivery of an earlier message. */
  DeliveryReport: 4,
} as const;
/** Channel_Text_Message_Flags. */
export const MessageFlag = {
  /** The message has parts the old Text API cannot show (delivery reports, on Received). */
  NonTextContent: 2,
  /** Marks messages carried into a channel that came back after a Close with messages pending. */
  Rescued: 8,
} as const;
/** Connection_Presence_Type values cave uses. */
export const PresenceType = {
  /** Signed out. */
  Offline: 1,
  /** Online and available. */
  Available: 2,
  /** Online and away. */
  Away: 3,
  /** Online and extended away. */
  ExtendedAway: 4,
  /** Online but shown as offline to others. */
  Hidden: 5,
  /** Online and busy (do not disturb). */
  Busy: 6,
  /** Presence not known. */
  Unknown: 7,
  /** Presence could not be found out. */
  Error: 8,
} as const;
/** Conn_Mgr_Param_Flags. */
export const ParamFlag = {
  /** The parameter must be given to RequestConnection. */
  Required: 1,
  /** The default in the Param_Spec is used when the parameter is not given. */
  HasDefault: 4,
  /** A password or the like: never logged, stored in a keyring by the account manager. */
  Secret: 8,
} as const;

/** Object path of a protocol's Protocol object (`echo` has {@link PROTOCOL_PATH}). */
export const protocolPath = (protocol: string): string => `${CM_PATH}/${protocol}`;
/** The bus name prefix of a protocol's connections (`echo` has {@link CONNECTION_BUS_NAME_PREFIX}). */
export const connectionBusNamePrefix = (protocol: string): string => `org.freedesktop.Telepathy.Connection.${CM_NAME}.${protocol}.`;
/** The object path prefix of a protocol's connections (`echo` has {@link CONNECTION_PATH_PREFIX}). */
export const connectionPathPrefix = (protocol: string): string => `/org/freedesktop/Telepathy/Connection/${CM_NAME}/${protocol}/`;
