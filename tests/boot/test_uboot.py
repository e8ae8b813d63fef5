"""Debian's U-Boot for S-mode as a guest (configs/uboot.conf): it comes up
on the virtual 16550 beside a ticker, stops its autoboot on a key, and
answers commands typed at its prompt; its reset (an SBI reboot) brings it
back while the ticker ticks on."""
from septa_boot import ROOT, build
from test_console import Session, tag

UBOOT = ROOT / "configs" / "uboot.conf"
TIMEOUT = 60


def test_uboot_prompt_answers_commands():
    s = Session(build(UBOOT), timeout=TIMEOUT)
    try:
        s.line("uboot", r"Model: septa guest uboot")
        s.line("uboot", r"DRAM:  64 MiB")
        s.expect(r"Hit any key to stop autoboot")
        s.child.send(" ")
        s.expect(tag("uboot") + r"=> ")
        s.child.send("echo hello from septa\r")
        s.line("uboot", r"hello from septa")
        s.expect(r"=> ")
        s.child.send("version\r")
        s.line("uboot", r"U-Boot 20\d\d\.\d\d[^\r\n]*")
        # reset is an SBI reboot: U-Boot alone starts again, from a fresh
        # image, and answers at its prompt once more.
        s.expect(r"=> ")
        s.child.send("reset\r")
        s.line("septa", r"guest uboot rebooting \(restart 1\): asked for a (cold|warm) reboot")
        s.expect(r"Hit any key to stop autoboot")
        s.child.send(" ")
        s.expect(tag("uboot") + r"=> ")
        s.child.send("echo back again\r")
        s.line("uboot", r"back again")
        s.ticker_kept_every_tick()
        assert "faulted" not in s.transcript()
    finally:
        s.child.close(force=True)
