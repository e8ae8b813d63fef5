"""Helpers for boot tests: build a config with make, boot it in QEMU through
mk/run.sh (the same command `make run` uses), and collect the transcript,
waiting for an expected line with a timeout rather than sleeping."""
import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
CPU_SSTC = "rv64,h=true,sstc=true"
CPU_NO_SSTC = "rv64,h=true,sstc=false"
# Matched without the tag: under pexpect the console is a TTY, so tags are coloured.
POWEROFF = "all guests stopped; powering off"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build(config, cpu=CPU_SSTC):
    """Builds the hypervisor for config; returns its build folder."""
    config = Path(config)
    rel = config.resolve().relative_to(ROOT) if config.is_absolute() else config
    r = subprocess.run(["make", "-s", "hv", f"CONFIG={rel}", f"QEMU_CPU={cpu}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"build of {rel} failed:\n{r.stdout}\n{r.stderr}"
    return ROOT / "build" / "cfg" / rel.stem


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
