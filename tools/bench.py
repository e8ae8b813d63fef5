#!/usr/bin/python3
"""make bench: boots the bench guest natively (S-mode on OpenSBI) and under
septa, each at -icount shift=0 and shift=7, and once more under septa at
shift=7 with two busy guests on its hart (the timer latency only), and
prints one table of the medians side by side, then the hypervisor's
footprint.  doc/benchmarks.md says what each figure means.

    tools/bench.py --build BUILD --cpu CPU
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CROSS = "riscv64-unknown-elf-"
TIMEOUT = 600  # seconds per QEMU run; a normal one takes about one

LINE = re.compile(r"bench: (\w+) unit=(\w+) n=(\d+) min=(\d+) median=(\d+) max=(\d+)$")
NA = re.compile(r"bench: (\w+) n/a \((.*)\)$")
CRC = re.compile(r"bench: crc32 bytes=(\d+) value=(0x[0-9a-f]+)$")

# The table: (measure, its label, the unit, the -icount shift it comes from,
# the septa run: "septa" for configs/bench.conf, "crowd" for
# configs/bench-crowd.conf, which has no native counterpart).  Instruction
# counts come from shift=0, where instret is one per instruction; the timer
# latency needs the finer `time` of shift=7 (see the doc).
ROWS = [
    ("sbi_null", "null SBI call (BASE get_spec_version)", "instret", 0, "septa"),
    ("sbi_forward", "SBI call forwarded to firmware", "instret", 0, "septa"),
    ("sbi_set_timer", "SBI set_timer (far deadline)", "instret", 0, "septa"),
    ("sbi_probe", "SBI probe_extension (TIME)", "instret", 0, "septa"),
    ("mmio_read", "device register read (16550 LSR)", "instret", 0, "septa"),
    ("mmio_write", "device register write (16550 SCR)", "instret", 0, "septa"),
    ("timer_latency", "timer interrupt latency", "ticks", 7, "septa"),
    ("timer_latency_busy", "timer interrupt latency, guest busy", "ticks", 7, "septa"),
    ("timer_latency", "timer interrupt latency, 2 busy vCPUs on its hart", "ticks", 7, "crowd"),
    ("ipi_round_trip", "IPI round trip", "instret", 0, "septa"),
    ("vcpu_switch", "vCPU switch (wfi trap to the next vCPU)", "instret", 0, "septa"),
    ("crc32", "CRC-32 over 256 KiB", "instret", 0, "septa"),
]
UNIT_LABEL = {("instret", 0): "instructions", ("ticks", 7): "ticks of 100 ns, 128 ns/insn"}


def qemu_native(build, cpu, shift):
    return ["qemu-system-riscv64", "-machine", "virt", "-cpu", cpu, "-bios", "default",
            "-nographic", "-smp", "2", "-m", "128M",
            "-kernel", str(build / "guests-native" / "bench.elf"),
            "-icount", f"shift={shift},sleep=off"]


def qemu_septa(build, cpu, shift, config="bench"):
    # mk/run.sh is the one place the septa command line is written.
    return ["sh", "mk/run.sh", str(build / "cfg" / config), cpu,
            "-icount", f"shift={shift},sleep=off"]


def check_crowd(text):
    """The crowded figure holds only if both spinners were still spinning
    when the bench guest finished: a spinner ends after 5 s of virtual time,
    and its last line comes after the bench's."""
    lines = [l.strip() for l in text.splitlines()]
    done = lines.index("[bench] bench: done")
    ends = [i for i, l in enumerate(lines) if l.endswith("] spinner: done")]
    if len(ends) != 2 or min(ends) < done:
        sys.exit("bench: in the crowded run the spinners did not outlast the bench guest:\n"
                 + "\n".join(lines[-30:]))


def run(cmd):
    """Runs QEMU; returns ({(measure, unit): (n, min, median, max)}, {n/a}, crc, text)."""
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace",
                       timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    text = r.stdout.replace("\r", "")
    figures, na, crc, done = {}, {}, None, False
    for raw in text.splitlines():
        line = re.sub(r"^\[bench\] ", "", raw.strip())
        if m := LINE.fullmatch(line):
            figures[(m.group(1), m.group(2))] = tuple(int(m.group(i)) for i in range(3, 7))
        elif m := NA.fullmatch(line):
            na[m.group(1)] = m.group(2)
        elif m := CRC.fullmatch(line):
            crc = m.group(2)
        elif line == "bench: done":
            done = True
    if not done:
        sys.exit(f"bench: {' '.join(cmd)} did not finish:\n" + "\n".join(text.splitlines()[-30:]))
    return figures, na, crc, text


