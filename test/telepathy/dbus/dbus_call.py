"""Call one D-Bus method with python3-dbus and print what came back as JSON.

Usage: dbus_call.py ADDRESS DEST PATH INTERFACE MEMBER SIGNATURE JSON_ARGS
Prints {"caller": our unique name, "reply": repr of the reply} or {"caller", "error", "message"}.
The repr keeps python-dbus's type names (dbus.UInt32 …), which is what the tests check.
"""
import json
import sys

import dbus

address, dest, path, iface, member, signature, args = sys.argv[1:8]
bus = dbus.bus.BusConnection(address)
out = {"caller": bus.get_unique_name()}
try:
    method = bus.get_object(dest, path, introspect=False).get_dbus_method(member, iface)
    reply = method(*json.loads(args), signature=signature)
    out["reply"] = repr(reply)
except dbus.exceptions.DBusException as e:
    out["error"] = e.get_dbus_name()
    out["message"] = e.get_dbus_message()
print(json.dumps(out))
