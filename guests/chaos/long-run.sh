#!/bin/sh
# Boots a chaos-long build and watches its console log: the victim ticker
# never ends, so QEMU is stopped once chaos prints its summary (or after 3
# hours). Then judges the log (mk/chaos.mk runs it).
# Usage: long-run.sh CFG_OUT CPU LOG OPS SLICE_US [QEMU options...]
out=$1 cpu=$2 log=$3 ops=$4 slice_us=$5
shift 5
start=$(date +%s)
: >"$log"
sh mk/run.sh "$out" "$cpu" "$@" </dev/null >"$log" 2>&1 &
qemu=$!
while kill -0 $qemu 2>/dev/null; do
	if grep -a -q "chaos: $ops ops done" "$log" || [ $(($(date +%s) - start)) -gt 10800 ]; then
		sleep 1 # the op mix line
		kill $qemu 2>/dev/null # run.sh execs QEMU: this is QEMU
		break
	fi
	sleep 5
done
wait $qemu 2>/dev/null
secs=$(($(date +%s) - start))
grep -a 'chaos: \(seed\|[0-9]* ops done\|op mix\)' "$log" | sed 's/^.*chaos: /  /'
worst=$(grep -a 'chaos: victim:' "$log" | tail -n 1 | sed 's/.*worst late \([0-9]*\) us.*/\1/')
ticks=$(grep -a 'chaos: victim:' "$log" | tail -n 1 | sed 's/.*victim: \([0-9]*\) ticks.*/\1/')
echo "  $secs s, $(grep -a -c 'guest chaos faulted:' "$log") faults survived, victim ${ticks:-0} ticks, worst $(grep -a "chaos: victim:" "$log" | tail -n 1 | sed "s/.*worst late //")"
if grep -a -q 'PANIC\|hypervisor trap\| ODD \|started with a1=' "$log" ||
	! grep -a -q "chaos: $ops ops done" "$log" || [ -z "$worst" ] || [ "$worst" -gt "$slice_us" ]; then
	echo "chaos-long: FAILED (see $log)"
	exit 1
fi
echo "chaos-long: ok"
