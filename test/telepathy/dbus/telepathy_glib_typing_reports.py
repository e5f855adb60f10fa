"""telepathy-glib (through GObject introspection) on cave's typing and delivery reports.

Against cave on DBUS_SESSION_BUS_ADDRESS (activatable, with its .manager file on XDG_DATA_DIRS):
opens text channels with TpTextChannel's chat-states feature, types (the echo contact mirrors
it), sends with Report_Delivery (a Delivered report, then the echo), then writes to
fail@example.com (a Permanently_Failed report carrying the message). Each step prints one line
`step: detail`; any failure exits 1.
"""
from tp_client_common import Tp, fail, finish, loop, step, wait_for
from gi.repository import Gio, GLib, GObject  # noqa: E402  (after the module that pins gi versions)

TP = "org.freedesktop.Telepathy"
session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
factory = Tp.AutomaticClientFactory.new(Tp.DBusDaemon.dup())


def call(bus_name, path, iface, member, args, reply_type):
    return session.call_sync(bus_name, path, iface, member, args, GLib.VariantType(reply_type), Gio.DBusCallFlags.NONE, 10000, None).unpack()


def gvalues(props):
    """Immutable properties as telepathy-glib takes them, so it builds a TpTextChannel."""
    kinds = {bool: GObject.TYPE_BOOLEAN, int: GObject.TYPE_UINT, str: GObject.TYPE_STRING}
    out = {key: GObject.Value(kinds[type(value)], value) for key, value in props.items() if type(value) in kinds}
    out.update({key: GObject.Value(GObject.TYPE_STRV, value) for key, value in props.items() if isinstance(value, list) and all(isinstance(v, str) for v in value)})
    return out


def until(condition, what, timeout=10):
    """Let the main loop run until condition() holds."""
    context = loop.get_context()
    deadline = GLib.get_monotonic_time() + timeout * 1_000_000
    while not condition():
        if GLib.get_monotonic_time() > deadline:
            fail(f"{what}: not within {timeout} s")
        context.iteration(False) or GLib.usleep(5_000)


cm = Tp.ConnectionManager.new(Tp.DBusDaemon.dup(), "cave", None)
wait_for(lambda done: cm.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare CM")
bus_name, conn_path = call(cm.get_bus_name(), cm.get_object_path(), f"{TP}.ConnectionManager", "RequestConnection",
                           GLib.Variant("(sa{sv})", ("echo", {"account": GLib.Variant("s", "typist@example.com")})), "(so)")
conn = factory.ensure_connection(conn_path, {})
call(bus_name, conn_path, f"{TP}.Connection", "Connect", None, "()")
wait_for(lambda done: conn.prepare_async([Tp.Connection.get_feature_quark_connected()], lambda o, r: done(finish(o, "prepare_finish", r))), "connect")


def channel_to(contact_id):
    """A prepared TpTextChannel to contact_id, and the messages it receives (a live list)."""
    request = {
        f"{TP}.Channel.ChannelType": GLib.Variant("s", f"{TP}.Channel.Type.Text"),
        f"{TP}.Channel.TargetHandleType": GLib.Variant("u", 1),
        f"{TP}.Channel.TargetID": GLib.Variant("s", contact_id),
    }
    path, props = call(bus_name, conn_path, f"{TP}.Connection.Interface.Requests", "CreateChannel", GLib.Variant("(a{sv})", (request,)), "(oa{sv})")
    chan = factory.ensure_channel(conn, path, gvalues(props))
    features = [Tp.Channel.get_feature_quark_core(), Tp.TextChannel.get_feature_quark_chat_states(), Tp.TextChannel.get_feature_quark_incoming_messages()]
    wait_for(lambda done: chan.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare channel")
    received = []
    chan.connect("message-received", lambda c, m: received.append(m))
    return chan, received


# 1. Typing: the echo contact mirrors it.
chan, received = channel_to("bob@example.com")
step("reporting", f"support={int(chan.get_delivery_reporting_support())}")
bob = chan.get_target_contact()
wait_for(lambda done: chan.set_chat_state_async(Tp.ChannelChatState.COMPOSING, lambda o, r: done(finish(o, "set_chat_state_finish", r))), "set chat state")
until(lambda: chan.get_chat_state(bob) == Tp.ChannelChatState.COMPOSING, "bob composing")
step("typing", f"bob={int(chan.get_chat_state(bob))}")

# 2. A Delivered report for a message sent with Report_Delivery, then the echo; bob is active again.
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, "did you get it?")
token = wait_for(lambda done: chan.send_message_async(message, Tp.MessageSendingFlags.DELIVERY, lambda o, r: done(finish(o, "send_message_finish", r))), "send")[0][1]
until(lambda: len(received) >= 2, "report and echo")
report, echo = received[0], received[1]
header = report.dup_part(0).unpack()
if report.get_message_type() != Tp.ChannelTextMessageType.DELIVERY_REPORT or header.get("delivery-token") != token:
    fail(f"first came type {report.get_message_type()} {header}, not a report on {token}")
step("delivered", f"status={header['delivery-status']} then={echo.to_text()[0]!r} bob={int(chan.get_chat_state(bob))}")

# 3. A contact that cannot receive: a Permanently_Failed report with the message, and no echo.
failing, failed = channel_to("fail@example.com")
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, "anyone there?")
wait_for(lambda done: failing.send_message_async(message, 0, lambda o, r: done(finish(o, "send_message_finish", r))), "send to fail")
until(lambda: failed, "failure report")
header = failed[0].dup_part(0).unpack()
step("failed", f"status={header['delivery-status']} error={header['delivery-error']} echo={header['delivery-echo'][1]['content']!r} messages={len(failed)}")
wait_for(lambda done: conn.disconnect_async(lambda o, r: done(finish(o, "disconnect_finish", r))), "disconnect")
step("disconnected", conn_path)
