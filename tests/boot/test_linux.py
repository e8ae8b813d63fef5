"""Linux as a guest (configs/linux.conf, built by make linux): it reaches
its /init in userspace with both vCPUs, its clocks agree, the ticker beside
it keeps ticking, and typed lines reach /init on the 16550 (ttyS0) and on
the SBI console (hvc0). /init's checks are chosen by words in bootargs
(guests/linux/init.c, doc/guests.md)."""
import re
from pathlib import Path

from septa_boot import BUILD, ROOT, TICKS, boot, build
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
        s.ticker_kept_every_tick()
        # Keys go to the first guest: /init echoes each line typed.
        s.child.send("hello septa\r")
        s.line("linux", r"init: got 'hello septa'")
        s.nothing_faulted()
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


def test_linux_user_traps_are_linux_business_and_reboot_comes_back():
    """A user process running an illegal instruction, wfi or csrr sstatus
    gets SIGILL and Linux lives on (illegal instructions are delegated;
    virtual instructions from VU-mode are handed to Linux as illegal ones).
    Then reboot (SBI SRST) restarts Linux alone: it comes back up, told it
    is restart 1, while the ticker beside it keeps ticking."""
    s = Session(build(variant("linux-traps", "console=ttyS0 traps reboot")), timeout=TIMEOUT)
    try:
        s.line("linux", r"init: septa linux checklist: traps reboot")
        for name in ("illegal", "wfi", "csr"):
            s.line("linux", rf"init: trap {name} SIGILL ok")
        s.line("linux", r"init: traps ok")
        s.line("linux", r"init: reboot")
        s.line("septa", r"guest linux rebooting \(restart 1\): asked for a cold reboot")
        s.line("linux", r"init: septa linux checklist: traps reboot")
        s.line("linux", r"init: traps ok")
        s.line("linux", r"init: rebooted: septa restart 1")
        s.line("linux", r"init: done")
        s.ticker_kept_every_tick()
        s.nothing_faulted()
    finally:
        s.child.close(force=True)


def test_linux_poweroff_stops_only_linux():
    """poweroff (SBI SRST shutdown) stops Linux; the ticker runs to its end
    and, as the last guest, powers the machine off."""
    s = Session(build(variant("linux-off", "console=ttyS0 poweroff")), timeout=TIMEOUT)
    try:
        s.line("linux", r"init: poweroff")
        s.line("septa", r"guest linux stopped: shut down")
        s.line("septa", r"all guests stopped; powering off")
        # The ticker had ended before the power-off line: nothing to wait for.
        assert f"[tick] ticker: {TICKS} ticks done" in s.transcript(), s.transcript()
        s.ticker_kept_every_tick()
        assert "init: poweroff returned" not in s.transcript()
    finally:
        s.child.close(force=True)


SHARED = """# Linux's two vCPUs and a ticker all on hart 0 (written by test_linux.py).
platform  = qemu-virt
harts     = 2
ram       = 512M
timeslice = 1ms

[guest linux]
image    = linux
initrd   = linux
memory   = 128M
harts    = 0, 0
bootargs = console=ttyS0 harts timers

[guest tick]
image = ticker
memory = 2M
harts = 0
"""


def test_linux_two_vcpus_share_a_hart_with_a_ticker():
    """Both of Linux's vCPUs on hart 0, beside a ticker: Linux brings up
    both, its clocks agree, and the ticker keeps every tick in order.
    A short slice, since an SMP kernel spins waiting for its other vCPU."""
    path = ROOT / BUILD / "test-configs" / "linux-shared.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SHARED)
    s = Session(build(path), timeout=TIMEOUT)
    try:
        s.line("linux", r"init: septa linux checklist: harts timers")
        s.line("linux", r"init: harts 2")
        m = s.line("linux", r"init: timers monotonic (\d+) ms rdtime (\d+) ms at (\d+) Hz (\w+)")
        assert m.group(4) == "ok", s.transcript()
        s.line("linux", r"init: done")
        s.ticker_kept_every_tick()
        s.nothing_faulted()
    finally:
        s.child.close(force=True)


def test_linux_is_a_channel_member():
    """/init's chan word: Linux maps its channel through /dev/mem and passes
    1000 numbered messages each way with a bare-metal chan guest, both
    polling; then Linux powers off and the machine with it."""
    run = boot(build(ROOT / "tests" / "configs" / "boot" / "linux-chan.conf"), timeout=TIMEOUT)
    assert run.ended == "poweroff", run.text()
    linux = run.tagged("linux")
    assert "init: chan: channel@a0000000 at 0xa0000000 size 0x2000 member 0 of 2" in linux, \
        run.text()
    assert "init: chan: sent 1000, received 1000 in order ok" in linux, run.text()
    assert run.tagged("peer")[-1] == "chan: member 1: sent 1000, received 1000 in order, " \
        "0 doorbells", run.text()
    assert "faulted" not in run.text()
