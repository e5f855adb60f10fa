"""A real Telepathy client (telepathy-glib 0.24 through GObject introspection) talking to cave.

It finds the CM through its .manager file, activates it, requests and connects a connection,
opens a text channel to a made-up contact, sends, receives the echo, acknowledges it, closes
the channel and disconnects. Each step prints one line `step: detail`; any failure exits 1.
Run with Debian's /usr/bin/python3, DBUS_SESSION_BUS_ADDRESS set to a private bus and
XDG_DATA_DIRS holding telepathy/managers/cave.manager.
"""
import sys

from tp_client_common import Tp, fail, finish, loop, step, wait_for
from gi.repository import Gio, GLib, GObject  # noqa: E402  (after the module that pins gi versions)

TP = "org.freedesktop.Telepathy"
CONTACT = sys.argv[1] if len(sys.argv) > 1 else "made-up@contact.example"


def call(bus_name, path, iface, member, args, reply_type):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    try:
        return bus.call_sync(bus_name, path, iface, member, args, GLib.VariantType(reply_type), Gio.DBusCallFlags.NONE, 10000, None).unpack()
    except GLib.Error as e:
        fail(f"{member}: {e.message}")


def gvalues(props):
    """Immutable properties as telepathy-glib takes them: GValues with their D-Bus types."""
    out = {}
    for key, value in props.items():
        if isinstance(value, bool):
            out[key] = GObject.Value(GObject.TYPE_BOOLEAN, value)
        elif isinstance(value, int):
            out[key] = GObject.Value(GObject.TYPE_UINT, value)
        elif isinstance(value, str):
            out[key] = GObject.Value(GObject.TYPE_STRING, value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = GObject.Value(GObject.TYPE_STRV, value)
    return out


dbus = Tp.DBusDaemon.dup()
factory = Tp.AutomaticClientFactory.new(dbus)

# 1. The CM, known from its .manager file before anything runs.
cm = Tp.ConnectionManager.new(dbus, "cave", None)
wait_for(lambda done: cm.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare CM")
if cm.get_info_source() != Tp.CMInfoSource.FILE or cm.is_running():
    fail(f"expected the CM to be known from its .manager file only, got {cm.get_info_source()} running={cm.is_running()}")
protocol = cm.get_protocol_object("echo")
if protocol is None or "account" not in protocol.dup_param_names():
    fail("the .manager file does not describe protocol echo with an account parameter")
step("manager-file", f"protocols={sorted(cm.dup_protocol_names())} english-name={protocol.get_english_name()}")

# 2. Requesting a connection activates the CM.
bus_name, conn_path = call(cm.get_bus_name(), cm.get_object_path(), f"{TP}.ConnectionManager", "RequestConnection",
                           GLib.Variant("(sa{sv})", ("echo", {"account": GLib.Variant("s", "tester@example.com")})), "(so)")
step("requested", f"{bus_name} {conn_path}")

def until(condition, what, timeout=10):
    """Let the main loop run until condition() holds."""
    context = loop.get_context()
    deadline = GLib.get_monotonic_time() + timeout * 1_000_000
    while not condition():
        if GLib.get_monotonic_time() > deadline:
            fail(f"{what}: not within {timeout} s")
        context.iteration(False) or GLib.usleep(10_000)


until(lambda: cm.is_running(), "CM running")
step("activated", f"running={cm.is_running()}")

# 3. Connect, and let telepathy-glib read the connection back.
conn = factory.ensure_connection(conn_path, {})
call(bus_name, conn_path, f"{TP}.Connection", "Connect", None, "()")
features = [Tp.Connection.get_feature_quark_connected()]
wait_for(lambda done: conn.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "connect")
if conn.get_status()[0] != Tp.ConnectionStatus.CONNECTED:
    fail(f"status {conn.get_status()}")
if (conn.get_cm_name(), conn.get_protocol_name()) != ("cave", "echo"):
    fail(f"CM and protocol read from the path: {conn.get_cm_name()} {conn.get_protocol_name()}")
step("connected", f"self={conn.get_self_contact().get_identifier()}")

# 4. A text channel to a made-up contact; telepathy-glib must see a Messages channel.
request = {
    f"{TP}.Channel.ChannelType": GLib.Variant("s", f"{TP}.Channel.Type.Text"),
    f"{TP}.Channel.TargetHandleType": GLib.Variant("u", 1),
    f"{TP}.Channel.TargetID": GLib.Variant("s", CONTACT),
}
chan_path, props = call(bus_name, conn_path, f"{TP}.Connection.Interface.Requests", "CreateChannel",
                        GLib.Variant("(a{sv})", (request,)), "(oa{sv})")
chan = factory.ensure_channel(conn, chan_path, gvalues(props))
if not isinstance(chan, Tp.TextChannel):
    fail(f"telepathy-glib made a {type(chan).__name__}, not a TextChannel, from {props}")
chan_features = [Tp.Channel.get_feature_quark_core(), Tp.TextChannel.get_feature_quark_incoming_messages()]
wait_for(lambda done: chan.prepare_async(chan_features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare channel")
if chan.get_identifier() != CONTACT or "text/plain" not in chan.get_supported_content_types():
    fail(f"channel to {chan.get_identifier()} types {chan.get_supported_content_types()}")
step("channel", f"{chan.get_identifier()} requested={chan.get_requested()}")

# 5. Send, and the same text comes back as a received message.
received = []
chan.connect("message-received", lambda c, m: (received.append(m), loop.quit()))
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, "hello, cave")
token = wait_for(lambda done: chan.send_message_async(message, 0, lambda o, r: done(finish(o, "send_message_finish", r))), "send")
step("sent", f"token={token[0][1]!r}")
if not received:
    wait_for(lambda done: chan.connect("message-received", lambda *a: done()), "echo")
echo = received[0]
text = echo.to_text()[0]
if text != "hello, cave" or Tp.SignalledMessage.get_sender(echo).get_identifier() != CONTACT:
    fail(f"echo was {text!r} from {Tp.SignalledMessage.get_sender(echo).get_identifier()}")
step("received", f"{text} from {Tp.SignalledMessage.get_sender(echo).get_identifier()} pending={len(chan.dup_pending_messages())}")

# 6. Acknowledge, close, disconnect.
wait_for(lambda done: chan.ack_message_async(echo, lambda o, r: done(finish(o, "ack_message_finish", r))), "ack")
if chan.dup_pending_messages():
    fail("the echo is still pending after acknowledging it")
step("acknowledged", "pending=0")
wait_for(lambda done: chan.close_async(lambda o, r: done(finish(o, "close_finish", r))), "close")
step("closed", chan_path)
wait_for(lambda done: conn.disconnect_async(lambda o, r: done(finish(o, "disconnect_finish", r))), "disconnect")
step("disconnected", conn_path)
