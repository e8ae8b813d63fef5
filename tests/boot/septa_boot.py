"""Helpers for boot tests: build a config with make, boot it in QEMU through
mk/run.sh (the same command `make run` uses), and collect the transcript,
waiting for an expected line with a timeout rather than sleeping."""
import io
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
# Several checkouts' worth of work can share a tree: SEPTA_BUILD picks the
# build folder (make's BUILD), relative to the tree.
BUILD = os.environ.get("SEPTA_BUILD", "build")
CPU_SSTC = "rv64,h=true,sstc=true"
CPU_NO_SSTC = "rv64,h=true,sstc=false"
# Matched without the tag: under pexpect the console is a TTY, so tags are coloured.
POWEROFF = "all guests stopped; powering off"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build(config, cpu=CPU_SSTC):
    """Builds the hypervisor for config; returns its build folder."""
    config = Path(config)
    rel = config.resolve().relative_to(ROOT) if config.is_absolute() else config
    r = subprocess.run(["make", "-s", "hv", f"CONFIG={rel}", f"QEMU_CPU={cpu}", f"BUILD={BUILD}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"build of {rel} failed:\n{r.stdout}\n{r.stderr}"
    return ROOT / BUILD / "cfg" / rel.stem


@dataclass
class Run:
    lines: list = field(default_factory=list)
    ended: str = ""  # "poweroff", "panic", "eof" or "timeout"
    qemu_exited: bool = False
    raw: str = ""  # with colour codes

    def tagged(self, tag):
        """The lines a guest (or "septa") printed, tag removed, in order."""
        prefix = f"[{tag}] "
        return [l[len(prefix):] for l in self.lines if l.startswith(prefix)]

    def text(self):
        return "\n".join(self.lines)


def boot(cfg_out, cpu=CPU_SSTC, extra=(), until=POWEROFF, timeout=60):
    """Boots a built config and reads its console until the line `until`, a
    panic, QEMU exiting, or the timeout, whichever comes first; then lets
    QEMU exit (it does by itself after a power-off) and returns the run."""
    log = io.StringIO()
    child = pexpect.spawn("sh", ["mk/run.sh", str(cfg_out), cpu, *extra], cwd=ROOT,
                          encoding="utf-8", codec_errors="replace", timeout=timeout)
    child.logfile_read = log
    run = Run()
    try:
        i = child.expect([re.escape(until), r"PANIC: [^\r\n]*\r*\n",
                          pexpect.EOF, pexpect.TIMEOUT])
        run.ended = ["poweroff", "panic", "eof", "timeout"][i]
        if i < 2:
            j = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=10)
            run.qemu_exited = j == 0
        else:
            run.qemu_exited = i == 2
    finally:
        child.close(force=True)
    run.raw = log.getvalue()
    run.lines = [l for l in ANSI.sub("", log.getvalue()).replace("\r", "").split("\n")
                 if l.strip()]
    return run


def parse_config(path):
    """The guests of a config file as dicts (name, image, memory, harts),
    read the simple way: enough for tests to know what to expect."""
    guests, cur = [], None
    for raw in Path(path).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"\[guest\s+([\w-]+)\]", line)
        if m:
            cur = {"name": m.group(1), "vcpus": "1"}
            guests.append(cur)
            continue
        if cur is not None and "=" in line:
            k, v = (s.strip() for s in line.split("=", 1))
            cur[k] = v
    return guests


TICKS = 20  # guests/ticker/main.c
SPIN_SECONDS = 5  # guests/spinner/main.c
SIZE = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def mib(size):
    m = re.fullmatch(r"(\d+)\s*([KMG])", size.split("@")[0].strip())
    return int(m.group(1)) * SIZE[m.group(2)] >> 20


