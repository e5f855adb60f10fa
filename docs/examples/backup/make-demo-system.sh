#!/usr/bin/env bash
# make-demo-system.sh DIR: a tiny Linux system image under DIR for trying what-to-backup.
# Two real rpm packages are built and installed into DIR with its own rpm database:
# "filesystem" owns the top folders (as on Fedora), "greeter" a program, its config and docs.
# Then the system is used a little: the config edited, a script added, a home folder filled.
set -euo pipefail
root=$(realpath -m "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build NAME FILES-SECTION: an rpm of everything staged under $work/NAME.
build() {
  cat >"$work/$1.spec" <<SPEC
Name: $1
Version: 1.0
Release: 1
Summary: $1 for the what-to-backup guide
License: MIT
BuildArch: noarch
AutoReqProv: no
%define __os_install_post %{nil}
%define _build_id_links none
%description
A package for the what-to-backup guide.
%install
cp -a "$work/$1/." "%{buildroot}/"
%files
$2
SPEC
  rpmbuild --quiet --define "_topdir $work/build" -bb "$work/$1.spec"
}

mkdir -p "$work"/filesystem/{etc,home,usr/bin,usr/share,usr/local/bin,var/cache,var/lib}
build filesystem '%dir /etc
%dir /home
%dir /usr
%dir /usr/bin
%dir /usr/share
%dir /usr/local
%dir /usr/local/bin
%dir /var
%dir /var/cache
%dir /var/lib'

mkdir -p "$work"/greeter/{etc/greeter,usr/bin,usr/share/greeter}
echo 'greeting=hello' >"$work/greeter/etc/greeter/greeter.conf"
echo 'volume=normal' >"$work/greeter/etc/greeter/defaults"
printf '#!/bin/sh\necho hello\n' >"$work/greeter/usr/bin/greet"
echo 'Greeter says hello.' >"$work/greeter/usr/share/greeter/README"
build greeter '%dir /etc/greeter
%config(noreplace) /etc/greeter/greeter.conf
/etc/greeter/defaults
%attr(755,root,root) /usr/bin/greet
/usr/share/greeter'

mkdir -p "$root"
rpm --root "$root" --dbpath /var/lib/rpm --initdb
# (Debian's rpm warns that it is not the system's package manager: shown only if rpm fails.)
rpm --root "$root" --dbpath /var/lib/rpm -i --nodeps --noscripts "$work"/build/RPMS/noarch/*.rpm 2>"$work/rpm.log" ||
  { cat "$work/rpm.log" >&2; exit 1; }

# Living on the system: an edited config, a local script, a user's files, a cache.
echo 'greeting=bonjour' >"$root/etc/greeter/greeter.conf"
printf '#!/bin/sh\nbackup-my-stuff\n' >"$root/usr/local/bin/nightly"
chmod 755 "$root/usr/local/bin/nightly"
mkdir -p "$root/home/alice/photos" "$root/var/cache/greeter"
echo 'buy milk' >"$root/home/alice/notes.txt"
head -c 300000 /dev/zero >"$root/home/alice/photos/cave.jpg"
head -c 5000 /dev/zero >"$root/var/cache/greeter/index"
