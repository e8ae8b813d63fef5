"""Devices that belong to one partition: a granted device's interrupt line
reaches its guest through the guest's virtual PLIC (the board line is
enabled on the physical PLIC for the hart of the guest's vCPU 0, claimed
there and completed only when the guest completes), whether the guest
sleeps in wfi or spins when it fires."""
import re
import subprocess

from septa_boot import BUILD, ROOT, TICKS, boot, build
from test_console import Session

BOOT = ROOT / "tests" / "configs" / "boot"
# Booting a kernel under TCG on a busy host: generous, the expect returns early.
LINUX_TIMEOUT = 180


def test_rtc_alarm_interrupt_reaches_its_guest():
    """clock (on hart 1, beside a ticker) arms the goldfish RTC's alarm three
    times and takes each through its virtual PLIC, about 100 ms later; the
    second while it spins (a host interrupt trap), the others while it
    sleeps."""
    run = boot(build(BOOT / "irq.conf"), timeout=60)
    assert run.ended == "poweroff", run.text()
    septa = run.tagged("septa")
    assert "guest clock: board interrupt 11 is its own, taken on hart 1" in septa, septa
    clock = run.tagged("clock")
    assert len(clock) == 4, run.text()
    for n, line in enumerate(clock[:3], 1):
        m = re.fullmatch(rf"clock: alarm {n}: interrupt 11 after (\d+) ms", line)
        assert m and 95 <= int(m.group(1)) <= 400, run.text()
    assert clock[3] == "clock: 3 alarms, 3 interrupts"
    # While clock spins its hart never idles: the line is taken by a trap
    # from a guest, clock's or (when it came while septa ran) the ticker's.
    irqs = [int(n) for n in re.findall(r"stats vcpu (?:clock|tick)\.0 .* irq=(\d+) ", run.text())]
    assert len(irqs) == 2 and sum(irqs) >= 1, run.text()
    assert run.tagged("tick")[-1] == f"ticker: {TICKS} ticks done"
    assert "faulted" not in run.text()


def test_rtc_alarm_latency_bench():
    """bootargs bench (make bench's latency row): clock alone on its hart
    arms the alarm 50 times for an RTC time T and reads the RTC first thing
    in its handler. With the RTC on virtual time at shift=0 the latency is
    instructions: some, for septa's trap, claim and injection, and far
    under the 1 ms between alarms; the figures are make bench's business."""
    run = boot(build(BOOT / "alarm-bench.conf"), timeout=60,
               extra=["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"])
    assert run.ended == "poweroff", run.text()
    m = re.fullmatch(r"clock: alarm latency n=50 min=(\d+) median=(\d+) max=(\d+) ns",
                     run.tagged("clock")[-1])
    assert m, run.text()
    lo, mid, hi = (int(x) for x in m.groups())
    assert 100 < lo <= mid <= hi < 100000, m.group(0)


def test_linux_rtc_alarm_interrupt():
    """Linux with the RTC granted: the device tree gives the RTC interrupt 11
    on its virtual PLIC, the goldfish driver binds, and an alarm two seconds
    ahead comes back as an interrupt that /proc/interrupts counts."""
    s = Session(build(BOOT / "linux-rtc.conf"), timeout=LINUX_TIMEOUT)
    try:
        s.line("linux", r"init: septa linux checklist: rtc")
        s.line("linux", r"init: rtc: device tree interrupts 11")
        m = s.line("linux", r"init: rtc: alarm after (\d+) ms, interrupt (\d+) count (-?\d+) -> "
                   r"(\d+) (\w+)")
        assert m.group(5) == "ok" and m.group(2) == "11", s.transcript()
        assert 500 <= int(m.group(1)) <= 3000, s.transcript()
        s.line("linux", r"init: done")
        s.nothing_faulted()
    finally:
        s.child.close(force=True)


