#!/bin/sh
# Runs septa's tests and prints one summary line.
#   mk/test.sh unit BIN...     host unit-test binaries
#   mk/test.sh pytest DIR      the pytest suites
#   mk/test.sh all BIN...      both
mode="$1"
shift
PYTEST="/usr/bin/python3 -m pytest"
unit_pass=0 unit_fail=0 py_summary="" py_rc=0 failed=""

run_unit() {
	for t in "$@"; do
		if "$t" >"$t.log" 2>&1; then
			unit_pass=$((unit_pass + 1))
		else
			unit_fail=$((unit_fail + 1))
			failed="$failed $(basename "$t")"
			cat "$t.log"
		fi
	done
}

run_pytest() {
	log=build/pytest.log
	mkdir -p build
	{ $PYTEST -p no:cacheprovider -q -rfE "$1"; echo $? >build/pytest.rc; } 2>&1 | tee "$log"
	py_rc=$(cat build/pytest.rc)
	py_summary=$(tail -n 1 "$log" | sed 's/=//g; s/^ *//; s/ *$//')
}

case "$mode" in
unit) run_unit "$@" ;;
pytest) run_pytest "$1" ;;
all) run_unit "$@"; run_pytest tests ;;
esac

line="septa tests:"
[ "$mode" != pytest ] && line="$line unit suites $unit_pass passed, $unit_fail failed${failed:+ ($failed )};"
[ "$mode" != unit ] && line="$line pytest: $py_summary"
if [ "$unit_fail" -eq 0 ] && [ "$py_rc" -eq 0 ]; then
	echo "$line => PASS"
else
	echo "$line => FAIL"
	exit 1
fi
