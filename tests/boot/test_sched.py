"""Scheduling you can rely on: fair slices, timers on time while sharing a
hart, idle harts that sleep, SMP guests, FP state kept apart, both with and
without Sstc."""
import re

import pytest

from septa_boot import (CPU_NO_SSTC, CPU_SSTC, ICOUNT, ROOT, boot, build, check_run,
                        hart_stats, vcpu_stats)

BOOT = ROOT / "tests" / "configs" / "boot"
CPUS = pytest.mark.parametrize("cpu", [CPU_SSTC, CPU_NO_SSTC], ids=["sstc", "no-sstc"])


def run_config(name, cpu=CPU_SSTC, extra=(), timeout=120):
    config = BOOT / f"{name}.conf"
    run = boot(build(config, cpu), cpu, extra=extra, timeout=timeout)
    check_run(run, config)
    return run


@CPUS
def test_fair_share(cpu):
    """Three spinners that never yield split their hart evenly: each gets
    between 1/3 - 5% and 1/3 + 5% of the time it was alive. Instruction-
    counted time, so that a busy host stalling QEMU cannot charge its stall
    to whichever spinner had the hart."""
    stats = vcpu_stats(run_config("fair", cpu, extra=ICOUNT, timeout=180))
    for name in ("s1.0", "s2.0", "s3.0"):
        assert 100 / 3 - 5 <= stats[name]["share"] <= 100 / 3 + 5, stats
        assert stats[name]["slices"] > 100, stats  # really switched, not run in turn


@CPUS
def test_ticker_on_time_beside_spinners(cpu):
    """A ticker sharing its hart with two spinners still ticks every 100 ms,
    each tick at most one slice (10 ms) late, in instruction-counted time."""
    run = run_config("latency", cpu, extra=ICOUNT, timeout=180)
    ticks = [l for l in run.tagged("tick") if l.startswith("tick ")]
    assert len(ticks) == 20
    for line in ticks:
        n, ms = int(line.split()[1]), int(line.split()[3])
        assert n * 100 <= ms <= n * 100 + 10, line


@CPUS
def test_idle_hart_sleeps(cpu):
    """A ticker alone on a hart waits in WFI: the hart is idle most of the time."""
    run = run_config("idle", cpu)
    harts = hart_stats(run)
    assert harts[1]["idle"] >= 80.0, harts
    assert vcpu_stats(run)["tick.0"]["timer_irqs"] == 20


@CPUS
@pytest.mark.parametrize("config", ["smp-one-hart", "smp-two-harts"])
def test_smp_ipi_rounds(cpu, config):
    """vCPU 0 starts vCPU 1 through HSM and ping-pongs IPIs with it."""
    run = run_config(config, cpu)
    stats = vcpu_stats(run)
    assert stats["smp.1"]["ipis"] >= 32 and stats["smp.0"]["ipis"] >= 32, stats


def test_fpu_state_kept_apart():
    """Two guests using F/D registers with different values on one hart."""
    run = run_config("fpu")
    for name in ("f1", "f2"):
        assert any(re.fullmatch(r"fpu: \d+ rounds ok", l) for l in run.tagged(name))


def test_frequent_waker_leaves_spinners_even():
    """A vCPU woken by its timer every few ms takes the hart from whichever
    spinner runs; the spinner keeps the rest of its slice for its next turn
    rather than starting a fresh one, so the spinner queued behind it is not
    starved: every second, both spinners count within 20% of each other."""
    config = BOOT / "wake-fair.conf"
    run = boot(build(config), extra=ICOUNT, timeout=180)
    assert run.ended == "poweroff", run.text()
    assert "[bench] bench: done" in run.lines, run.text()
    counts = {}
    for name in ("spin1", "spin2"):
        spins = [l for l in run.tagged(name) if l.startswith("spin ")]
        counts[name] = [int(l.split()[2]) for l in spins]
        assert len(counts[name]) == 2, run.tagged(name)
    # The bench guest woke all through the first second (it lives ~0.4 s).
    assert run.lines.index("[bench] bench: done") < run.lines.index(
        "[spin1] spin 1: %d" % counts["spin1"][0]), run.text()
    for a, b in zip(counts["spin1"], counts["spin2"]):
        assert min(a, b) >= 0.8 * max(a, b), counts
    stats = vcpu_stats(run)
    assert stats["bench.0"]["slices"] > 200, stats  # it really woke often
