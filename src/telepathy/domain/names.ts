/** D-Bus names, paths and enumerations from the Telepathy specification (0.27). */

export const CM_NAME = 'cave';
export const PROTOCOL_NAME = 'echo';
export const CM_BUS_NAME = `org.freedesktop.Telepathy.ConnectionManager.${CM_NAME}`;
export const CM_PATH = `/org/freedesktop/Telepathy/ConnectionManager/${CM_NAME}`;
export const PROTOCOL_PATH = `${CM_PATH}/${PROTOCOL_NAME}`;
export const CONNECTION_BUS_NAME_PREFIX = `org.freedesktop.Telepathy.Connection.${CM_NAME}.${PROTOCOL_NAME}.`;
export const CONNECTION_PATH_PREFIX = `/org/freedesktop/Telepathy/Connection/${CM_NAME}/${PROTOCOL_NAME}/`;

const TP = 'org.freedesktop.Telepathy';
export const Iface = {
  ConnectionManager: `${TP}.ConnectionManager`,
  Protocol: `${TP}.Protocol`,
  Connection: `${TP}.Connection`,
  Requests: `${TP}.Connection.Interface.Requests`,
  Contacts: `${TP}.Connection.Interface.Contacts`,
  SimplePresence: `${TP}.Connection.Interface.SimplePresence`,
  Channel: `${TP}.Channel`,
  Text: `${TP}.Channel.Type.Text`,
  Messages: `${TP}.Channel.Interface.Messages`,
  Destroyable: `${TP}.Channel.Interface.Destroyable`,
} as const;

export const ConnectionStatus = { Connected: 0, Connecting: 1, Disconnected: 2 } as const;
export const StatusReason = { NoneSpecified: 0, Requested: 1 } as const;
export const HandleType = { None: 0, Contact: 1, Room: 2, List: 3, Group: 4 } as const;
export const MessageType = { Normal: 0, Action: 1, Notice: 2, AutoReply: 3, DeliveryReport: 4 } as const;
/** Channel_Text_Message_Flags: Rescued marks messages carried into a respawned channel. */
export const MessageFlag = { Rescued: 8 } as const;
export const PresenceType = { Offline: 1, Available: 2, Away: 3, Busy: 6 } as const;
/** Conn_Mgr_Param_Flags. */
export const ParamFlag = { Required: 1 } as const;
