#!/usr/bin/env bash
# Installs the Debian packages Stratus's tests use (run as root on Debian 12):
# PostgreSQL and RabbitMQ servers (tests start private instances of them), the OpenStack
# clients the compatibility tests drive, and QEMU with what the test-guest builder needs.
# Installs only what is missing, so a second run is quick.
set -euo pipefail
packages=(
  postgresql rabbitmq-server
  python3-openstackclient python3-osc-placement python3-openstacksdk python3-novaclient
  qemu-system-x86 qemu-utils genisoimage cpio
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# The QEMU test-guest builder fetches a kernel and busybox with `apt-get download`, which needs
# package lists even when every package above is already installed.
lists_present() { ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; }
if [ "${#missing[@]}" -eq 0 ] && lists_present; then
  echo "install-deps: all Debian packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo "$0" "$@"
  fi
  echo "install-deps: run as root to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
