#!/usr/bin/env bash
# mission-control-on-this-bus.sh: make Mission Control activatable on a private session bus whose
# service folder is $XDG_DATA_HOME/dbus-1/services (on a desktop it is already there: skip this).
# Mission Control then keeps its accounts under this $HOME, never the user's real ones.
set -euo pipefail
services="${XDG_DATA_HOME:-$HOME/.local/share}/dbus-1/services"
exec_line=$(sed -n 's/^Exec=//p' /usr/share/dbus-1/services/org.freedesktop.Telepathy.AccountManager.service)
for name in AccountManager MissionControl5 ChannelDispatcher; do
  # No SystemdService line: a private bus has no systemd to ask.
  cat >"$services/org.freedesktop.Telepathy.$name.service" <<SERVICE
[D-BUS Service]
Name=org.freedesktop.Telepathy.$name
Exec=/usr/bin/env HOME=$HOME XDG_DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share} XDG_CONFIG_HOME=${XDG_CONFIG_HOME:-$HOME/.config} XDG_CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache} GSETTINGS_BACKEND=memory $exec_line
SERVICE
done
echo "Mission Control is activatable on this bus"
