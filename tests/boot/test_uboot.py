"""Debian's U-Boot for S-mode as a guest (configs/uboot.conf): it comes up
on the virtual 16550 beside a ticker, stops its autoboot on a key, and
answers commands typed at its prompt; its reset (an SBI reboot) brings it
back while the ticker ticks on."""
from septa_boot import ROOT, build
from test_console import Session, tag

UBOOT = ROOT / "configs" / "uboot.conf"
TIMEOUT = 60


def stop_autoboot_and_say(s, text):
    """Stops U-Boot's autoboot with a key and has its prompt echo text."""
    s.expect(r"Hit any key to stop autoboot")
    s.child.send(" ")
    s.expect(tag("uboot") + r"=> ")
    s.child.send(f"echo {text}\r")
    s.line("uboot", text)


def test_uboot_prompt_answers_commands():
    s = Session(build(UBOOT), timeout=TIMEOUT)
    try:
        s.line("uboot", r"Model: septa guest uboot")
        s.line("uboot", r"DRAM:  64 MiB")
        stop_autoboot_and_say(s, "hello from septa")
        s.expect(r"=> ")
        s.child.send("version\r")
        s.line("uboot", r"U-Boot 20\d\d\.\d\d[^\r\n]*")
        # reset is an SBI reboot: U-Boot alone starts again, from a fresh
        # image, and answers at its prompt once more.
        s.expect(r"=> ")
        s.child.send("reset\r")
        s.line("septa", r"guest uboot rebooting \(restart 1\): asked for a (cold|warm) reboot")
        stop_autoboot_and_say(s, "back again")
        s.ticker_kept_every_tick()
        s.nothing_faulted()
    finally:
        s.child.close(force=True)
