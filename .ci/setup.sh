#!/usr/bin/env bash
# `npm run setup`: install what cave's programs and tests need on a fresh machine, then the npm
# packages and the build. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' .ci/system-packages.txt)

# Fedora names for the same needs.
declare -A fedora=(
  [dbus-daemon]=dbus-daemon [libglib2.0-bin]=glib2 [rpm]=rpm-build [python3]=python3
  [python3-gi]=python3-gobject [gir1.2-telepathyglib-0.12]=telepathy-glib
  [telepathy-mission-control-5]=telepathy-mission-control [chromium]=chromium [rsync]=rsync [restic]=restic
  [dbus-bin]=dbus-tools
  # KDE Telepathy is not packaged for Fedora any more: its test (and what only it uses) needs Debian.
  [kde-telepathy-text-ui]= [telepathy-logger]= [xvfb]= [xdotool]= [x11-apps]= [netpbm]=
  [dovecot-core]=dovecot [dovecot-imapd]=dovecot [dovecot-lmtpd]=dovecot [postfix]=postfix [openssl]=openssl
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    # Postfix must not write a system-wide /etc/postfix/main.cf: the tests run their own.
    if command -v debconf-set-selections >/dev/null; then
      echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
    fi
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
       ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"; then
      echo "setup: could not install these Debian packages (run as root, or with sudo): ${missing[*]}" >&2
      exit 1
    fi
  fi
elif command -v rpm >/dev/null && command -v dnf >/dev/null; then
  for pkg in "${wanted[@]}"; do
    name=${fedora[$pkg]-$pkg}  # most packages share their name on Fedora
    [ -n "$name" ] || continue  # none there
    rpm -q "$name" >/dev/null 2>&1 || missing+=("$name")
  done
  if [ ${#missing[@]} -gt 0 ] && ! as_root dnf install -y "${missing[@]}"; then
    echo "setup: could not install these Fedora packages (run as root, or with sudo): ${missing[*]}" >&2
    exit 1
  fi
else
  echo "setup: no apt-get or dnf here; install by hand: ${wanted[*]}" >&2
  exit 1
fi

npm ci --no-audit --no-fund
npm run build --silent
echo "setup: done"
