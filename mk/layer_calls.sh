#!/bin/sh
# At link time (mk/hv.mk): a layer calls into another only what the header
# that is their contract declares, checked on the objects themselves, so
# that what an include happens to make visible changes nothing:
#   arch     -> core      core/include/core_services.h, hv.h
#   core     -> arch      core/include/arch_hooks.h
#   core     -> platform  core/include/platform.h
#   platform -> core      core/include/hv.h
#   arch <-> platform     nothing
# A name counts as declared when the header's code (not its comments) has
# it. The generated tables (septa_config.o) count as the core's.
#   NM=... CC=... sh mk/layer_calls.sh OBJDIR TABLES.o OBJECTS...
# (the objects the link takes, under OBJDIR/core, arch and platform: a
# stale object of a deleted source must not count.)
# Prints each use as "source: uses NAME of ..." and fails if there is one.
objdir="$1" tables="$2"
shift 2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

for layer in core arch platform; do
	for o in "$@"; do
		case "$o" in "$objdir/$layer/"*) echo "$o" ;; esac
	done >"$tmp/$layer.list"
	: >"$tmp/$layer.uses"
	: >"$tmp/$layer.defs"
	[ -s "$tmp/$layer.list" ] || continue
	# shellcheck disable=SC2046 # one object path a word
	"$NM" -A -u $(cat "$tmp/$layer.list") >"$tmp/$layer.uses"
	"$NM" -g --defined-only $(cat "$tmp/$layer.list") |
		awk 'NF == 3 { print $3 }' >"$tmp/$layer.defs"
done
"$NM" -g --defined-only "$tables" | awk 'NF == 3 { print $3 }' >>"$tmp/core.defs"

# from to "what to is" headers...: every identifier in the headers' code
# is offered; each use in from of a name to defines and not offered is news.
check() {
	from="$1" to="$2" name="$3"
	shift 3
	for h in "$@"; do
		"$CC" -fpreprocessed -dD -E -P "$h"
	done | tr -c 'A-Za-z0-9_' '\n' >"$tmp/ok"
	awk -v objdir="$objdir/" -v name="$name" -v headers="$*" '
		FILENAME == ARGV[1] { ok[$0] = 1; next }
		FILENAME == ARGV[2] { def[$1] = 1; next }
		{
			obj = $1; sub(/:$/, "", obj); sym = $NF
			if (!(sym in def) || (sym in ok) || seen[obj, sym]++) next
			src = substr(obj, length(objdir) + 1); sub(/\.o$/, "", src)
			src = src (system("test -f " src ".c") == 0 ? ".c" : ".S")
			if (headers != "")
				print src ": uses " sym " of " name ", declared in none of " headers
			else
				print src ": uses " sym " of " name ", and may use nothing of it"
		}' "$tmp/ok" "$tmp/$to.defs" "$tmp/$from.uses"
}

out=$(
	I=core/include
	check arch core "the core" $I/core_services.h $I/hv.h
	check core arch "arch" $I/arch_hooks.h
	check core platform "the board" $I/platform.h
	check platform core "the core" $I/hv.h
	check arch platform "the board"
	check platform arch "arch"
)
if [ -n "$out" ]; then
	echo "$out"
	echo "septa: a layer calls what its contract header does not offer (see mk/layer_calls.sh)"
	exit 1
fi
