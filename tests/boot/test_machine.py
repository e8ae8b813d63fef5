"""The hypervisor refuses, loudly and with the fix, a machine that is not the
one its config describes, and says which hart features it uses."""
from septa_boot import CPU_SSTC, ROOT, boot, build


def duo():
    return build(ROOT / "configs" / "duo.conf")


def test_reports_features():
    run = boot(duo())
    assert "hart features: H, Sstc (hypervisor timer on stimecmp)" in run.text()


def test_too_few_harts():
    run = boot(duo(), extra=["-smp", "1"])
    assert run.ended == "panic", run.text()
    assert "configs/duo.conf says harts = 2 but this machine has 1; run QEMU with -smp 2" \
        in run.text()
    assert run.qemu_exited


def test_wrong_ram():
    run = boot(duo(), extra=["-m", "256M"])
    assert run.ended == "panic", run.text()
    assert "says ram = 512 MiB at 0x80000000 but this machine has 256 MiB" in run.text()


def test_no_h_extension():
    run = boot(duo(), cpu="rv64,h=false")
    assert run.ended == "panic", run.text()
    assert "the harts have no H extension" in run.text()
    assert "run QEMU with -cpu rv64,h=true" in run.text()
