"""Every shipped config boots, every guest prints what its image should, and
the run ends by itself when the last guest shuts down."""
import pytest

from septa_boot import CPU_NO_SSTC, CPU_SSTC, ROOT, boot, build, check_run, parse_config

# These have tests of their own that drive them: interactive waits for typed
# input (test_console.py), isolation-demo faults on purpose and is checked
# step by step (test_isolation.py); linux and uboot never power off by
# themselves and are driven by test_linux.py; channel's spy faults on
# purpose (test_channel.py).
DEDICATED = {"interactive", "isolation-demo", "linux", "uboot", "channel"}
CONFIGS = sorted(c for c in (ROOT / "configs").glob("*.conf") if c.stem not in DEDICATED)

@pytest.mark.parametrize("config", CONFIGS, ids=[c.stem for c in CONFIGS])
def test_config_boots(config):
    # The bench guest measures in instruction-counted time (make bench runs
    # it so); on the host's clock its timer measure cannot arm in time.
    extra = ["-icount", "shift=7,sleep=off"] if config.stem.startswith("bench") else []
    run = boot(build(config), extra=extra, timeout=180)
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
