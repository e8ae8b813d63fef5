#!/bin/sh
# Makes sure clang can build a libFuzzer target; installs clang and, on
# Debian bookworm, libclang-rt-14-dev (which holds libclang_rt.fuzzer) if not.
set -e
can_fuzz() {
	command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 || return 1
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' |
		"${FUZZ_CC:-clang}" -fsanitize=fuzzer,address,undefined -x c - \
			-o /dev/null >/dev/null 2>&1
}
can_fuzz && exit 0
pkgs="clang libclang-rt-14-dev"
echo "septa: installing $pkgs for libFuzzer"
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"
else
	echo "septa: cannot install packages without root. Run:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y $pkgs" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q $pkgs >/dev/null
can_fuzz || { echo "septa: clang still cannot link -fsanitize=fuzzer" >&2; exit 1; }
