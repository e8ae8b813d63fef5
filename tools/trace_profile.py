#!/usr/bin/python3
"""Where the instructions of one bench measure go, function by function.

Boots the bench guest under septa twice at -icount shift=0 with QEMU's
execution log (-d in_asm,exec,nochain): once with only=<measure>, once with
only=none (the same boot with no measure), and prints, per hypervisor or
firmware function, the instructions executed per sample beyond the empty
boot. Counts are of translated blocks' instructions, so a block left early
by a trap counts whole: a few instructions of error on trap edges.

  tools/trace_profile.py --build build --measure mmio_read [--iters 50]
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TB = re.compile(r"^IN:\s*(\S*)")
INSN = re.compile(r"^0x([0-9a-f]+):\s")
EXEC = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")


def symbols(elf):
    out = subprocess.run(["riscv64-unknown-elf-nm", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


CONFIG = """# tools/trace_profile.py: the bench guest alone, as configs/bench.conf
platform  = qemu-virt
harts     = 1
ram       = 128M
timeslice = 10ms

[guest bench]
image    = bench
memory   = 4M
vcpus    = 2
harts    = 0, 0
bootargs = "{args}"
"""


def build(build_dir, cpu, name, args):
    """Builds the bench config with these bootargs; returns its CFG_OUT."""
    conf = os.path.join(build_dir, "profile", name + ".conf")
    os.makedirs(os.path.dirname(conf), exist_ok=True)
    with open(conf, "w") as f:
        f.write(CONFIG.format(args=args))
    subprocess.run(["make", "--no-print-directory", "-s", "hv", f"CONFIG={conf}",
                    f"BUILD={build_dir}", f"QEMU_CPU={cpu}"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "cfg", name)


def run(cfg_out, cpu, log):
    conf = os.path.join(cfg_out, "qemu.args")
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-cpu", cpu, "-bios", "default",
           "-nographic"] + open(conf).read().split() + [
        "-kernel", os.path.join(cfg_out, "septa.elf"), "-icount", "shift=0,sleep=off",
        "-d", "in_asm,exec,nochain", "-D", log]
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=600,
                   check=True)


def profile(log):
    """{pc of block: instructions}, and executions of each block."""
    size, count, cur = {}, collections.Counter(), None
    with open(log, errors="replace") as f:
        for line in f:
            m = EXEC.match(line)
            if m:
                count[int(m.group(1), 16)] += 1
                continue
            if line.startswith("IN:"):
                cur = None
                continue
            m = INSN.match(line)
            if m:
                pc = int(m.group(1), 16)
                if cur is None:
                    cur = pc
                    size[cur] = 0
                size[cur] += 1
    return size, count


def by_function(size, count, syms):
    addrs = [a for a, _ in syms]
    per = collections.Counter()
    for pc, n in count.items():
        i = bisect.bisect_right(addrs, pc) - 1
        name = syms[i][1] if i >= 0 and pc < 0x80800000 else "(guest)"
        if pc < 0x80200000:
            name = "(guest or firmware)"
        per[name] += n * size.get(pc, 0)
    return per


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--measure", required=True)
    ap.add_argument("--iters", type=int, default=50)
    ap.add_argument("--cpu", default="rv64,h=true,sstc=true")
    a = ap.parse_args()
    per = {}
    with tempfile.TemporaryDirectory() as tmp:
        for which in (a.measure, "none"):
            cfg_out = build(a.build, a.cpu, "profile-" + which, f"iters={a.iters} only={which}")
            syms = symbols(os.path.join(cfg_out, "septa.elf"))
            log = os.path.join(tmp, which + ".log")
            run(cfg_out, a.cpu, log)
            per[which] = by_function(*profile(log), syms)
    # Each measure takes its samples once per unit (ticks, instret) when it has both.
    rows = [(name, (per[a.measure][name] - per["none"].get(name, 0)) / a.iters)
            for name in per[a.measure]]
    rows = [(n, v) for n, v in rows if v >= 0.5]
    rows.sort(key=lambda r: -r[1])
    total = sum(v for n, v in rows if not n.startswith("(guest"))
    print(f"{a.measure}: instructions per sample (both units), by function, beyond an empty boot")
    for name, v in rows:
        print(f"  {v:9.1f}  {name}")
    print(f"  {total:9.1f}  total in septa")


if __name__ == "__main__":
    sys.exit(main())
