"""List every Telepathy connection manager and its protocols, as a Telepathy client sees them.

telepathy-glib reads the .manager files in $XDG_DATA_HOME and $XDG_DATA_DIRS (telepathy/managers)
and asks the bus which connection managers are activatable; nothing is started.
Run it with the system's Python, which has python3-gi: /usr/bin/python3 list_managers.py
"""
import gi

gi.require_version("TelepathyGLib", "0.12")
from gi.repository import GLib  # noqa: E402
from gi.repository import TelepathyGLib as Tp  # noqa: E402

loop = GLib.MainLoop()


def describe(param):
    required = ", required" if param.is_required() else ""
    return f"{param.get_name()} ({param.get_dbus_signature()}{required})"


def listed(source, result):
    for cm in Tp.list_connection_managers_finish(result):
        for protocol in cm.dup_protocols():
            params = ", ".join(describe(p) for p in protocol.dup_params())
            print(f"{cm.get_name()}/{protocol.get_name()} \"{protocol.get_english_name()}\": {params}")
            print(f"  from its .manager file: {cm.get_info_source() == Tp.CMInfoSource.FILE}, running: {cm.is_running()}")
    loop.quit()


Tp.list_connection_managers_async(Tp.DBusDaemon.dup(), listed)
loop.run()