def check_guest(run, guest):
    """The lines one guest must print, in order, for its image."""
    name, image = guest["name"], Path(guest["image"]).stem
    out = run.tagged(name)
    if image == "hello":
        assert out[:2] == [f"hello from vcpu 0: {mib(guest['memory'])} MiB of RAM at 0x80000000",
                           "hello: done"], out
    elif image == "ticker":
        ticks = [l for l in out if l.startswith("tick ")]
        assert [int(l.split()[1]) for l in ticks] == list(range(1, TICKS + 1)), out
        # A tick is never early: its time is at least n * 100 ms.
        for l in ticks:
            n, ms = int(l.split()[1]), int(l.split()[3])
            assert ms >= n * 100, l
        assert out[-1] == f"ticker: {TICKS} ticks done", out
    elif image == "spinner":
        spins = [l for l in out if l.startswith("spin ")]
        assert [int(l.split()[1].rstrip(":")) for l in spins] == list(range(1, SPIN_SECONDS + 1)), out
        assert out[-1] == "spinner: done", out
    elif image == "smp":
        assert out[:2] == ["smp: vcpu 0 up", "smp: vcpu 1 up"] or \
            out[:2] == ["smp: vcpu 1 up", "smp: vcpu 0 up"], out
        assert any(re.fullmatch(r"smp: 32 rounds ok, round trip min \d+ max \d+ us", l)
                   for l in out), out
        assert out[-1] == "smp: done", out
        assert not any("FAIL" in l for l in out), out
    elif image == "fpu":
        assert any(re.fullmatch(r"fpu: \d+ rounds ok", l) for l in out), out
        assert not any("FAIL" in l for l in out), out
    elif image == "clock":
        # The board's RTC, granted: a date after this code was written, and
        # time that moves on while the guest waits 100 ms of its own time.
        m = re.fullmatch(r"clock: (\S+) says (\d+) s since 1970", out[0])
        assert m and int(m.group(2)) > 1_750_000_000, out
        m = re.fullmatch(r"clock: 100 ms later it had moved on by (\d+) ms", out[1])
        assert m and int(m.group(1)) >= 50, out
    elif image == "bench":
        # Figures are make bench's business; here only that every measure
        # ran and printed its line (or said why it has none).
        assert not any("FAIL" in l for l in out), out
        assert out[-1] == "bench: done", out
        assert all(re.fullmatch(r"bench: (env .*|\w+ (unit=\w+ n=\d+ min=\d+ median=\d+ max=\d+"
                                r"|n/a \(.*\)|bytes=\d+ value=0x[0-9a-f]+)|done)", l)
                   for l in out), out
    else:
        raise AssertionError(f"no expectations for image {image}")
    assert f"guest {name} stopped: shut down" in run.tagged("septa")


def check_run(run, config):
    assert run.ended == "poweroff", run.text()
    assert run.qemu_exited, "QEMU did not exit after the power-off"
    assert not any("PANIC" in l or "not mapped" in l for l in run.lines), run.text()
    for guest in parse_config(config):
        check_guest(run, guest)


# Instruction-counted time: virtual time follows the instructions QEMU runs,
# not the host's clock, so lateness measured in guest time cannot come from
# a busy host. shift=3: 8 ns per instruction.
ICOUNT = ["-icount", "shift=3,sleep=off"]
STATS = re.compile(r"stats vcpu (\S+)\.(\d+) hart (\d+) run_ms (\d+) alive_ms (\d+) "
                   r"share (\d+\.\d)% slices (\d+) sbi (\d+) timer_irqs (\d+) ipis (\d+)")
HART_STATS = re.compile(r"stats hart (\d+) up_ms (\d+) idle_ms (\d+) idle (\d+\.\d)%")


def vcpu_stats(run):
    """{"name.id": {"share": float, "run_ms": int, ...}} from the power-off stats."""
    out = {}
    for line in run.tagged("septa"):
        m = STATS.fullmatch(line.split(" traps ")[0])
        if m:
            out[f"{m.group(1)}.{m.group(2)}"] = {
                "hart": int(m.group(3)), "run_ms": int(m.group(4)),
                "alive_ms": int(m.group(5)), "share": float(m.group(6)),
                "slices": int(m.group(7)), "timer_irqs": int(m.group(9)),
                "ipis": int(m.group(10))}
    return out


def hart_stats(run):
    out = {}
    for line in run.tagged("septa"):
        m = HART_STATS.fullmatch(line)
        if m:
            out[int(m.group(1))] = {"up_ms": int(m.group(2)), "idle_ms": int(m.group(3)),
                                    "idle": float(m.group(4))}
    return out
