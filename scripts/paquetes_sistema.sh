#!/usr/bin/env bash
# Debian packages the portal and its tests need (WeasyPrint's libraries, poppler, Chromium for browser tests).
# Idempotent: installs only what is missing. Needs root (or sudo) the first time.
# Extra packages as arguments (`make bench` passes wrk, the load generator of bench/).
set -euo pipefail
paquetes=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium "$@")
faltan=()
for p in "${paquetes[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || faltan+=("$p"); done
[ ${#faltan[@]} -eq 0 ] && exit 0
echo "Instalando paquetes del sistema: ${faltan[*]}"
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${faltan[@]}" >/dev/null
