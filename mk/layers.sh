#!/bin/sh
# make check: every quoted #include of a layer must name a header that layer
# may see (the same rule the include paths in mk/hv.mk enforce at build):
#   core/      core/include
#   platform/  core/include, its own folder
#   arch/      core/include, arch/riscv/include
# Prints each crossing as file:line and fails if there is one.
bad=0
check() { # dir allowed-folders...
	dir="$1"
	shift
	for f in $(find "$dir" -name '*.[chS]'); do
		grep -n '^#include "' "$f" | while IFS= read -r line; do
			n=${line%%:*}
			h=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
			ok=0
			for d in "$(dirname "$f")" "$@"; do
				[ -f "$d/$h" ] && ok=1
			done
			[ "$ok" = 1 ] || echo "$f:$n: includes \"$h\", which $dir may not see"
		done
	done
}
out=$(
	check core core/include
	for p in platform/*; do check "$p" core/include; done
	check arch core/include arch/riscv/include
)
if [ -n "$out" ]; then
	echo "$out"
	echo "septa: a layer includes what it may not (see mk/layers.sh)"
	exit 1
fi
