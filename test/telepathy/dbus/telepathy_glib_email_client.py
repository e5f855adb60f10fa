"""telepathy-glib (0.24, through GObject introspection) chatting by mail through cave's `email` protocol.

Requests and connects an `email` connection, opens a text channel to the contact, sends one
message, reports the delivery report it gets, then waits for the contact's reply and acknowledges
it. Each step prints one line `step: detail`; any failure exits 1. The account's parameters come
from the environment (CAVE_EMAIL_ACCOUNT, CAVE_EMAIL_PASSWORD, CAVE_EMAIL_HOST, CAVE_EMAIL_IMAP_PORT,
CAVE_EMAIL_SMTP_PORT), the contact from argv[1].
"""
import os
import sys

from tp_client_common import Tp, fail, finish, loop, step, wait_for
from gi.repository import Gio, GLib, GObject  # noqa: E402  (after the module that pins gi versions)

TP = "org.freedesktop.Telepathy"
CM_NAME, CM_PATH = f"{TP}.ConnectionManager.cave", "/org/freedesktop/Telepathy/ConnectionManager/cave"
CONTACT = sys.argv[1]
env = os.environ


def call(bus_name, path, iface, member, args, reply_type):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    try:
        return bus.call_sync(bus_name, path, iface, member, args, GLib.VariantType(reply_type), Gio.DBusCallFlags.NONE, 20000, None).unpack()
    except GLib.Error as e:
        fail(f"{member}: {e.message}")


dbus = Tp.DBusDaemon.dup()
factory = Tp.AutomaticClientFactory.new(dbus)
parameters = {
    "account": GLib.Variant("s", env["CAVE_EMAIL_ACCOUNT"]),
    "password": GLib.Variant("s", env["CAVE_EMAIL_PASSWORD"]),
    "imap-server": GLib.Variant("s", env["CAVE_EMAIL_HOST"]),
    "imap-port": GLib.Variant("q", int(env["CAVE_EMAIL_IMAP_PORT"])),
    "smtp-server": GLib.Variant("s", env["CAVE_EMAIL_HOST"]),
    "smtp-port": GLib.Variant("q", int(env["CAVE_EMAIL_SMTP_PORT"])),
}
bus_name, conn_path = call(CM_NAME, CM_PATH, f"{TP}.ConnectionManager", "RequestConnection",
                           GLib.Variant("(sa{sv})", ("email", parameters)), "(so)")
conn = factory.ensure_connection(conn_path, {})
call(bus_name, conn_path, f"{TP}.Connection", "Connect", None, "()")
wait_for(lambda done: conn.prepare_async([Tp.Connection.get_feature_quark_connected()],
                                         lambda o, r: done(finish(o, "prepare_finish", r))), "connect", 30)
if (conn.get_protocol_name(), conn.get_status()[0]) != ("email", Tp.ConnectionStatus.CONNECTED):
    fail(f"protocol {conn.get_protocol_name()} status {conn.get_status()}")
step("connected", f"self={conn.get_self_contact().get_identifier()}")

request = {
    f"{TP}.Channel.ChannelType": GLib.Variant("s", f"{TP}.Channel.Type.Text"),
    f"{TP}.Channel.TargetHandleType": GLib.Variant("u", 1),
    f"{TP}.Channel.TargetID": GLib.Variant("s", CONTACT),
}
chan_path, props = call(bus_name, conn_path, f"{TP}.Connection.Interface.Requests", "CreateChannel",
                    GLib.Variant("(a{sv})", (request,)), "(oa{sv})")
# telepathy-glib picks its channel class from the immutable properties, as GValues.
kinds = {bool: GObject.TYPE_BOOLEAN, int: GObject.TYPE_UINT, str: GObject.TYPE_STRING}
chan = factory.ensure_channel(conn, chan_path, {
    k: GObject.Value(GObject.TYPE_STRV, v) if isinstance(v, list) else GObject.Value(kinds[type(v)], v)
    for k, v in props.items() if type(v) in kinds or (isinstance(v, list) and all(isinstance(s, str) for s in v))})
features = [Tp.Channel.get_feature_quark_core(), Tp.TextChannel.get_feature_quark_incoming_messages()]
wait_for(lambda done: chan.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare channel")
step("channel", f"{chan.get_identifier()} delivery-reporting={int(chan.get_delivery_reporting_support())}")

reports, chat = [], []


def on_message(_channel, message):
    (reports if message.get_message_type() == Tp.ChannelTextMessageType.DELIVERY_REPORT else chat).append(message)
    loop.quit()


chan.connect("message-received", on_message)
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, "hello alice, from telepathy-glib")
wait_for(lambda done: chan.send_message_async(message, 0, lambda o, r: done(finish(o, "send_message_finish", r))), "send")
step("sent", "hello alice, from telepathy-glib")


def until(condition, what, timeout):
    context = loop.get_context()
    deadline = GLib.get_monotonic_time() + timeout * 1_000_000
    while not condition():
        if GLib.get_monotonic_time() > deadline:
            fail(f"{what}: not within {timeout} s")
        context.iteration(False) or GLib.usleep(10_000)


until(lambda: reports, "delivery report", 20)
header = reports[0].dup_part(0).unpack()
step("report", f"delivery-status={header.get('delivery-status')} is-report={reports[0].is_delivery_report()}")
until(lambda: chat, "reply", 30)
reply = chat[0]
step("received", f"{reply.to_text()[0]!r} from {Tp.SignalledMessage.get_sender(reply).get_identifier()}")
wait_for(lambda done: chan.ack_message_async(reply, lambda o, r: done(finish(o, "ack_message_finish", r))), "ack")
step("acknowledged", f"pending={len([m for m in chan.dup_pending_messages() if m not in reports])}")
wait_for(lambda done: conn.disconnect_async(lambda o, r: done(finish(o, "disconnect_finish", r))), "disconnect")
step("disconnected", conn_path)
