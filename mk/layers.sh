#!/bin/sh
# make check: every quoted #include of a layer names a header that layer may
# see, found as the compiler finds it (the including file's own folder
# first, then the include path mk/hv.mk gives the layer):
#   core/      core/include
#   platform/  its own folder; of core/include only platform.h (the board
#              contract it implements) and hv.h
#   arch/      arch/riscv/include; of core/include only core_services.h
#              (what arch may use of the core), arch_hooks.h (the hooks it
#              implements) and hv.h (error codes, hv_log, panic)
# The include paths already refuse an arch or platform header in core/, or
# a board header in arch/; the short lists of core headers are kept here,
# since arch/ and platform/ need core/include on their path for those few.
# Prints each crossing as file:line with why, and fails if there is one.
# (The calls themselves are checked at link time: mk/layer_calls.sh.)
check() { # layer "allowed core headers" ("*": all) "where its services go" other-folders...
	layer="$1" core_ok="$2" hint="$3"
	shift 3
	find "$layer" -name '*.[chS]' | sort | xargs grep -Hn '^#include "' |
		while IFS= read -r line; do
			f=${line%%:*}
			rest=${line#*:}
			n=${rest%%:*}
			h=${rest#*\"}
			h=${h%%\"*}
			if [ -f "$(dirname "$f")/$h" ]; then
				continue
			elif [ -f "core/include/$h" ]; then
				case " $core_ok " in
				*" * "* | *" $h "*) continue ;;
				esac
				echo "$f:$n: includes \"$h\", a core header $layer/ may not use: $hint"
				continue
			fi
			ok=0
			for d in "$@"; do
				[ -f "$d/$h" ] && ok=1
			done
			[ "$ok" = 1 ] || echo "$f:$n: includes \"$h\", which $layer/ may not see"
		done
}
out=$(
	check core '*' ''
	for p in platform/*; do
		check "$p" 'platform.h hv.h' \
			"the board reaches the core only through platform.h and hv.h"
	done
	check arch 'core_services.h arch_hooks.h hv.h' \
		"arch reaches the core only through core_services.h (declare there what it needs, with why), arch_hooks.h and hv.h" \
		arch/riscv/include
)
if [ -n "$out" ]; then
	echo "$out"
	echo "septa: a layer includes what it may not (see mk/layers.sh)"
	exit 1
fi
