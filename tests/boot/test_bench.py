"""The bench guest under septa, with 10 samples per measure: every figure
make bench reads is printed and positive, in the plain run and in the run
with two spinners on its hart.  How fast is make bench's business, not this
test's."""
import re

from septa_boot import ROOT, boot, build

CONFIG = ROOT / "tests" / "configs" / "boot" / "bench-quick.conf"
CROWD = ROOT / "tests" / "configs" / "boot" / "bench-crowd-quick.conf"
LINE = re.compile(r"bench: (\w+) unit=(\w+) n=(\d+) min=(\d+) median=(\d+) max=(\d+)")
# (measure, unit) pairs tools/bench.py needs from a septa run.
EXPECTED = [(m, u) for m in ("sbi_null", "mmio_read", "mmio_write", "ipi_round_trip", "crc32")
            for u in ("ticks", "instret")] + [("timer_latency", "ticks"),
                                              ("timer_latency_busy", "ticks"),
                                              ("vcpu_switch", "instret")]
# 128 ns of virtual time per instruction, more than the 100 ns of one `time`
# tick: a figure of one instruction or more shows as at least one tick, as
# under make bench. (And the crowded run's spinners spin for a second of
# guest time: at shift=7 that is under 8 million instructions, where the
# shift=3 of septa_boot.ICOUNT would make it 125.)
SHIFT7 = ["-icount", "shift=7,sleep=off"]


def figures_of(out):
    figures = {}
    for line in out:
        if m := LINE.fullmatch(line):
            figures[(m.group(1), m.group(2))] = [int(m.group(i)) for i in range(3, 7)]
    return figures


def check_ended(run, out):
    assert run.ended == "poweroff" and run.qemu_exited, run.text()
    assert not any("PANIC" in l or "FAIL" in l for l in run.lines), run.text()
    assert "bench: done" in out, out
    assert "guest bench stopped: shut down" in run.tagged("septa")


def test_bench_figures():
    run = boot(build(CONFIG), extra=SHIFT7, timeout=120)
    out = run.tagged("bench")
    check_ended(run, out)

    assert re.fullmatch(r"bench: env under=septa sbi_impl=\d+ hart=0 iters=10", out[0]), out
    # septa answers every SBI call itself: nothing to forward.
    assert "bench: sbi_forward n/a (septa forwards no SBI call to firmware)" in out, out
    figures = figures_of(out)
    for key in EXPECTED:
        assert key in figures, f"no {key} line in {out}"
        n, lo, med, hi = figures[key]
        assert n == (3 if key[0] == "crc32" else 10), (key, figures[key])
        # A busy guest's timer interrupt comes straight from the hart
        # (Sstc), and QEMU arms its timer from the `time` value, dropping
        # the part of the current tick already gone: it can fire up to a
        # tick early, so 0 ticks is a true reading there, not a lost one.
        least = 0 if key == ("timer_latency_busy", "ticks") else 1
        assert least <= lo <= med <= hi and hi > 0, (key, figures[key])
    assert any(re.fullmatch(r"bench: crc32 bytes=262144 value=0x[0-9a-f]{8}", l) for l in out)


def test_bench_crowded_timer():
    """only=timer: the timer latency alone, while two spinners share the
    hart; they must still be spinning when the bench guest is done."""
    run = boot(build(CROWD), extra=SHIFT7, timeout=120)
    out = run.tagged("bench")
    check_ended(run, out)

    assert re.fullmatch(r"bench: env under=septa sbi_impl=\d+ hart=0 iters=10 only=timer",
                        out[0]), out
    figures = figures_of(out)
    assert set(figures) == {("overhead", "ticks"), ("overhead", "instret"),
                            ("timer_latency", "ticks")}, out
    n, lo, med, hi = figures[("timer_latency", "ticks")]
    assert n == 10 and 0 < lo <= med <= hi, figures
    done = run.lines.index("[bench] bench: done")
    for name in ("spin1", "spin2"):
        assert f"[{name}] spinner: done" in run.lines[done:], run.text()


def test_restart_reload_time():
    """make bench's restart row: the 16 MiB guest is reloaded once, and the
    statistics at power-off give that reload's hart time."""
    run = boot(build(ROOT / "tests" / "configs" / "boot" / "bench-restart.conf"),
               extra=["-icount", "shift=0,sleep=off"], timeout=120)
    assert run.ended == "poweroff", run.text()
    septa = run.tagged("septa")
    assert "guest crasher stopped: restart limit (1) reached" in septa, septa
    m = [re.fullmatch(r"stats guest crasher stopped restarts 1 reboots 0 reload_us (\d+)", l)
         for l in septa]
    us = [int(x.group(1)) for x in m if x]
    # 16 MiB at eight stores a loop is millions of instructions: well over
    # a millisecond at one instruction per ns, and not zero.
    assert len(us) == 1 and us[0] > 1000, septa
