"""SBI reboot: a guest's cold or warm reboot restarts that guest alone, from
a fresh image, without counting against its restart-limit; the guest on its
hart keeps ticking; the statistics count the reboots."""
import re

from septa_boot import ROOT, TICKS, boot, build


def test_reboot_restarts_one_guest_and_is_not_a_crash():
    run = boot(build(ROOT / "tests" / "configs" / "boot" / "reboot.conf"), timeout=120)
    assert run.ended == "poweroff", run.text()
    assert run.tagged("rebooter") == [
        "rebooter: boot 0, asking for a cold reboot",
        "rebooter: boot 1, asking for a warm reboot",
        "rebooter: boot 2, faulting once",
        "rebooter: boot 3, every reboot and the restart came back",
    ], run.text()
    septa = run.tagged("septa")
    assert "guest rebooter rebooting (restart 1): asked for a cold reboot" in septa
    assert "guest rebooter rebooting (restart 2): asked for a warm reboot" in septa
    # The fault is the first that counts: restart-limit = 1 still allows it.
    assert "guest rebooter restarting (restart 3, in 0 ms): on-fault = restart" in septa
    assert "guest rebooter stopped: shut down" in septa
    assert not any("restart limit" in l for l in septa), septa
    assert any(re.fullmatch(r"stats guest rebooter stopped restarts 3 reboots 2 reload_us \d+", l)
               for l in septa), septa
    assert run.tagged("tick")[-1] == f"ticker: {TICKS} ticks done"
