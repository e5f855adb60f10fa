#!/usr/bin/env bash
# watch-bus.sh [--headers] COMMAND...: run COMMAND while dbus-monitor records the session bus,
# then print COMMAND's output and the Telepathy traffic it caused, as dbus-monitor printed it.
# --headers: one line per message (its kind, sender, destination, interface and member), without
# arguments, times or serial numbers: the shape of a long conversation.
# Waits 0.5 s (WATCH_BUS_LINGER) after COMMAND for what arrives later, such as the echo.
# Left out: the bus daemon's own chatter (Hello, NameAcquired, match rules) and Introspect calls,
# which gdbus makes before every call, and this script's own end marker. NameOwnerChanged for
# Telepathy names is kept.
set -uo pipefail
headers=0
if [ "${1:-}" = --headers ]; then headers=1; shift; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dbus-monitor --session >"$log" 2>&1 &
monitor=$!
# The monitor is listening once the bus has taken its name away (NameLost for itself).
for _ in $(seq 100); do grep -q 'member=NameLost' "$log" && break; sleep 0.05; done
"$@"
status=$?
# The contact's answers (the echo, delivery reports, its typing) arrive a moment after the reply,
# as a real contact's would: give them time to be recorded too.
sleep "${WATCH_BUS_LINGER:-0.5}"
# Everything the command caused reached the bus before the command got its answers; a marker sent
# now is recorded after all of it. Stop once the monitor has seen the marker.
gdbus emit --session --object-path /watch_bus --signal org.cave.WatchBus.End >/dev/null
for _ in $(seq 100); do grep -q 'member=End$' "$log" && break; sleep 0.05; done
kill "$monitor"
wait "$monitor" 2>/dev/null
echo "--- bus traffic"
awk -v headers="$headers" '
  function flush() { if (msg != "" && keep) printf "%s", msg; msg = "" }
  /^(method call|method return|signal|error) / {
    flush()
    keep = 1
    if ($0 ~ /sender=org\.freedesktop\.DBus / || $0 ~ /destination=org\.freedesktop\.DBus /) keep = 0
    if ($0 ~ /member=NameOwnerChanged/) { keep = 2 }
    if ($0 ~ /interface=org\.cave\.WatchBus;/) keep = 0
    if ($0 ~ /interface=org\.freedesktop\.DBus\.Introspectable/) {
      keep = 0
      match($0, /sender=[^ ]+/); s = substr($0, RSTART + 7, RLENGTH - 7)
      match($0, / serial=[0-9]+/); n = substr($0, RSTART + 8, RLENGTH - 8)
      skip[s " " n] = 1
    }
    if ($0 ~ /^(method return|error) /) {
      match($0, /destination=[^ ]+/); d = substr($0, RSTART + 12, RLENGTH - 12)
      match($0, /reply_serial=[0-9]+/); r = substr($0, RSTART + 13, RLENGTH - 13)
      if ((d " " r) in skip) keep = 0
    }
    msg = $0 "\n"
    if (headers) {
      line = $0
      gsub(/ time=[0-9.]+| serial=[0-9]+| reply_serial=[0-9]+| path=[^;]*;/, "", line)
      msg = line "\n"
    }
    next
  }
  {
    if (keep == 2) keep = ($0 ~ /string "org\.freedesktop\.Telepathy\./) ? 1 : 0
    if (!headers) msg = msg $0 "\n"
  }
  END { flush() }
' "$log"
exit "$status"
