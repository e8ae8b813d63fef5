"""Linux as a guest (configs/linux.conf, built by make linux): it reaches
its /init in userspace with both vCPUs, its clocks agree, the ticker beside
it keeps ticking, and typed lines reach /init on the 16550 (ttyS0) and on
the SBI console (hvc0). /init's checks are chosen by words in bootargs
(guests/linux/init.c, doc/guests.md)."""
import re
from pathlib import Path

from septa_boot import BUILD, ROOT, TICKS, build
from test_console import Session

LINUX = ROOT / "configs" / "linux.conf"
# Booting a kernel under TCG on a busy host: generous, the expect returns early.
TIMEOUT = 180


def variant(name, bootargs):
    """configs/linux.conf with other bootargs, written under the build folder."""
    text = re.sub(r"(?m)^bootargs *=.*$", f"bootargs = {bootargs}", LINUX.read_text())
    path = ROOT / BUILD / "test-configs" / f"{name}.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_linux_reaches_init_beside_a_ticker():
    s = Session(build(LINUX), timeout=TIMEOUT)
    try:
        s.line("linux", r"init: septa linux checklist: harts timers")
        s.line("linux", r"init: harts 2")
        m = s.line("linux", r"init: timers monotonic (\d+) ms rdtime (\d+) ms at (\d+) Hz (\w+)")
        assert m.group(4) == "ok", s.transcript()
        assert abs(int(m.group(1)) - int(m.group(2))) <= 20, s.transcript()
        s.line("linux", r"init: done")
        # The ticker shares hart 1 with Linux's vCPU 1 and must finish while
        # Linux boots (it may have already).
        if f"ticker: {TICKS} ticks done" not in s.transcript():
            s.line("tick", rf"ticker: {TICKS} ticks done")
        ticks = [int(n) for n in re.findall(r"\[tick\] tick (\d+) at", s.transcript())]
        assert ticks == list(range(1, TICKS + 1)), s.transcript()
        # Keys go to the first guest: /init echoes each line typed.
        s.child.send("hello septa\r")
        s.line("linux", r"init: got 'hello septa'")
        assert "Kernel panic" not in s.transcript()
        assert "faulted" not in s.transcript()
    finally:
        s.child.close(force=True)


def test_linux_input_on_the_sbi_console():
    """console=hvc0: Linux reads keys with SBI console_getchar."""
    s = Session(build(variant("linux-hvc", "console=hvc0 input")), timeout=TIMEOUT)
    try:
        s.line("linux", r"init: septa linux checklist: input")
        s.line("linux", r"init: input: type a line")
        s.child.send("over sbi\r")
        s.line("linux", r"init: got 'over sbi'")
    finally:
        s.child.close(force=True)