UPTIME = re.compile(r"init: uptime (\d+) ticks at (\d+) Hz, boottime (\d+) us$")


def run_linux(cmd):
    """A Linux boot whose /init prints the time it started at and powers
    off: (instructions since entry, or natively since reset; instructions
    since the kernel's clock started), at shift=0 where a ns is one."""
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace",
                       timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    for raw in r.stdout.replace("\r", "").splitlines():
        if m := UPTIME.fullmatch(re.sub(r"^\[linux\] ", "", raw.strip())):
            return (int(m.group(1)) * 1_000_000_000 // int(m.group(2)),
                    int(m.group(3)) * 1000)
    sys.exit("bench: a Linux boot gave no uptime line:\n" + r.stdout[-3000:])


def qemu_linux_native(build, cpu):
    return ["qemu-system-riscv64", "-machine", "virt", "-cpu", cpu, "-bios", "default",
            "-nographic", "-smp", "1", "-m", "128M",
            "-kernel", str(build / "guests" / "linux.Image"),
            "-initrd", str(build / "guests" / "linux.initrd"),
            "-append", "console=ttyS0 uptime poweroff", "-icount", "shift=0,sleep=off"]


DOORBELL = re.compile(r"chan: doorbell round trip n=(\d+) min=(\d+) median=(\d+) max=(\d+) ns$")
THROUGHPUT = re.compile(r"chan: channel throughput bytes=(\d+) ns=(\d+)$")


def run_doorbell(cmd):
    """The channel bench: (min, median, max) of 200 doorbell round trips in
    ns of virtual time, then (bytes, ns) of the one-way stream through the
    channel's ring; at shift=0 one ns an instruction."""
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace",
                       timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    bell = stream = None
    for raw in r.stdout.replace("\r", "").splitlines():
        line = re.sub(r"^\[ping\] ", "", raw.strip())
        if m := DOORBELL.fullmatch(line):
            bell = tuple(int(m.group(i)) for i in (2, 3, 4))
        elif m := THROUGHPUT.fullmatch(line):
            stream = (int(m.group(1)), int(m.group(2)))
    if bell is None or stream is None:
        sys.exit("bench: the channel run gave no round trip or no throughput:\n"
                 + r.stdout[-3000:])
    return bell, stream


ALARM = re.compile(r"clock: alarm latency n=(\d+) min=(\d+) median=(\d+) max=(\d+) ns$")
# The goldfish RTC counts host time unless told otherwise: virtual time
# makes its ns instructions at shift=0, and the alarm's T exact.
RTC_VM = ["-rtc", "clock=vm"]


def qemu_alarm_native(build, cpu):
    return ["qemu-system-riscv64", "-machine", "virt", "-cpu", cpu, "-bios", "default",
            "-nographic", "-smp", "1", "-m", "128M",
            "-kernel", str(build / "guests-native" / "clock.elf"), "-append", "bench",
            "-icount", "shift=0,sleep=off"] + RTC_VM


def run_alarm(cmd):
    """The clock guest's bench: (min, median, max) of the RTC alarm's
    latency, its time at the handler's first act less the alarm's time, in
    ns of virtual time: at shift=0 instructions."""
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace",
                       timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    for raw in r.stdout.replace("\r", "").splitlines():
        if m := ALARM.fullmatch(re.sub(r"^\[clock\] ", "", raw.strip())):
            return tuple(int(m.group(i)) for i in (2, 3, 4))
    sys.exit("bench: the alarm run gave no latency:\n" + r.stdout[-3000:])


RELOAD = re.compile(r"stats guest crasher stopped restarts 1 reboots 0 reload_us (\d+)$")


def run_restart(cmd):
    """The restart run: the reload's hart time in µs of virtual time."""
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace",
                       timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    for raw in r.stdout.replace("\r", "").splitlines():
        if m := RELOAD.fullmatch(re.sub(r"^\[septa\] ", "", raw.strip())):
            return int(m.group(1))
    sys.exit("bench: the restart run gave no reload time:\n" + r.stdout[-3000:])


