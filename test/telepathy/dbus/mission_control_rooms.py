"""A room dialog's part, through Mission Control: check that the account's connection supports
text chat rooms (what "Join chat room" dialogs filter accounts on), list the rooms with
TpRoomList (which Mission Control's ChannelDispatcher hands to this process), then join one
through the ChannelDispatcher.

Usage: mission_control_rooms.py ACCOUNT_OBJECT_PATH
Each step prints `step: detail`; any failure exits 1. Needs Debian's /usr/bin/python3 and
DBUS_SESSION_BUS_ADDRESS pointing at the bus Mission Control runs on.
"""
import sys
from functools import partial

from tp_client_common import Tp, fail, finish, loop, step
from tp_client_common import wait_for as wait_for_10s

wait_for = partial(wait_for_10s, timeout=15)
manager = Tp.AccountManager.dup()
wait_for(lambda done: manager.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare account manager")
account = manager.ensure_account(sys.argv[1])
wait_for(lambda done: account.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare account")
connection = account.get_connection()
features = [Tp.Connection.get_feature_quark_capabilities()]
wait_for(lambda done: connection.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare connection")
capabilities = connection.get_capabilities()
step("capabilities", f"text-chatrooms={capabilities.supports_text_chatrooms()} room-list={capabilities.supports_room_list()[0]}")

# TpRoomList asks the ChannelDispatcher for a RoomList channel and handles it itself. Built as a
# GObject rather than with new_async, whose server argument cannot be None from Python: any string
# there would request RoomList.Server, which echo rooms (on no server) do not offer.
room_list = Tp.RoomList(account=account)
wait_for(lambda done: room_list.init_async(0, None, lambda o, r: done(finish(o, "init_finish", r))), "room list")
rooms = []
room_list.connect("got-room", lambda _l, room: rooms.append(room))
room_list.connect("failed", lambda _l, error: fail(f"listing: {error.message}"))
room_list.connect("notify::listing", lambda l, _p: None if l.is_listing() else loop.quit())
room_list.start()
if room_list.is_listing() or not rooms:
    loop.run()
# get_members_count takes its "known" out-argument as an in-argument through introspection.
step("rooms", " ".join(f"{r.get_handle_name()}({r.get_members_count(False)})" for r in rooms))

request = Tp.AccountChannelRequest.new_text(account, 0)
request.set_target_id(Tp.HandleType.ROOM, rooms[0].get_handle_name())
channel, _context = wait_for(
    lambda done: request.ensure_and_handle_channel_async(None, lambda o, r: done(*finish(o, "ensure_and_handle_channel_finish", r))),
    "room through the ChannelDispatcher",
)
group = [Tp.Channel.get_feature_quark_core(), Tp.Channel.get_feature_quark_group(), Tp.Channel.get_feature_quark_contacts()]
wait_for(lambda done: channel.prepare_async(group, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare room")
step("joined", f"{channel.get_identifier()} members={sorted(c.get_identifier() for c in channel.group_dup_members_contacts())}")
wait_for(lambda done: channel.leave_async(Tp.ChannelGroupChangeReason.NONE, "", lambda o, r: done(finish(o, "leave_finish", r))), "leave")
step("left", channel.get_identifier())
