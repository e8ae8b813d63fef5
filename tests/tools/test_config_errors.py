"""septa-cfg on broken configs: each tests/configs/bad/*.conf must fail with
exit status 2, name its mistake on stderr and write nothing.

Each fixture starts with one or more `# expect: <substring>` lines; every
substring must appear in stderr. The board dtb comes from QEMU and the guest
ELFs are assembled here, so nothing else needs to be built first.
"""
import glob
import os
import shutil
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, os.environ.get("SEPTA_CFG", "build/tools/septa-cfg"))
BAD = sorted(glob.glob(os.path.join(ROOT, "tests", "configs", "bad", "*.conf")))
GOOD_CONF = """# a config that must build
platform = qemu-virt
harts = 2
ram = 512M
[guest alpha]
image = tiny
memory = 16M
color = cyan
on-fault = restart
restart-limit = 3
restart-delay = 50ms
restart-window = 1s
devices = rtc@101000
fault-dump = yes
bootargs = "mode=fault # not a comment"
[guest beta]
image = tiny
memory = 8M @ 0x90000000
vcpus = 2
console = none
on-fault = halt
[guest gamma]
image = tiny
memory = 4M
[channel link]
size = 8K
members = alpha, gamma
writers = alpha
"""

TINY_S = ".globl _start\n_start:\n\tj _start\n"


def _elf(out, at):
    # -N: one segment without the ELF headers in it, so it starts at `at`.
    subprocess.run(["riscv64-unknown-elf-gcc", "-nostdlib", "-nostartfiles", "-Wl,-N",
                    "-Wl,--no-warn-rwx-segments", "-Wl,-Ttext=%#x" % at, "-o", out,
                    out + ".S"], check=True)


@pytest.fixture(scope="session")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("septa-cfg")
    board = str(tmp / "board.dtb")
    subprocess.run(["qemu-system-riscv64", "-machine", "virt,dumpdtb=" + board,
                    "-cpu", "rv64,h=true,sstc=true", "-bios", "default", "-nographic",
                    "-smp", "2", "-m", "512M"], check=True, capture_output=True, timeout=60)
    guests = tmp / "guests"
    guests.mkdir()
    for name, at in (("tiny", 0x80000000), ("high", 0x90000000)):
        (guests / (name + ".elf.S")).write_text(TINY_S)
        _elf(str(guests / (name + ".elf")), at)
    (guests / "notelf.elf").write_text("this is not an ELF file\n")
    # A RISC-V Linux Image header claiming 64 MiB at text_offset 2 MiB, and
    # an initrd of 3 MiB: too big for the fixtures' small guests.
    hdr = bytearray(64)
    hdr[8:16] = (0x200000).to_bytes(8, "little")
    hdr[16:24] = (64 << 20).to_bytes(8, "little")
    hdr[0x30:0x38] = b"RISCV\0\0\0"
    hdr[0x38:0x3c] = b"RSC\x05"
    (guests / "biglinux.Image").write_bytes(bytes(hdr) + bytes(4096))
    (guests / "big.initrd").write_bytes(bytes(3 << 20))
    shutil.copy("/bin/true", guests / "x86.elf")
    return {"tmp": tmp, "board": board, "guests": str(guests)}


def run(env, cmd, conf, out=None):
    args = [TOOL, cmd, conf]
    if cmd != "qemu-args":
        # build/guests first, as the Makefile passes it; the fixtures second.
        args += ["--board", env["board"], "--guests-dir", "build/guests",
                 "--guests-dir", env["guests"]]
    if out:
        args += ["--out", out]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=30)


def expectations(path):
    want = []
    with open(path) as f:
        for line in f:
            if not line.startswith("# expect:"):
                break
            want.append(line[len("# expect:"):].strip())
    return want


def test_enough_fixtures():
    assert len(BAD) >= 12


