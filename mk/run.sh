#!/bin/sh
# Boots a built config in QEMU: mk/run.sh CFG_OUT CPU [extra QEMU args...]
# The one place the QEMU command line is written; boot tests use it too.
cfg_out="$1"
cpu="$2"
shift 2
# The hypervisor colours guest tags only when told the terminal is a TTY.
append=""
[ -t 1 ] && append="color"
exec qemu-system-riscv64 -machine virt -cpu "$cpu" -bios default -nographic \
	$(cat "$cfg_out/qemu.args") -kernel "$cfg_out/septa.elf" \
	${append:+-append "$append"} "$@"
