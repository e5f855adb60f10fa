"""What the telepathy-glib test clients share: the GLib main loop, step output, failing, and
waiting for one asynchronous telepathy-glib call with a deadline.

Imported by mission_control_client.py and telepathy_glib_client.py (Python finds it because it
sits beside the script being run). Importing it loads TelepathyGLib 0.12 through introspection.
"""
import sys

import gi

gi.require_version("TelepathyGLib", "0.12")
from gi.repository import GLib  # noqa: E402
from gi.repository import TelepathyGLib as Tp  # noqa: E402,F401  (re-exported for the clients)

loop = GLib.MainLoop()


def step(name, detail=""):
    print(f"{name}: {detail}", flush=True)


def fail(why):
    print(f"FAILED: {why}", flush=True)
    sys.exit(1)


def wait_for(start, what, timeout=10):
    """Run the main loop until `start(done)` calls done(value); return that value."""
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
    """Call `obj.method(result)` (an *_finish call); a GLib error fails the run."""
    try:
        return getattr(obj, method)(result)
    except GLib.Error as e:
        fail(f"{method}: {e.message}")
