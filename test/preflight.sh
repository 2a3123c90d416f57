#!/usr/bin/env bash
# The first step of `npm test`: are the Debian packages the tests need installed? If not, say
# which and the one command that installs them all, within seconds instead of minutes into a run.
# The list is .ci/system-packages, the same one CI installs from.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' -e 's/[[:space:]]//g' "$root/.ci/system-packages")
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "preflight: not a Debian system (no dpkg-query): cannot check for ${pkgs[*]}; the tests may fail without them" >&2
  exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "preflight: missing Debian packages the tests need: ${missing[*]}"
    echo "install them all with:"
    if [ "$(id -u)" -eq 0 ]; then echo "  bash .ci/install-system-packages"; else echo "  sudo bash .ci/install-system-packages"; fi
  } >&2
  exit 1
fi
echo "preflight: ${#pkgs[@]} system packages present"