def test_linux_identity_mapped_ram():
    """memory = 128M @ 0x90000000 identity: Linux boots with its RAM where
    it really is, and septa-cfg warned that its virtio slot can do DMA."""
    r = subprocess.run(["make", "-s", "map", f"CONFIG={BOOT.relative_to(ROOT)}/linux-identity.conf"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert ("warning: guest linux is granted virtio_mmio@10008000, which can do DMA: QEMU virt "
            "has no IOMMU") in r.stdout, r.stdout
    assert "guest linux (pinned with @, identity-mapped)" in r.stdout
    s = Session(build(BOOT / "linux-identity.conf"), timeout=LINUX_TIMEOUT)
    try:
        s.line("linux", r"init: harts 2")
        s.line("linux", r"init: done")
        t = s.transcript()
        # Its RAM from the kernel's own start (Linux keeps nothing below it).
        assert re.search(r"DMA32 +\[mem 0x0000000090200000-0x0000000097ffffff\]", t), t
        s.nothing_faulted()
    finally:
        s.child.close(force=True)


DISK_LINE = b"septa disk pattern: written by test_devices.py\n"


def disk_image(path):
    """1 MiB: a first line, then bytes of a fixed pseudo-random sequence;
    returns the FNV-1a hash of the first 64 KiB, as /init computes it."""
    data = bytearray(DISK_LINE)
    x = 12345
    while len(data) < 1 << 20:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        data.append(x >> 16 & 0xFF)
    path.write_bytes(bytes(data))
    h = 2166136261
    for b in data[:65536]:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


DISK_CONF = """# written by tests/boot/test_devices.py
platform = qemu-virt
harts    = 2
ram      = 512M

[guest linux]
image    = {guests}/linux.Image
initrd   = {guests}/linux.initrd
memory   = 128M @ 0x90000000 identity
harts    = 0, 1
disk     = disk.img
rng      = yes
bootargs = console=ttyS0 disk rng

[guest peek]
image    = {guests}/clock.elf
memory   = 2M
harts    = 1
bootargs = peek=0x10001000
"""


def test_linux_reads_its_virtio_disk_and_others_cannot():
    """disk = and rng = : septa-cfg gives Linux the first free virtio-mmio
    slots (0 and 1) and writes QEMU's options for them; Linux reads back the
    pattern the test wrote into the disk, its device tree and
    /proc/interrupts agree on the slot's line (1), and it reads entropy. The
    peek guest, given no device, faults on the disk's registers."""
    out = ROOT / BUILD / "test-configs"
    out.mkdir(parents=True, exist_ok=True)
    fnv = disk_image(out / "disk.img")
    conf = out / "linux-disk.conf"
    conf.write_text(DISK_CONF.format(guests=(ROOT / BUILD / "guests").resolve()))
    subprocess.run(["make", "-s", "linux"], cwd=ROOT, check=True, timeout=900)
    cfg = build(conf)
    args = (cfg / "qemu.args").read_text()
    assert "bus=virtio-mmio-bus.0" in args and "virtio-blk-device" in args, args
    assert "virtio-rng-device,rng=septa-rng-linux,bus=virtio-mmio-bus.1" in args, args
    s = Session(cfg, timeout=LINUX_TIMEOUT)
    try:
        m = s.line("linux", r"init: disk: vda (\d+) bytes fnv ([0-9a-f]{8}) first line '(.*)'")
        assert m.group(1) == "65536" and int(m.group(2), 16) == fnv, s.transcript()
        assert m.group(3) == DISK_LINE.decode().strip()
        m = s.line("linux", r"init: disk: device tree interrupts (-?\d+), /proc/interrupts "
                   r"source (\d+) count (-?\d+)")
        assert m.group(1) == "1" and m.group(2) == "1" and int(m.group(3)) > 0, s.transcript()
        s.line("linux", r"init: rng: 16 bytes from /dev/hwrng ok")
        s.line("linux", r"init: done")
        t = s.transcript()
        if "guest peek stopped" not in t:
            s.line("septa", r"guest peek stopped: on-fault = stop")
        t = s.transcript()
        assert re.search(r"guest peek faulted: vcpu 0 on hart 1: load from guest-physical "
                         r"0x10001000, not mapped for this guest", t), t
        assert "guest linux faulted" not in t and "Kernel panic" not in t
    finally:
        s.child.close(force=True)
