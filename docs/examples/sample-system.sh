#!/bin/sh
# A tiny system tree in ./sys for the what-to-backup examples in docs/rules.md.
set -e
mkdir -p sys/etc sys/home/me/docs sys/home/me/.cache sys/home/me/.mozilla/firefox/x1.default \
  sys/var/lib/postgresql/16 sys/srv/app
printf 'hi\n' > sys/home/me/docs/notes
printf 'x\n' > sys/home/me/.cache/thumb
printf 'p\n' > sys/home/me/.mozilla/firefox/x1.default/prefs.js
printf 'db\n' > sys/var/lib/postgresql/16/base
printf 'gen\n' > sys/srv/app/generated.ini
printf 'data\n' > sys/srv/app/data
printf 'root:x:0:0::/root:/bin/sh\nme:x:4242:4242::/home/me:/bin/sh\n' > sys/etc/passwd
printf 'root:x:0:\nme:x:4242:\n' > sys/etc/group
