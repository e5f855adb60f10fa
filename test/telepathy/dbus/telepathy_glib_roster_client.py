"""A real telepathy-glib client reading cave's roster (telepathy-glib 0.24 through introspection).

It connects an echo account, prepares the contact list and groups features, and reads the
built-in contacts with their subscription states, aliases, groups and avatars (the avatar-data
feature makes telepathy-glib fetch each picture with RequestAvatars and cache it as a file). Then
it asks bob for his presence (RequestSubscription) and waits until bob accepts, and sets its own
avatar. Each step prints one line `step: detail`; any failure exits 1. Run with Debian's
/usr/bin/python3, DBUS_SESSION_BUS_ADDRESS set to a private bus where cave is activatable, and
XDG_CACHE_HOME pointing at an empty folder.
"""
from tp_client_common import Tp, fail, finish, loop, step, wait_for
from gi.repository import Gio, GLib  # noqa: E402  (after the module that pins gi versions)

TP = "org.freedesktop.Telepathy"
CM_NAME = f"{TP}.ConnectionManager.cave"
CM_PATH = "/org/freedesktop/Telepathy/ConnectionManager/cave"
PNG = b"\x89PNG\r\n\x1a\n"


def call(bus_name, path, iface, member, args, reply_type):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
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


dbus = Tp.DBusDaemon.dup()
factory = Tp.AutomaticClientFactory.new(dbus)
factory.add_contact_features([Tp.ContactFeature.ALIAS, Tp.ContactFeature.AVATAR_TOKEN, Tp.ContactFeature.AVATAR_DATA,
                              Tp.ContactFeature.SUBSCRIPTION_STATES, Tp.ContactFeature.CONTACT_GROUPS, Tp.ContactFeature.PRESENCE])

# 1. Connect, with the contact list and its groups prepared.
bus_name, conn_path = call(CM_NAME, CM_PATH, f"{TP}.ConnectionManager", "RequestConnection",
                           GLib.Variant("(sa{sv})", ("echo", {"account": GLib.Variant("s", "roster@example.com")})), "(so)")
conn = factory.ensure_connection(conn_path, {})
call(bus_name, conn_path, f"{TP}.Connection", "Connect", None, "()")
features = [Tp.Connection.get_feature_quark_connected(), Tp.Connection.get_feature_quark_contact_list(),
            Tp.Connection.get_feature_quark_contact_groups()]
wait_for(lambda done: conn.prepare_async(features, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare connection")
state = conn.get_contact_list_state()
if state != Tp.ContactListState.SUCCESS:
    fail(f"contact list state {state}")
step("contact-list", f"state=success can-change={conn.get_can_change_contact_list()} groups={conn.get_contact_groups()}")

# 2. The built-in contacts, as a contact list window shows them.
YES = Tp.SubscriptionState.YES
contacts = {c.get_identifier(): c for c in conn.dup_contact_list()}
for identifier in sorted(contacts):
    c = contacts[identifier]
    states = "yes" if (c.get_subscribe_state(), c.get_publish_state()) == (YES, YES) else f"{c.get_subscribe_state()}/{c.get_publish_state()}"
    step("contact", f"{identifier} alias={c.get_alias()} groups={c.get_contact_groups()} subscription={states} "
                    f"presence={c.get_presence_status()}")

# 3. Their pictures: tokens come with the contacts, the data is fetched and cached as files.
until(lambda: all(c.get_avatar_file() is not None for c in contacts.values()), "avatar files")
for identifier in sorted(contacts):
    c = contacts[identifier]
    data = c.get_avatar_file().load_bytes(None)[0].get_data()
    if not data.startswith(PNG):
        fail(f"{identifier}'s avatar file is not a PNG")
    step("avatar", f"{identifier} {c.get_avatar_mime_type()} bytes={len(data)} token-length={len(c.get_avatar_token())}")

# 4. Ask bob for his presence: he is on the list at once, and accepts.
bob = wait_for(lambda done: conn.dup_contact_by_id_async("bob@example.com", [], lambda o, r: done(finish(o, "dup_contact_by_id_finish", r))),
               "bob")[0]
wait_for(lambda done: bob.request_subscription_async("Hello, Bob", lambda o, r: done(finish(o, "request_subscription_finish", r))),
         "request subscription")
until(lambda: bob.get_subscribe_state() == YES, "bob accepts")
until(lambda: "bob@example.com" in [c.get_identifier() for c in conn.dup_contact_list()], "bob on the list")
step("subscribed", f"bob@example.com subscribe=yes publish-request={bob.get_publish_request()!r} alias={bob.get_alias()}")

# 5. Our own picture, kept for the connection: the self contact's token follows.
me = conn.get_self_contact()
token = call(bus_name, conn_path, f"{TP}.Connection.Interface.Avatars", "SetAvatar",
             GLib.Variant("(ays)", (PNG, "image/png")), "(s)")[0]
until(lambda: me.get_avatar_token() == token, "own avatar token")
step("own-avatar", f"token-length={len(token)}")

wait_for(lambda done: conn.disconnect_async(lambda o, r: done(finish(o, "disconnect_finish", r))), "disconnect")
step("disconnected", conn_path)
