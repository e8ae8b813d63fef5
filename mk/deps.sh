#!/bin/sh
# Installs the Debian packages septa builds and tests with, when any is missing.
# Quiet and quick when everything is already there.
set -e
PKGS="gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc opensbi
libfdt-dev device-tree-compiler libcmocka-dev python3-pytest python3-pexpect gcc make
gcc-riscv64-linux-gnu libc6-dev-riscv64-cross flex bison bc u-boot-qemu"
missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
echo "septa: installing missing packages:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"
else
	echo "septa: cannot install packages without root. Run:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q $missing >/dev/null
