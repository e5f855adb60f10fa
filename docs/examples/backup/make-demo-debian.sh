#!/usr/bin/env bash
# make-demo-debian.sh DIR: a tiny Debian system image under DIR for trying what-to-backup.
# One real .deb package ("greeter": a program, a conffile, docs) is built with dpkg-deb and
# installed into DIR with its own dpkg database; then the conffile is edited and a file added.
set -euo pipefail
root=$(realpath -m "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pkg="$work/greeter"
mkdir -p "$pkg/DEBIAN" "$pkg/etc/greeter" "$pkg/usr/bin" "$pkg/usr/share/doc/greeter"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: greeter
Version: 1.0
Architecture: all
Maintainer: cave <cave@example.invalid>
Description: greeter for the what-to-backup guide
CONTROL
echo /etc/greeter/greeter.conf >"$pkg/DEBIAN/conffiles"
echo 'greeting=hello' >"$pkg/etc/greeter/greeter.conf"
printf '#!/bin/sh\necho hello\n' >"$pkg/usr/bin/greet"
chmod 755 "$pkg/usr/bin/greet"
echo 'Greeter says hello.' >"$pkg/usr/share/doc/greeter/README"
(cd "$pkg" && find etc usr -type f -exec md5sum {} + >DEBIAN/md5sums)
dpkg-deb --build --root-owner-group "$pkg" "$work/greeter.deb" >/dev/null

admin="$root/var/lib/dpkg"
mkdir -p "$admin/info" "$admin/updates"
touch "$admin/status" "$admin/available"
# Not the host's root, no maintainer scripts, no dependencies: a plain image for the guide.
dpkg --root="$root" --admindir="$admin" --force-not-root --force-script-chrootless \
  --log=/dev/null --install "$work/greeter.deb" >/dev/null

# The system in use: the conffile edited, a script of the admin's own.
echo 'greeting=hi there' >"$root/etc/greeter/greeter.conf"
mkdir -p "$root/usr/local/bin"
printf '#!/bin/sh\nbackup-now\n' >"$root/usr/local/bin/nightly"