@pytest.mark.parametrize("conf", BAD, ids=[os.path.basename(p) for p in BAD])
def test_bad_config(env, conf):
    want = expectations(conf)
    assert want, conf + ": first line must be '# expect: <substring>'"
    out = env["tmp"] / ("out-" + os.path.basename(conf))
    r = run(env, "build", os.path.relpath(conf, ROOT), str(out))
    assert r.returncode == 2, r.stderr
    for s in want:
        assert s in r.stderr
    assert r.stderr.count("\n") == 1, "one message per mistake: " + r.stderr
    assert not out.exists() or not os.listdir(out)


def test_good_config_builds_and_compiles(env):
    conf = env["tmp"] / "good.conf"
    conf.write_text(GOOD_CONF)
    out = env["tmp"] / "good-out"
    r = run(env, "build", str(conf), str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["hv_layout.ld", "septa_config.c"]
    assert (out / "hv_layout.ld").read_text() == "SEPTA_HV_LIMIT = 0x80800000;\n"
    src = (out / "septa_config.c").read_text()
    assert ".hpa_base = 0x90000000" in src and ".vcpu_hart = {0, 1}" in src
    for field in (".console = CFG_CONSOLE_UART,", ".console = CFG_CONSOLE_NONE,",
                  ".on_fault = CFG_FAULT_RESTART,", ".on_fault = CFG_FAULT_HALT,",
                  ".restart_limit = 3,", ".restart_delay_us = 50000,",
                  ".restart_window_us = 1000000,", ".restart_window_us = 0,", ".fault_dump = 1,",
                  ".ndevices = 1,", ".devices = {{0x101000, 0x1000, 1, {11}}},",
                  ".nchans = 1,\n\t\t.chans = {{0, 0, 0xa0000000, 1}},",
                  ".nchans = 1,\n\t\t.chans = {{0, 1, 0xa0000000, 0}},",
                  ".irq = 31,", ".nmembers = 2,", ".guest = {0, 2},", ".nchannels = 1,"):
        assert field in src
    for cc in (["gcc"], ["riscv64-unknown-elf-gcc", "-march=rv64imac_zicsr_zifencei", "-mabi=lp64",
                                          "-mcmodel=medany", "--specs=picolibc.specs", "-ffreestanding"]):
        subprocess.run(cc + ["-c", "-Wall", "-Wextra", "-Werror", "-I", "core/include",
                             str(out / "septa_config.c"), "-o", str(out / "x.o")],
                       cwd=ROOT, check=True)


def test_map_and_qemu_args(env):
    conf = env["tmp"] / "good.conf"
    conf.write_text(GOOD_CONF)
    r = run(env, "map", str(conf))
    assert r.returncode == 0, r.stderr
    for s in ("firmware (OpenSBI)", "guest alpha", "guest beta (pinned with @)", "free",
              "vCPU 1 -> hart 1", "device tree",
              "console uart, on-fault restart (limit 3, delay 50 ms doubling each time, "
              "count reset by a run of 1 s), fault-dump yes", 'bootargs "mode=fault # not a comment"',
              "console none (output dropped), on-fault halt, fault-dump no",
              "UART ns16550a (virtual, PLIC source 10)", "PLIC (virtual, sources 1..31",
              "0x101000       0x102000            4 KiB   rtc@101000 google,goldfish-rtc "
              "(granted, interrupt 11, taken on hart 0)",
              "channel link (zeroed at boot)",
              "channel link (member 1, ro, doorbell interrupt 31)"):
        assert s in r.stdout
    beta = r.stdout[r.stdout.index("Guest beta"):r.stdout.index("Guest gamma")]
    assert "UART" not in beta and "PLIC" not in beta
    r = run(env, "qemu-args", str(conf))
    assert (r.returncode, r.stdout) == (0, "-smp 2 -m 512M\n")


def test_usage_and_io_errors(env, tmp_path):
    r = subprocess.run([TOOL, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "usage: septa-cfg" in r.stdout
    r = subprocess.run([TOOL], capture_output=True, text=True)
    assert r.returncode == 2 and "usage" in r.stderr
    conf = env["tmp"] / "good.conf"
    conf.write_text(GOOD_CONF)
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = run(env, "build", str(conf), str(blocker / "out"))
    assert r.returncode == 1 and "cannot create" in r.stderr
