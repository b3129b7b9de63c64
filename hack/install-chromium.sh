#!/usr/bin/env bash
# Installs Debian's Chromium and a CJK font (so Chinese pages render as
# text, not boxes) when either is missing and this user can (root, or
# password-less sudo). Never fails: the browser suites skip, saying why,
# when there is still no Chromium. Usage: hack/install-chromium.sh CHROMIUM_PATH
set -uo pipefail
chromium=${1:-/usr/bin/chromium}
if [ -x "$chromium" ] && fc-list 2>/dev/null | grep -qi -e 'wenquanyi' -e 'noto sans cjk'; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then install=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then install=(sudo -n apt-get)
else
  echo "install-chromium: Chromium or a CJK font is missing and this user cannot install them (not root, no password-less sudo): the browser suites will be skipped"
  exit 0
fi
echo "install-chromium: installing Debian's chromium and fonts-wqy-zenhei"
pkgs=(chromium fonts-dejavu-core fonts-wqy-zenhei)
DEBIAN_FRONTEND=noninteractive "${install[@]}" install -y --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
  { "${install[@]}" update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive "${install[@]}" install -y --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1; } ||
  echo "install-chromium: could not install chromium (apt-get failed): the browser suites will be skipped"
exit 0
