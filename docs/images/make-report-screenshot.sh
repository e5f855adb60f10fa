#!/usr/bin/env bash
# make-report-screenshot.sh: remakes docs/images/what-to-backup-report.png, the report page of the
# guide's demo system (docs/what-to-backup.md, "A page to look at"), as Debian's chromium shows
# it at 1280x800, with the area set to "save + unmodified" and the pointer on the edited config.
# Run from the repository after `npm run build`.
set -euo pipefail
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
docs/examples/backup/make-demo-system.sh "$work/system"
printf '*.jpg\n' >"$work/exclude"
node dist/bin/what-to-backup.js --root "$work/system" --exclude-from "$work/exclude" --html "$work/report.html" >/dev/null 2>&1
node --input-type=module - "$work/report.html" "$repo/docs/images/what-to-backup-report.png" <<'JS'
import { chromium } from 'playwright-core';
const [file, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`file://${file}`);
await page.getByLabel('save + unmodified').check();
await page.waitForTimeout(300); // the map is laid out again after the switch
await page.mouse.move(700, 380); // over /etc/greeter/greeter.conf: the panel shows its reason
await page.waitForTimeout(300);
await page.screenshot({ path: out });
await browser.close();
JS
