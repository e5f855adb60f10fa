"""A chat client's part, through Mission Control: request a text channel for an account via the
ChannelDispatcher, handle it, send, get the echo back, acknowledge it and close the channel.

Usage: mission_control_client.py ACCOUNT_OBJECT_PATH CONTACT_ID
Each step prints `step: detail`; any failure exits 1. Needs Debian's /usr/bin/python3 and
DBUS_SESSION_BUS_ADDRESS pointing at the bus Mission Control runs on.
"""
import sys

import gi

gi.require_version("TelepathyGLib", "0.12")
from gi.repository import GLib  # noqa: E402
from gi.repository import TelepathyGLib as Tp  # noqa: E402

account_path, contact = sys.argv[1], sys.argv[2]
loop = GLib.MainLoop()


def step(name, detail=""):
    print(f"{name}: {detail}", flush=True)


def fail(why):
    print(f"FAILED: {why}", flush=True)
    sys.exit(1)


def wait_for(start, what, timeout=15):
    box = {}

    def done(*value):
        box["value"] = value
        loop.quit()

    def too_late():
        box["timeout"] = True
        loop.quit()
        return False

    timer = GLib.timeout_add_seconds(timeout, too_late)
    start(done)
    if "value" not in box and "timeout" not in box:
        loop.run()
    if "timeout" in box:
        fail(f"{what}: no answer within {timeout} s")
    GLib.source_remove(timer)
    return box["value"]


def finish(obj, method, result):
    try:
        return getattr(obj, method)(result)
    except GLib.Error as e:
        fail(f"{method}: {e.message}")


manager = Tp.AccountManager.dup()
wait_for(lambda done: manager.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare account manager")
account = manager.ensure_account(account_path)
wait_for(lambda done: account.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare account")
status = account.get_connection_status()[0]
presence = account.get_current_presence()[0]
if status != Tp.ConnectionStatus.CONNECTED or presence != Tp.ConnectionPresenceType.AVAILABLE or account.get_changing_presence():
    fail(f"account not settled: status={status} presence={presence} changing={account.get_changing_presence()}")
step("account", f"connected presence=available changing=False cm={account.get_cm_name()} protocol={account.get_protocol_name()}")

request = Tp.AccountChannelRequest.new_text(account, 0)
request.set_target_id(Tp.HandleType.CONTACT, contact)
channel, _context = wait_for(
    lambda done: request.ensure_and_handle_channel_async(None, lambda o, r: done(*finish(o, "ensure_and_handle_channel_finish", r))),
    "channel through the ChannelDispatcher",
)
if not isinstance(channel, Tp.TextChannel):
    fail(f"got a {type(channel).__name__}, not a TextChannel")
features = [Tp.Channel.get_feature_quark_core(), Tp.TextChannel.get_feature_quark_incoming_messages()]
wait_for(lambda done: channel.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare channel")
step("channel", f"{channel.get_identifier()} via the ChannelDispatcher")

received = []
channel.connect("message-received", lambda c, m: (received.append(m), loop.quit()))
message = Tp.ClientMessage.new_text(Tp.ChannelTextMessageType.NORMAL, "hello through Mission Control")
wait_for(lambda done: channel.send_message_async(message, 0, lambda o, r: done(finish(o, "send_message_finish", r))), "send")
if not received:
    wait_for(lambda done: channel.connect("message-received", lambda *a: done()), "echo")
echo = received[0]
step("received", f"{echo.to_text()[0]} from {Tp.SignalledMessage.get_sender(echo).get_identifier()}")
wait_for(lambda done: channel.ack_message_async(echo, lambda o, r: done(finish(o, "ack_message_finish", r))), "ack")
wait_for(lambda done: channel.close_async(lambda o, r: done(finish(o, "close_finish", r))), "close")
step("closed", "by its handler")
