#!/bin/sh
# /init of the Stratus test guest (busybox only). Every fact it learns goes to the serial console
# as one "STRATUS-..." line, so tests can prove what happened from the console log alone.
# Kernel command-line knobs: stratus.cdwait=N (tenths of a second to wait for the config drive,
# default 30) and stratus.acpi=0 (ignore the ACPI power button, like a guest without acpid).
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
# There is no /dev/console in the cpio (built without mknod), so output starts only here.
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo STRATUS-GUEST-BOOTED

cdwait=30
acpi=1
for arg in $(cat /proc/cmdline); do
  case "$arg" in
  stratus.cdwait=*) cdwait="${arg#*=}" ;;
  stratus.acpi=*) acpi="${arg#*=}" ;;
  esac
done

# Dependencies were resolved at build time; load in that order (no modprobe, no depmod).
while read -r m; do
  insmod "/lib/modules/$m.ko" 2>/dev/null
done </etc/modules.order

find_config_drive() {
  for d in /dev/sr* /dev/vd* /dev/sd*; do
    [ -b "$d" ] || continue
    # ISO9660 volume id: 32 bytes at offset 32808, space padded.
    if [ "$(dd if="$d" bs=1 skip=32808 count=9 2>/dev/null)" = "config-2 " ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# First "name"/"uuid" key of a JSON document, good enough for the flat meta_data.json we read.
json_field() {
  tr ',{}' '\n\n\n' <"$2" | sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\(.*\)\"[[:space:]]*\$/\1/p" | head -n 1
}

dev=""
i=0
while :; do
  dev="$(find_config_drive)" && break
  dev=""
  [ "$i" -ge "$cdwait" ] && break
  sleep 0.1
  i=$((i + 1))
done
echo "STRATUS-CONFIG-DRIVE ${dev:-none}"
if [ -n "$dev" ]; then
  mkdir -p /mnt/config
  if mount -t iso9660 -o ro "$dev" /mnt/config; then
    meta=/mnt/config/openstack/latest/meta_data.json
    if [ -f "$meta" ]; then
      name="$(json_field name "$meta")"
      echo "STRATUS-NAME $name"
      echo "STRATUS-UUID $(json_field uuid "$meta")"
      [ -n "$name" ] && hostname "$name"
    fi
    if [ -f /mnt/config/openstack/latest/user_data ]; then
      echo STRATUS-USER-DATA-BEGIN
      cat /mnt/config/openstack/latest/user_data
      echo
      echo STRATUS-USER-DATA-END
    fi
  fi
fi

echo "STRATUS-MEM-KB $(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/meminfo)"
echo "STRATUS-CPUS $(grep -c '^processor' /proc/cpuinfo)"

if [ "$acpi" != 0 ]; then
  # The ACPI button driver exposes "Power Button" input devices; a press is any event on them.
  # PID 1 is this shell, not an init, so a plain poweroff would signal nobody: use poweroff -f.
  j=0
  while [ "$j" -lt 20 ]; do
    found=0
    for n in /sys/class/input/event*; do
      [ -f "$n/device/name" ] || continue
      if [ "$(cat "$n/device/name")" = "Power Button" ] && [ -c "/dev/input/${n##*/}" ]; then
        found=1
        # evdev refuses reads shorter than one input_event (24 bytes on x86_64).
        (
          dd if="/dev/input/${n##*/}" bs=24 count=1 >/dev/null 2>&1 || exit 0
          echo STRATUS-POWERDOWN
          sync
          poweroff -f
        ) &
      fi
    done
    [ "$found" = 1 ] && break
    sleep 0.1
    j=$((j + 1))
  done
fi

echo STRATUS-READY
n=0
while :; do
  n=$((n + 1))
  read -r up _ </proc/uptime
  echo "STRATUS-COUNTER $n uptime=$up"
  sleep 1
done
