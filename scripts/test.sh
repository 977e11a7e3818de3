#!/usr/bin/env bash
# The project's test command: installs the real services the integration tests run against
# (Debian/Ubuntu packages), then runs the whole Maven build. Extra arguments go to Maven,
# e.g. `./scripts/test.sh -pl test-support -am`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# binary -> Debian package that provides it
declare -A PACKAGE_OF=(
  [mosquitto]=mosquitto
  [influxd]=influxdb
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [docker-compose]=docker-compose
)
PACKAGES="mosquitto influxdb chromium chromium-driver docker-compose"
INSTALL_CMD="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES}"

have_binary() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]
}

missing=()
for binary in "${!PACKAGE_OF[@]}"; do
  have_binary "$binary" || missing+=("$binary (package ${PACKAGE_OF[$binary]})")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "test.sh: missing test binaries: ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: install them as root, then run this script again:" >&2
    echo "  sudo apt-get update && sudo env ${INSTALL_CMD}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: apt-get not found; install the equivalents of: ${PACKAGES}" >&2
    exit 1
  fi
  # Debian packages start their system services on install (mosquitto on 1883, influxd on
  # 8086). The tests never use those, but a stray daemon is noise, so forbid service starts
  # for the duration of the install unless the machine already has its own policy.
  created_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=true
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update
  env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES} </dev/null
  if [ "$created_policy" = true ]; then
    rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
  for binary in "${!PACKAGE_OF[@]}"; do
    if ! have_binary "$binary"; then
      echo "test.sh: '$binary' still missing after installing ${PACKAGE_OF[$binary]}" >&2
      exit 1
    fi
  done
fi

exec mvn -B verify "$@"
