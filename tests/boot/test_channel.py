"""Channels between partitions: two members pass numbered messages both
ways through rings in shared memory, ringing each other's doorbell (the
SBI extension 0x0943484e raising a source in the other's virtual PLIC); a
guest that is no member can neither reach the window nor ring; a member
that is no writer maps it read-only; make map shows it all."""
import re
import subprocess

from septa_boot import BUILD, ROOT, boot, build

CONFIG = ROOT / "configs" / "channel.conf"
BOOT = ROOT / "tests" / "configs" / "boot"
MESSAGES = 1000  # guests/chan/main.c
SBI_ERR_DENIED = -4


def dt_line(member, irq=31, base="0xa0000000", size="0x2000", label="ring", rw="rw"):
    return (f"chan: channel@{base[2:]} label {label} compatible septa,channel reg {base}+{size} "
            f"interrupt {irq} parent sifive,plic-1.0.0 channel 0 member {member} of 2 {rw}")


def test_messages_both_ways_and_a_stranger_faults():
    run = boot(build(CONFIG), timeout=120)
    assert run.ended == "poweroff", run.text()
    septa = run.tagged("septa")
    assert "channel ring: 8 KiB at host 0x80e00000, 2 members, doorbell interrupt 31" in septa
    # Each member found the channel in its device tree, as the config says.
    for member, name in enumerate(["ping", "pong"]):
        out = run.tagged(name)
        assert out[0] == dt_line(member), out
        m = re.fullmatch(rf"chan: member {member}: sent {MESSAGES}, received {MESSAGES} in order, "
                         r"(\d+) doorbells", out[-1])
        assert m, run.text()
        # Waiting came from the doorbell: at least one, at most one a message.
        assert 1 <= int(m.group(1)) <= MESSAGES, out[-1]
        assert f"guest {name} stopped: shut down" in septa, septa
        assert not any("out of order" in l or "stuck" in l or "failed" in l for l in out), out
    # spy: its ring refused, its read of the window a fault; the others finish.
    spy = run.tagged("spy")
    assert spy[0] == f"chan: ring(0, 0) as a stranger: error {SBI_ERR_DENIED}", spy
    assert spy[1] == "chan: peeking at 0xa0000000, which my device tree does not give me", spy
    assert not any("isolation is broken" in l for l in spy), spy
    assert any(re.fullmatch(r"guest spy faulted: vcpu 0 on hart 0: load from guest-physical "
                            r"0xa0000000, not mapped for this guest; .*", l) for l in septa), septa
    assert "guest spy stopped: on-fault = stop" in septa
    assert not any("faulted" in l for l in septa if "spy" not in l), septa


def test_read_only_member_faults_on_a_store():
    """writers = writer: reader sees the channel read-only (its device tree
    says so) and its store there faults; pinned address and interrupt hold."""
    run = boot(build(BOOT / "channel-ro.conf"), timeout=60)
    assert run.ended == "poweroff", run.text()
    out = run.tagged("reader")
    assert out[0] == dt_line(1, irq=5, base="0xb0000000", size="0x1000", label="notes", rw="ro"), out
    assert out[1] == "chan: writing to my read-only channel", out
    assert not any("isolation is broken" in l for l in out), out
    septa = run.tagged("septa")
    assert any(re.fullmatch(r"guest reader faulted: vcpu 0 on hart 1: store to guest-physical "
                            r"0xb0000000.*", l) for l in septa), septa
    assert "guest writer stopped: shut down" in septa


def test_map_shows_channels():
    r = subprocess.run(["make", "-s", "map", f"CONFIG={CONFIG.relative_to(ROOT)}",
                        f"BUILD={BUILD}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert re.search(r"0x80e00000\s+0x80e02000\s+8 KiB\s+channel ring \(zeroed at boot\)", out), out
    assert "channel 0 ring: 8 KiB, host 0x80e00000..0x80e02000, doorbell interrupt 31" in out, out
    assert re.search(r"member 0 ping\s+guest 0xa0000000..0xa0002000 rw", out), out
    assert re.search(r"member 1 pong\s+guest 0xa0000000..0xa0002000 rw", out), out
    # In each member's own view, and nowhere in spy's.
    spy = out.split("Guest spy:")[1].split("Harts")[0]
    assert "channel" not in spy, spy
    r = subprocess.run(["make", "-s", "map", f"CONFIG={(BOOT / 'channel-ro.conf').relative_to(ROOT)}",
                        f"BUILD={BUILD}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert re.search(r"member 1 reader\s+guest 0xb0000000..0xb0001000 ro", r.stdout), r.stdout


def test_doorbell_round_trip():
    """bootargs bench: 200 rings answered by rings, each taken from wfi,
    then 256 KiB streamed one way through the channel, every word checked
    by the receiver; the figures are only checked for sense (make bench's
    business)."""
    run = boot(build(BOOT / "channel-bench.conf"), timeout=60)
    assert run.ended == "poweroff", run.text()
    out = run.tagged("ping")
    m = re.fullmatch(r"chan: doorbell round trip n=200 min=(\d+) median=(\d+) max=(\d+) ns",
                     out[-2])
    assert m, run.text()
    lo, mid, hi = (int(x) for x in m.groups())
    assert 0 < lo <= mid <= hi, out[-2]
    m = re.fullmatch(r"chan: channel throughput bytes=262144 ns=(\d+)", out[-1])
    assert m, run.text()
    # A byte moved takes instructions: a stream faster than the round trip
    # per slot would mean the timing is broken.
    assert int(m.group(1)) > 262144 // 256 * 100, out[-1]
    pong = run.tagged("pong")
    assert pong[-2:] == ["chan: member 1: answered 200 rings",
                         "chan: member 1: received 262144 bytes intact"], run.text()
    assert "faulted" not in run.text()