def cell(runs, side, measure, unit, shift):
    if (side, shift) not in runs:
        return "-", None
    figures, na, _, _ = runs[(side, shift)]
    if measure in na:
        return "n/a", None
    n, lo, med, hi = figures[(measure, unit)]
    text = f"{med}" if lo == hi else f"{med} [{lo}-{hi}]"
    return text, med


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
           "-|-".join("-" * w for w in widths)]
    for r in rows:
        out.append(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(out)


def measures(runs):
    rows = []
    for measure, label, unit, shift, septa in ROWS:
        nat, nat_med = cell(runs, "native", measure, unit, shift) if septa == "septa" \
            else ("-", None)
        sep, sep_med = cell(runs, septa, measure, unit, shift)
        ratio = "-"
        if nat_med and sep_med is not None:
            r = sep_med / nat_med
            ratio = f"{r:.2f}" if r < 10 else f"{r:.0f}"
        rows.append((label, UNIT_LABEL[(unit, shift)], nat, sep, ratio))
        if measure == "sbi_null" and sep_med is not None:
            # The guest-visible delta of the ecall under septa: the ecall
            # itself plus every HS-mode instruction up to and including sret.
            rows.append(("  of which septa's path, trap entry to sret", "instructions", "",
                         str(sep_med - 1), ""))
        if measure.startswith("timer_latency") and septa == "septa":
            nat_i = f"~{nat_med * 100 / 128:.0f}" if nat_med is not None else nat
            sep_i = f"~{sep_med * 100 / 128:.0f}" if sep_med is not None else "n/a"
            rows.append(("  the same in instructions", "instructions", nat_i, sep_i, ""))
    return table(rows, ("measure", "unit", "native", "septa", "septa/native"))


def cross_check(runs):
    """instret at shift=7 counts 128 per instruction: dividing must give the
    shift=0 figures back, or the runs were not deterministic.  Not for the
    CRC: a pass is long enough for septa's slice timer (every 10 ms of
    virtual time, so every 78125 instructions at shift=7) to interrupt it,
    and how often depends on the shift."""
    bad = []
    for side in ("native", "septa"):
        f0, f7 = runs[(side, 0)][0], runs[(side, 7)][0]
        for key, (_, _, med0, _) in f0.items():
            if key[1] == "instret" and key[0] not in ("overhead", "crc32") and key in f7:
                if f7[key][2] != med0 * 128:
                    bad.append(f"{side} {key[0]}: {med0} at shift=0, {f7[key][2] / 128:g} at shift=7")
    crcs = {runs[k][2] for k in runs if k[0] != "crowd"}  # the crowded run has no CRC
    if len(crcs) != 1:
        bad.append(f"CRC values differ between runs: {sorted(crcs)}")
    return bad


def nm_sizes(elf):
    out = subprocess.run([CROSS + "nm", "-S", "--size-sort", str(elf)], capture_output=True,
                         text=True, check=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def map_origins(mapfile):
    """Bytes of each allocated output section by where the input came from."""
    origin_of = [("/hv/", "septa (core, arch, platform)"),
                 ("septa_config.o", "config tables + embedded guests"),
                 ("libfdt", "libfdt"), ("libc.a", "picolibc"), ("libgcc.a", "libgcc")]
    sections = (".text", ".rodata", ".srodata", ".data", ".sdata", ".tdata", ".tbss",
                ".bss", ".sbss")
    totals, out_sec, pending = {}, None, None
    text = mapfile.read_text()
    text = text[text.index("Linker script and memory map"):]
    for line in text.splitlines():
        if m := re.match(r"^(\.\S+)", line):
            out_sec = m.group(1)
            continue
        m = re.match(r"^ (\.\S+|COMMON)(?:\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*))?$", line)
        if m and m.group(2) is None:
            pending = m.group(1)  # the name alone; numbers on the next line
            continue
        if pending and (m2 := re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)):
            size, path = int(m2.group(2), 16), m2.group(3)
        elif m and m.group(2) is not None:
            size, path = int(m.group(3), 16), m.group(4)
        else:
            pending = None
            continue
        pending = None
        if out_sec not in sections or size == 0:
            continue
        kind = "code" if out_sec == ".text" else \
            "read-only data" if "rodata" in out_sec else "data+bss"
        for key, origin in origin_of:
            if key in path:
                totals.setdefault(origin, {}).setdefault(kind, 0)
                totals[origin][kind] += size
                break
    return totals


def count_lines(paths):
    """(files, lines, code lines) of C and assembly: code lines are neither
    blank nor only comment."""
    files = lines = code = 0
    for p in paths:
        files += 1
        in_block = False
        for raw in p.read_text(errors="replace").splitlines():
            lines += 1
            s = raw.strip()
            if in_block:
                if "*/" in s:
                    in_block = False
                    s = s.split("*/", 1)[1].strip()
                else:
                    continue
            if s.startswith("/*"):
                if "*/" not in s:
                    in_block = True
                    continue
                s = s.split("*/", 1)[1].strip()
            if s and not s.startswith("//"):
                code += 1
    return files, lines, code


def footprint(build):
    cfg = build / "cfg" / "bench"
    elf, mapfile = cfg / "septa.elf", cfg / "septa.map"
    out = ["", f"Footprint of {elf.relative_to(ROOT)}"]
    size = subprocess.run([CROSS + "size", str(elf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    out += ["  " + l for l in size]
    out.append("  (text includes the embedded guest image and device tree; by origin:)")
    rows = []
    for origin, kinds in map_origins(mapfile).items():
        rows.append((origin, kinds.get("code", 0), kinds.get("read-only data", 0),
                     kinds.get("data+bss", 0)))
    out += ["  " + l for l in table(rows, ("from", "code", "read-only data",
                                           "data+bss")).splitlines()]
    hart = subprocess.run([CROSS + "size", "-A", str(elf)], capture_output=True, text=True,
                          check=True).stdout
    if m := re.search(r"^\.hart\s+(\d+)", hart, re.M):
        out.append(f"  plus .hart: {m.group(1)} B of per-hart stacks and TLS (8 harts)")

    sym = nm_sizes(elf)
    guests = vcpus = 8  # CFG_MAX_GUESTS, CFG_MAX_VCPUS (core/include/cfg_table.h)
    harts = 8  # HART_MAX (arch/riscv/include/hart_layout.h)
    per_vcpu = sym["arch_vcpus"] // (guests * vcpus)
    per_vm = sym["vms"] // guests
    per_root = sym["roots"] // guests
    stacks = 16384 + 256  # HART_STACK_SIZE + HART_TLS_SIZE
    out += ["", "RAM reserved statically (arrays sized for 8 guests x 8 vCPUs, 8 harts)",
            f"  per guest: {per_root} B G-stage root (roots) + {per_vm} B struct vm with its 8 "
            f"struct vcpu (vms) = {per_root + per_vm} B",
            f"  per vCPU:  {per_vcpu} B struct arch_vcpu (arch_vcpus)",
            f"  shared:    {sym['pool']} B page-table pool (pool, lower G-stage levels of "
            f"all guests), {sym.get('harts', 0) // harts} B struct hart + {stacks} B stack "
            f"and TLS per hart",
            f"  the bench guest (2 vCPUs): {per_root + per_vm + 2 * per_vcpu} B of its own, "
            f"plus its pages of the pool"]

    hv = sorted(p for d in ("core", "arch", "platform") for p in (ROOT / d).rglob("*")
                if p.suffix in (".c", ".h", ".S"))
    fdt = sorted(p for p in (build / "libfdt" / "src").glob("*") if p.suffix in (".c", ".h"))
    out += ["", "Source lines (C and assembly; code = not blank, not only comment)"]
    rows = []
    for label, paths in (("septa: core/", [p for p in hv if p.parts[len(ROOT.parts)] == "core"]),
                         ("septa: arch/", [p for p in hv if p.parts[len(ROOT.parts)] == "arch"]),
                         ("septa: platform/",
                          [p for p in hv if p.parts[len(ROOT.parts)] == "platform"]),
                         ("septa: total", hv),
                         ("libfdt (linux-source-6.1, all of src/)", fdt)):
        rows.append((label,) + count_lines(paths))
    out += ["  " + l for l in table(rows, ("", "files", "lines", "code")).splitlines()]
    out.append("  picolibc: linked from Debian's picolibc-riscv64-unknown-elf; "
               "only the bytes above are in the image")
    return "\n".join(out)


def versions():
    qemu = subprocess.run(["qemu-system-riscv64", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    gcc = subprocess.run([CROSS + "gcc", "--version"], capture_output=True,
                         text=True).stdout.splitlines()[0]
    return f"{qemu}; {gcc}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--cpu", default="rv64,h=true,sstc=true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    build = ROOT / args.build

    cmds = {(side, shift): (qemu_native if side == "native" else qemu_septa)(build, args.cpu,
                                                                             shift)
            for side in ("native", "septa") for shift in (0, 7)}
    cmds[("crowd", 7)] = qemu_septa(build, args.cpu, 7, "bench-crowd")
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {k: pool.submit(run, c) for k, c in cmds.items()}
        restart = pool.submit(run_restart, qemu_septa(build, args.cpu, 0, "bench-restart"))
        linux = {k: pool.submit(run_linux, c) for k, c in (
            ("native", qemu_linux_native(build, args.cpu)),
            ("one", qemu_septa(build, args.cpu, 0, "bench-linux-1")),
            ("two", qemu_septa(build, args.cpu, 0, "bench-linux-2on1")))}
        runs = {k: f.result() for k, f in futures.items()}
        reload_us = restart.result()
        doorbell = pool.submit(run_doorbell, qemu_septa(build, args.cpu, 0, "channel-bench"))
        alarm = {"native": pool.submit(run_alarm, qemu_alarm_native(build, args.cpu)),
                 "septa": pool.submit(run_alarm, qemu_septa(build, args.cpu, 0, "alarm-bench")
                                      + RTC_VM)}
        boots = {k: f.result() for k, f in linux.items()}
        bell, stream = doorbell.result()
        lat = {k: f.result() for k, f in alarm.items()}
    check_crowd(runs[("crowd", 7)][3])

    iters = runs[("native", 0)][0][("sbi_null", "instret")][0]
    print(f"septa bench: {iters} samples per measure, median [min-max]; "
          f"QEMU virt -cpu {args.cpu}, -icount sleep=off")
    print(f"  native: S-mode on OpenSBI, -smp 2; septa: VS-mode, 1 hart, 2 vCPUs")
    crowd = (ROOT / "configs" / "bench-crowd.conf").read_text()
    slice_ = m.group(1) if (m := re.search(r"^timeslice\s*=\s*(\S+)", crowd, re.M)) else "10ms"
    print(f"  busy vCPUs: configs/bench-crowd.conf, the bench guest and 2 spinners on 1 hart, "
          f"timeslice {slice_}")
    print(f"  {versions()}")
    print()
    print(measures(runs))
    # At shift=0 a µs of virtual time is 1000 instructions.
    print(table([("guest restart: 16 MiB zeroed, image and device tree reloaded",
                  "µs of hart time at 1 insn/ns", "-", f"{reload_us}",
                  f"{reload_us / 16:.0f} per MiB"),
                 ("Linux 6.1 boot to /init, 1 vCPU alone on its hart:", "", "", "", ""),
                 ("  from guest entry (natively from reset, firmware included)", "instructions",
                  f"{boots['native'][0]}", f"{boots['one'][0]}",
                  f"{boots['one'][0] / boots['native'][0]:.2f}"),
                 ("  from the kernel's clock start (CLOCK_BOOTTIME)", "instructions",
                  f"{boots['native'][1]}", f"{boots['one'][1]}",
                  f"{boots['one'][1] / boots['native'][1]:.2f}"),
                 ("Linux 6.1 boot to /init, 2 vCPUs on one hart, 1 ms slice:", "", "", "", ""),
                 ("  from guest entry", "instructions", "n/a", f"{boots['two'][0]}",
                  f"{boots['two'][0] / boots['native'][0]:.2f} of 1 hart"),
                 ("  from the kernel's clock start (CLOCK_BOOTTIME)", "instructions", "n/a",
                  f"{boots['two'][1]}", f"{boots['two'][1] / boots['native'][1]:.2f} of 1 hart"),
                 # Alone on its hart, so the ns of virtual time are its hart's.
                 ("device interrupt latency (goldfish RTC alarm), asleep in wfi",
                  "instructions", f"{lat['native'][1]} [{lat['native'][0]}-{lat['native'][2]}]",
                  f"{lat['septa'][1]} [{lat['septa'][0]}-{lat['septa'][2]}]",
                  f"{lat['septa'][1] / lat['native'][1]:.1f}")],
                ("once", "unit", "native", "septa", "septa/native")))
    print(table([("doorbell round trip: two guests on a hart each, a channel between them",
                  "instructions (both harts)", "-", f"{bell[1]} [{bell[0]}-{bell[2]}]", ""),
                 # At shift=0 a ns of virtual time is an instruction of either hart.
                 (f"channel throughput: {stream[0] >> 10} KiB one way through a ring in it",
                  "MiB/s at 1 insn/ns", "-", f"{stream[0] / stream[1] * 1e9 / (1 << 20):.2f}",
                  f"{stream[0] / stream[1]:.4f} bytes per instruction")],
                ("channel", "unit", "native", "septa", "")))
    for problem in cross_check(runs):
        print(f"WARNING: {problem}")
    print(footprint(build))


if __name__ == "__main__":
    main()
