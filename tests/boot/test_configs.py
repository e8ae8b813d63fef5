"""Every shipped config boots, every guest prints what its image should, and
the run ends by itself when the last guest shuts down."""
import re
from pathlib import Path

import pytest

from septa_boot import CPU_NO_SSTC, CPU_SSTC, POWEROFF, ROOT, boot, build, parse_config

CONFIGS = sorted((ROOT / "configs").glob("*.conf"))
TICKS = 20  # guests/ticker/main.c
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
    else:
        pytest.fail(f"no expectations for image {image}")
    assert f"guest {name} stopped: shut down" in run.tagged("septa")


def check_run(run, config):
    assert run.ended == "poweroff", run.text()
    assert run.qemu_exited, "QEMU did not exit after the power-off"
    assert not any("PANIC" in l or "not mapped" in l for l in run.lines), run.text()
    for guest in parse_config(config):
        check_guest(run, guest)


@pytest.mark.parametrize("config", CONFIGS, ids=[c.stem for c in CONFIGS])
def test_config_boots(config):
    run = boot(build(config))
    check_run(run, config)


def test_lines_never_interleave():
    """Tags only ever start a line: no guest's text lands inside another's."""
    config = ROOT / "configs" / "trio.conf"
    run = boot(build(config))
    check_run(run, config)
    names = [g["name"] for g in parse_config(config)] + ["septa"]
    for line in run.lines:
        for name in names:
            assert f"[{name}]" not in line[1:], line


def test_without_sstc():
    """The hypervisor timer through SBI set_timer instead of stimecmp."""
    config = ROOT / "configs" / "trio.conf"
    run = boot(build(config, CPU_NO_SSTC), CPU_NO_SSTC)
    assert "no Sstc" in run.tagged("septa")[1]
    check_run(run, config)
    build(config, CPU_SSTC)  # leave the default build behind


def test_tags_coloured_on_a_tty():
    """Under pexpect the console is a TTY: tags carry the configured colour."""
    run = boot(build(ROOT / "configs" / "duo.conf"))
    assert "\x1b[36m[alpha]\x1b[0m hello from vcpu 0" in run.raw  # color = cyan
    assert "\x1b[33m[beta]\x1b[0m tick 1 at" in run.raw  # color = yellow
