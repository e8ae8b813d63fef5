#!/bin/sh
# Fetches libfdt's sources from Debian's linux-source package into $1
# (only scripts/dtc/libfdt is extracted; the sources are never committed).
set -e
out=$(realpath -m "$1")
dl="$(dirname "$out")/dl"
mkdir -p "$dl" "$out"
cd "$dl"
if ! ls linux-source-*.deb >/dev/null 2>&1; then
	apt-get download linux-source-6.1 >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 || true; apt-get download linux-source-6.1 >/dev/null; }
fi
deb=$(ls linux-source-*.deb | head -n 1)
dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
	tar -xJ --wildcards --strip-components=4 -C "$out" '*/scripts/dtc/libfdt/*'
test -f "$out/libfdt.h"
# tar keeps the archive's old dates; make must see the sources as new.
touch "$out"/*
