"""A real Telepathy client (telepathy-glib 0.24 through GObject introspection) in cave's echo rooms.

It connects, lists the rooms through a RoomList channel, joins a room as a TpTextChannel with
its Group contacts, sends one message and receives one echo from each echo member, reads and
sets the subject (Subject2, with PropertiesChanged), and leaves with TpChannel.leave_async
(RemoveMembers on itself). Each step prints one line `step: detail`; any failure exits 1.
Run with Debian's /usr/bin/python3 and DBUS_SESSION_BUS_ADDRESS set to a private bus where
cave is activatable.
"""
from tp_client_common import Tp, fail, finish, loop, step, wait_for
from gi.repository import Gio, GLib, GObject  # noqa: E402  (after the module that pins gi versions)

TP = "org.freedesktop.Telepathy"
CM_PATH = f"/{TP.replace('.', '/')}/ConnectionManager/cave"
bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def call(bus_name, path, iface, member, args, reply_type):
    try:
        return bus.call_sync(bus_name, path, iface, member, args, GLib.VariantType(reply_type), Gio.DBusCallFlags.NONE, 10000, None).unpack()
    except GLib.Error as e:
        fail(f"{member}: {e.message}")


def until(condition, what, timeout=10):
    """Let the main loop run until condition() holds."""
    context = loop.get_context()
    deadline = GLib.get_monotonic_time() + timeout * 1_000_000
    while not condition():
        if GLib.get_monotonic_time() > deadline:
            fail(f"{what}: not within {timeout} s")
        context.iteration(False) or GLib.usleep(10_000)


def signals(path, iface):
    """Record the signals of one object, as (member, args) pairs."""
    seen = []
    bus.signal_subscribe(None, iface, None, path, None, Gio.DBusSignalFlags.NONE,
                         lambda _c, _s, _p, _i, member, args: seen.append((member, args.unpack())))
    return seen


bus_name, conn_path = call(f"{TP}.ConnectionManager.cave", CM_PATH, f"{TP}.ConnectionManager", "RequestConnection",
                           GLib.Variant("(sa{sv})", ("echo", {"account": GLib.Variant("s", "roomer@example.com")})), "(so)")
factory = Tp.AutomaticClientFactory.new(Tp.DBusDaemon.dup())
conn = factory.ensure_connection(conn_path, {})
call(bus_name, conn_path, f"{TP}.Connection", "Connect", None, "()")
wait_for(lambda done: conn.prepare_async([Tp.Connection.get_feature_quark_connected()], lambda o, r: done(finish(o, "prepare_finish", r))), "connect")
classes = [(fixed[f"{TP}.Channel.ChannelType"], fixed[f"{TP}.Channel.TargetHandleType"]) for fixed, _ in
           call(bus_name, conn_path, "org.freedesktop.DBus.Properties", "Get", GLib.Variant("(ss)", (f"{TP}.Connection.Interface.Requests", "RequestableChannelClasses")), "(v)")[0]]
step("connected", f"room classes={[c for c in classes if c[1] != 1]}")

# 1. A room list, as a room dialog fills itself.
list_path, _ = call(bus_name, conn_path, f"{TP}.Connection.Interface.Requests", "CreateChannel",
                    GLib.Variant("(a{sv})", ({f"{TP}.Channel.ChannelType": GLib.Variant("s", f"{TP}.Channel.Type.RoomList")},)), "(oa{sv})")
listing = signals(list_path, f"{TP}.Channel.Type.RoomList")
call(bus_name, list_path, f"{TP}.Channel.Type.RoomList", "ListRooms", None, "()")
until(lambda: ("ListingRooms", (False,)) in listing, "the listing")
rooms = [room for member, args in listing if member == "GotRooms" for room in args[0]]
step("listed", " ".join(f"{info['handle-name']}({info['members']})" for _handle, _type, info in rooms))

# 2. Join the first listed room: telepathy-glib must see a text channel with a group.
request = {
    f"{TP}.Channel.ChannelType": GLib.Variant("s", f"{TP}.Channel.Type.Text"),
    f"{TP}.Channel.TargetHandleType": GLib.Variant("u", 2),
    f"{TP}.Channel.TargetID": GLib.Variant("s", rooms[0][2]["handle-name"].upper()),
}
room_path, props = call(bus_name, conn_path, f"{TP}.Connection.Interface.Requests", "CreateChannel", GLib.Variant("(a{sv})", (request,)), "(oa{sv})")
# telepathy-glib picks the proxy class from the channel's immutable properties.
channel_props = {k: v for k, v in props.items() if k.startswith(f"{TP}.Channel.") and k.count(".") == 4}
gtypes = {bool: GObject.TYPE_BOOLEAN, int: GObject.TYPE_UINT, str: GObject.TYPE_STRING, list: GObject.TYPE_STRV}
room = factory.ensure_channel(conn, room_path, {k: GObject.Value(gtypes[type(v)], v) for k, v in channel_props.items()})
if not isinstance(room, Tp.TextChannel):
    fail(f"telepathy-glib made a {type(room).__name__}, not a TextChannel")
features = [Tp.Channel.get_feature_quark_core(), Tp.Channel.get_feature_quark_group(), Tp.Channel.get_feature_quark_contacts(),
            Tp.TextChannel.get_feature_quark_incoming_messages()]
wait_for(lambda done: room.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare room")
if room.get_handle()[1] != Tp.HandleType.ROOM:
    fail(f"handle type {room.get_handle()}")
members = sorted(c.get_identifier() for c in room.group_dup_members_contacts())
step("joined", f"{room.get_identifier()} self={room.group_get_self_contact().get_identifier()} members={members}")

# 3. One message, one echo from each echo member.
received = []
room.connect("message-received", lambda c, m: received.append(m))
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, "hello, room")
wait_for(lambda done: room.send_message_async(message, 0, lambda o, r: done(finish(o, "send_message_finish", r))), "send")
until(lambda: len(received) >= len(members) - 1, "the echoes")
step("echoes", " ".join(f"{Tp.SignalledMessage.get_sender(m).get_identifier()}:{m.to_text()[0]}" for m in received))

# 4. The subject, read and set through Subject2.
subject_iface = f"{TP}.Channel.Interface.Subject2"
changes = signals(room_path, "org.freedesktop.DBus.Properties")
before = call(bus_name, room_path, "org.freedesktop.DBus.Properties", "Get", GLib.Variant("(ss)", (subject_iface, "Subject")), "(v)")[0]
call(bus_name, room_path, subject_iface, "SetSubject", GLib.Variant("(s)", ("echo, echo",)), "()")
until(lambda: changes, "PropertiesChanged")
iface, changed, _ = changes[0][1]
step("subject", f"{before!r} -> {changed['Subject']!r} by {changed['Actor']} ({iface.rsplit('.', 1)[1]})")

# 5. Leave: telepathy-glib removes itself from the group, then the room is gone.
wait_for(lambda done: room.leave_async(Tp.ChannelGroupChangeReason.NONE, "bye", lambda o, r: done(finish(o, "leave_finish", r))), "leave")
until(lambda: room.get_invalidated() is not None, "the room closing")
step("left", room.get_invalidated().message)
wait_for(lambda done: conn.disconnect_async(lambda o, r: done(finish(o, "disconnect_finish", r))), "disconnect")
step("disconnected", conn_path)
