"""Call one D-Bus method with GLib's GDBus (through python3-gi) and print the outcome as JSON.

Usage: dbus_call.py ADDRESS DEST PATH INTERFACE MEMBER SIGNATURE ARGS
ARGS is the arguments tuple in GVariant text, e.g. "(<42>,)" or "('a', uint32 1)".
Prints {"caller": our unique name, "reply": the reply tuple in GVariant text with types} or
{"caller", "error": the D-Bus error name, "message": its text}. GDBus sends exactly the
signature given, so a test can send one that does not match the method.
"""
import json
import sys

from gi.repository import Gio, GLib

address, dest, path, iface, member, signature, args = sys.argv[1:8]
flags = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION
bus = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
out = {"caller": bus.get_unique_name()}
parameters = GLib.Variant.parse(GLib.VariantType(f"({signature})"), args, None, None) if signature else None
try:
    reply = bus.call_sync(dest, path, iface, member, parameters, None, Gio.DBusCallFlags.NONE, 10000, None)
    out["reply"] = reply.print_(True)
except GLib.Error as e:
    name = Gio.DBusError.get_remote_error(e)
    prefix = f"GDBus.Error:{name}: "
    out["error"] = name
    out["message"] = e.message[len(prefix):] if e.message.startswith(prefix) else e.message
print(json.dumps(out))
