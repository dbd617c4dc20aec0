#!/usr/bin/env bash
# Installs the Debian packages the platform and its tests need, when they are missing:
# Chromium for the browser tests, WeasyPrint's libraries, libmagic, fonts.
set -euo pipefail
packages=(chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libmagic1 fonts-dejavu-core gettext postgresql-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Paquets système manquants : ${missing[*]} — installez-les (sudo apt-get install ${missing[*]})." >&2
  exit 1
fi
echo "Installation des paquets système : ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
