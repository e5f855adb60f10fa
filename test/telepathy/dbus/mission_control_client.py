"""A chat client's part, through Mission Control: request a text channel for an account via the
ChannelDispatcher, handle it, send, get the echo back, acknowledge it and close the channel.

Usage: mission_control_client.py ACCOUNT_OBJECT_PATH CONTACT_ID
Each step prints `step: detail`; any failure exits 1. Needs Debian's /usr/bin/python3 and
DBUS_SESSION_BUS_ADDRESS pointing at the bus Mission Control runs on.
"""
import sys
from functools import partial

from tp_client_common import Tp, fail, finish, loop, step
from tp_client_common import wait_for as wait_for_10s

account_path, contact = sys.argv[1], sys.argv[2]
# 15 s a step rather than the common 10: Mission Control starts the CM and the handler on demand.
wait_for = partial(wait_for_10s, timeout=15)

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
