#!/usr/bin/python3
"""One hypervisor path, instruction by instruction: from a guest instruction
that traps to the next guest instruction, counted per hypervisor function.

Boots the bench guest with only=<measure> under QEMU's -singlestep exec log
(every executed instruction is a line), finds each time the guest executed
the instruction at <symbol>+<offset> (a wfi, say), and counts the
hypervisor instructions from there to the next guest instruction. With
--after FUNCTION only those after the last instruction of FUNCTION in that
stretch count (--after arch_hart_idle: the wake-up half of a sleep). The
log takes about 1.5 GB in a temporary directory for a few samples.

  tools/trace_window.py --measure vcpu_switch --at bench_switch_leave+0xe
  tools/trace_window.py --measure timer_latency --at bench_timer_wait+0x1a \\
      --after arch_hart_idle
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

import trace_profile

EXEC = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
HV_BASE = 0x80200000  # the bench config's hypervisor; the guest sits below


def executed(log):
    with open(log, errors="replace") as f:
        for line in f:
            m = EXEC.match(line)
            if m:
                yield int(m.group(1), 16)


def windows(pcs, start, after):
    """Per window: the hypervisor functions run, one entry per instruction."""
    cur = None
    for pc in pcs:
        if cur is None:
            if pc == start:
                cur = []
            continue
        if pc >= HV_BASE:
            cur.append(pc)
            continue
        if cur:
            yield cur
        cur = [] if pc == start else None


def name_of(syms):
    addrs = [a for a, _ in syms]
    return lambda pc: syms[bisect.bisect_right(addrs, pc) - 1][1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--measure", required=True)
    ap.add_argument("--at", required=True, help="guest SYMBOL+OFFSET of the trapping instruction")
    ap.add_argument("--after", help="count only after the last instruction of this function")
    ap.add_argument("--iters", type=int, default=6)
    ap.add_argument("--cpu", default="rv64,h=true,sstc=true")
    a = ap.parse_args()
    sym, _, off = a.at.partition("+")
    guest = dict((n, addr) for addr, n in trace_profile.symbols(
        os.path.join(a.build, "guests", "bench.elf")))
    start = guest[sym] + int(off or "0", 0)
    cfg_out = trace_profile.build(a.build, a.cpu, "window-" + a.measure,
                                  f"iters={a.iters} only={a.measure}")
    name = name_of(trace_profile.symbols(os.path.join(cfg_out, "septa.elf")))
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.log")
        cmd = ["qemu-system-riscv64", "-machine", "virt", "-cpu", a.cpu, "-bios", "default",
               "-nographic"] + open(os.path.join(cfg_out, "qemu.args")).read().split() + [
            "-kernel", os.path.join(cfg_out, "septa.elf"), "-icount", "shift=0,sleep=off",
            "-singlestep", "-d", "exec,nochain", "-D", log]
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=900,
                       check=True)
        found = []
        for w in windows(executed(log), start, a.after):
            fns = [name(pc) for pc in w]
            if a.after and a.after in fns:
                fns = fns[len(fns) - fns[::-1].index(a.after):]
            found.append(fns)
    if not found:
        print(f"no window starts at {a.at}", file=sys.stderr)
        return 1
    print(f"{a.measure} from {a.at}{' after ' + a.after if a.after else ''}: "
          f"{len(found)} windows of {sorted(set(len(f) for f in found))} instructions")
    fns = found[len(found) // 2]
    for fn, n in collections.Counter(fns).most_common():
        print(f"  {n:5d}  {fn}")
    print(f"  {len(fns):5d}  in all (the window in the middle)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
