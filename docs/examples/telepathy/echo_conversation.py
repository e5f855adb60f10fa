"""An echo conversation through telepathy-glib, the library most Telepathy clients are built on.

Requests and connects a connection to cave (activating it), lets telepathy-glib open a text
channel to a contact, sends a message and prints the echo. Run it with the system's Python,
which has python3-gi: /usr/bin/python3 echo_conversation.py CONTACT TEXT
"""
import sys

import gi

gi.require_version("TelepathyGLib", "0.12")
from gi.repository import Gio, GLib, GObject  # noqa: E402
from gi.repository import TelepathyGLib as Tp  # noqa: E402

TP = "org.freedesktop.Telepathy"
contact, text = sys.argv[1], sys.argv[2]
loop = GLib.MainLoop()
session = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def call(name, path, iface, method, args, reply):
    return session.call_sync(name, path, iface, method, args, GLib.VariantType(reply),
                             Gio.DBusCallFlags.NONE, 10000, None).unpack()


def as_gvalues(props):
    """telepathy-glib wants immutable properties as GValues of their D-Bus types; given plain
    Python values it cannot tell the channel type and makes a bare Channel, not a TextChannel."""
    def gtype(value):
        if isinstance(value, list):
            return GObject.TYPE_STRV if all(isinstance(v, str) for v in value) else None
        return {bool: GObject.TYPE_BOOLEAN, int: GObject.TYPE_UINT, str: GObject.TYPE_STRING}.get(type(value))
    return {key: GObject.Value(gtype(value), value) for key, value in props.items() if gtype(value)}


def run_until(start):
    """Run the main loop until start(done) calls done(value); return that value."""
    box = []
    start(lambda value: (box.append(value), loop.quit()))
    if not box:
        loop.run()
    return box[0]


# The CM side: request a connection (this activates cave) and connect it.
name, path = call(f"{TP}.ConnectionManager.cave", "/org/freedesktop/Telepathy/ConnectionManager/cave",
                  f"{TP}.ConnectionManager", "RequestConnection",
                  GLib.Variant("(sa{sv})", ("echo", {"account": GLib.Variant("s", "me@example.com")})), "(so)")
call(name, path, f"{TP}.Connection", "Connect", None, "()")

# The client side, as a chat program does it: telepathy-glib objects over the same bus.
factory = Tp.AutomaticClientFactory.new(Tp.DBusDaemon.dup())
connection = factory.ensure_connection(path, {})
run_until(lambda done: connection.prepare_async(None, lambda c, r: done(c.prepare_finish(r))))
print(f"connected as {connection.get_self_contact().get_identifier()}")

channel_path, props = call(name, path, f"{TP}.Connection.Interface.Requests", "CreateChannel", GLib.Variant(
    "(a{sv})", ({f"{TP}.Channel.ChannelType": GLib.Variant("s", f"{TP}.Channel.Type.Text"),
                 f"{TP}.Channel.TargetHandleType": GLib.Variant("u", 1),
                 f"{TP}.Channel.TargetID": GLib.Variant("s", contact)},)), "(oa{sv})")
channel = factory.ensure_channel(connection, channel_path, as_gvalues(props))
# Without the incoming-messages feature, telepathy-glib never emits message-received.
features = [Tp.Channel.get_feature_quark_core(), Tp.TextChannel.get_feature_quark_incoming_messages()]
run_until(lambda done: channel.prepare_async(features, lambda c, r: done(c.prepare_finish(r))))
print(f"{type(channel).__name__} with {channel.get_identifier()}")

echo = []
channel.connect("message-received", lambda c, message: (echo.append(message), loop.quit()))
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, text)
run_until(lambda done: channel.send_message_async(message, 0, lambda c, r: done(c.send_message_finish(r))))
print(f"me: {text}")
if not echo:
    loop.run()
print(f"{Tp.SignalledMessage.get_sender(echo[0]).get_identifier()}: {echo[0].to_text()[0]}")
run_until(lambda done: channel.ack_message_async(echo[0], lambda c, r: done(c.ack_message_finish(r))))
run_until(lambda done: connection.disconnect_async(lambda c, r: done(c.disconnect_finish(r))))
print("disconnected")
