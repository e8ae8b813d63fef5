"""The console: typing to a guest that drives its own virtual 16550, moving
the keys between guests and the monitor with Ctrl-], the monitor's commands,
whole lines when guests print at once, the rate limit on a flooding guest,
console = none, and the SBI getchar path.

Interactive tests talk to QEMU through pexpect and wait for each expected
line with a timeout. Under pexpect the terminal is a TTY, so tags are
coloured: "\\x1b[32m[echo]\\x1b[0m text"."""
import re

import pexpect
import pytest

from septa_boot import ANSI, POWEROFF, ROOT, TICKS, boot, build

BOOT = ROOT / "tests" / "configs" / "boot"
INTERACTIVE = ROOT / "configs" / "interactive.conf"
CTRL = "\x1d"  # Ctrl-], core/include/input.h
TIMEOUT = 30


def tag(name):
    """A guest's tag at the start of a terminal line, coloured or not."""
    return r"(?:\x1b\[[0-9;]*m)?\[" + re.escape(name) + r"\](?:\x1b\[0m)? "


class Session:
    """One QEMU run of a built config, driven like a person at the terminal."""

    def __init__(self, cfg_out, timeout=TIMEOUT):
        self.child = pexpect.spawn("sh", ["mk/run.sh", str(cfg_out), "rv64,h=true,sstc=true"],
                                   cwd=ROOT, encoding="utf-8", codec_errors="replace",
                                   timeout=timeout)
        self.log = []
        self.child.logfile_read = self

    # pexpect's logfile interface: keep everything QEMU printed.
    def write(self, text):
        self.log.append(text)

    def flush(self):
        pass

    def transcript(self):
        return ANSI.sub("", "".join(self.log)).replace("\r", "")

    def ticker_kept_every_tick(self, name="tick"):
        """Waits for the ticker guest `name` to finish, unless it already
        has, and checks it printed every tick, in order."""
        if f"[{name}] ticker: {TICKS} ticks done" not in self.transcript():
            self.line(name, rf"ticker: {TICKS} ticks done")
        ticks = [int(n) for n in re.findall(rf"\[{re.escape(name)}\] tick (\d+) at",
                                            self.transcript())]
        assert ticks == list(range(1, TICKS + 1)), self.transcript()

    def nothing_faulted(self):
        """No guest fault and no kernel panic in all QEMU printed so far."""
        t = self.transcript()
        assert "faulted" not in t and "Kernel panic" not in t, t

    def expect(self, pattern):
        """Waits for pattern (a regex; pexpect compiles it with DOTALL, so
        write [^\r\n]* rather than .*); fails at once on a hypervisor panic."""
        i = self.child.expect([pattern, r"PANIC: [^\r\n]*", pexpect.EOF, pexpect.TIMEOUT])
        if i:
            what = ["", "a panic", "QEMU exiting", "a timeout"][i]
            raise AssertionError(f"{what} while waiting for {pattern!r}:\n{self.transcript()}")
        return self.child.match

    def line(self, name, text):
        """Waits for a whole line from name (a guest or "septa") whose text
        matches the regex text; returns the match."""
        return self.expect(tag(name) + r"(?:" + text + r")\r*\n")

    def send(self, keys):
        self.child.send(keys)

    def focus(self, key, who):
        """Ctrl-] key, and the hypervisor's confirmation of the new focus."""
        self.send(CTRL + key)
        self.line("septa", re.escape(f"focus: {who}"))

    def monitor(self, command):
        """Types a command at the septa> prompt (focus must be there)."""
        self.send(command + "\r")

    def ended(self, timeout=20):
        """True when QEMU exits by itself within timeout seconds."""
        return self.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=timeout) == 0

    def close(self):
        self.child.close(force=True)


@pytest.fixture(scope="module")
def interactive():
    return build(INTERACTIVE)


@pytest.fixture
def session(interactive):
    s = Session(interactive)
    yield s
    s.close()


def test_echo_answers_each_line(session):
    """Keys reach echo through its UART's receive interrupt; it echoes them,
    handles backspace, answers in upper case and stops on quit (SRST)."""
    session.line("septa", r"keys go to echo; Ctrl-\] n: next guest, Ctrl-\] m: monitor, "
                 r"Ctrl-\] h: help")
    session.line("echo", r"echo: uart 0x10000000 irq 10, plic 0xc000000 context 1, "
                 r"input UART interrupt")
    session.expect(tag("echo") + "echo> ")
    session.send("hello\r")
    session.line("echo", "ECHO: HELLO")
    session.send("hellx\x7fo, world\r")  # DEL erases the x
    assert session.line("echo", "ECHO: ([^\r\n]*)").group(1) == "HELLO, WORLD"
    session.send("quit\r")
    session.line("echo", "echo: bye")
    session.line("septa", "guest echo stopped: shut down")
    # The ticker finishes on its own; then the machine powers off.
    session.line("tick", f"ticker: {TICKS} ticks done")
    session.line("septa", re.escape(POWEROFF))
    assert session.ended(), "QEMU did not exit after the power-off"


def test_focus_keeps_keys_apart(session):
    """Keys typed while the ticker has focus never reach echo; Ctrl-] n/p,
    digits, m and h move the focus and say so."""
    session.expect(tag("echo") + "echo> ")
    session.focus("n", "tick")
    session.send("abc")  # to the ticker, which never reads them
    session.focus("p", "echo")
    session.send("xyz\r")
    assert session.line("echo", "ECHO: ([^\r\n]*)").group(1) == "XYZ"
    session.focus("2", "tick")
    session.send("def")
    session.focus("1", "echo")
    session.send("\r")  # Enter on an empty line: just a new prompt
    session.send("ok\r")
    assert session.line("echo", "ECHO: ([^\r\n]*)").group(1) == "OK"
    session.send(CTRL + "h")
    session.line("septa", r"Ctrl-\] then: n next, p previous, 1-9 guest N, m monitor, "
                     r"h/\? help, Ctrl-\] sends Ctrl-\]")
    session.focus("n", "tick")
    session.focus("n", "monitor (type help; Ctrl-] h for keys)")
    session.expect(tag("septa") + "septa> ")
    session.focus("n", "echo")  # the cycle wraps to the first guest
    session.send("quit\r")
    session.line("echo", "echo: bye")
    assert "ABC" not in session.transcript() and "DEF" not in session.transcript()


def list_states(session):
    """Runs list at the monitor; {name: state} from its lines."""
    session.monitor("list")
    states = {}
    while True:
        m = session.expect(tag("septa") + r"(?:([ *]) (\d) (\S+) +(\S+) +harts [^\r\n]*|"
                           r"focus: (\S+))\r*\n")
        if m.group(5):
            return states
        states[m.group(3)] = m.group(4)


def test_monitor_prompt_redrawn_after_guest_output(session):
    """A guest's line that cuts the monitor's prompt line does not lose what
    was typed: the next key draws the prompt and the typed text again."""
    session.expect(tag("echo") + "echo> ")
    session.focus("m", "monitor (type help; Ctrl-] h for keys)")
    session.send("lis")
    session.expect(tag("septa") + "septa> lis")
    session.line("tick", r"tick \d+ at \d+ ms")  # the ticker cuts the prompt's line
    session.send("t\r")
    session.line("septa", "septa> list")
    session.line("septa", r"[ *] \d echo +running +harts [^\r\n]*")


def test_monitor_commands(session):
    """list, stats, restart, stop, start, help and poweroff at the monitor;
    a stop from the monitor never powers the machine off."""
    session.expect(tag("echo") + "echo> ")
    session.focus("m", "monitor (type help; Ctrl-] h for keys)")
    session.monitor("help")
    session.line("septa", "commands: help, list, stats, stop NAME, start NAME, restart NAME, "
                 r"focus NAME\|monitor, poweroff")
    assert list_states(session) == {"echo": "running", "tick": "running"}

    session.monitor("stats")
    for vcpu, hart in (("echo.0", 0), ("tick.0", 1)):
        session.line("septa", rf"stats vcpu {re.escape(vcpu)} hart {hart} run_ms \d+ [^\r\n]*")
    session.line("septa", r"stats hart 1 up_ms \d+ idle_ms \d+ idle [\d.]+%")

    # A restart reloads the ticker: it counts from tick 1 again.
    session.monitor("restart tick")
    session.line("septa", r"guest tick restarting \(restart 1, in 0 ms\): restarted from the "
                 "monitor")
    assert session.line("tick", r"tick (\d+) at \d+ ms").group(1) == "1"
    session.line("tick", r"tick 2 at \d+ ms")

    # Well inside its 2 s of ticks: stop it, see it stopped, start it again.
    session.monitor("stop tick")
    session.line("septa", "guest tick stopped: stopped from the monitor")
    assert list_states(session) == {"echo": "running", "tick": "stopped"}
    session.monitor("start echo")
    session.line("septa", r"start: echo is already running \(restart reloads it\)")
    session.monitor("start tick")
    session.line("septa", r"guest tick restarting \(restart 2, in 0 ms\): started from the "
                 "monitor")
    assert session.line("tick", r"tick (\d+) at \d+ ms").group(1) == "1"
    session.line("tick", f"ticker: {TICKS} ticks done")
    session.line("septa", "guest tick stopped: shut down")

    # The last running guest stopped from the monitor: no power-off.
    session.monitor("stop echo")
    session.line("septa", "guest echo stopped: stopped from the monitor")
    assert list_states(session) == {"echo": "stopped", "tick": "stopped"}
    session.monitor("bogus")
    session.line("septa", r"unknown command 'bogus' \(try help\)")
    assert POWEROFF not in session.transcript()
    assert session.child.isalive()

    session.monitor("poweroff")
    session.line("septa", r"powering off \(monitor\)")
    assert session.ended(), "QEMU did not exit after poweroff"


def guest_lines(run):
    """Terminal lines from septa's first line on (OpenSBI's banner before it
    has no tags), colour removed."""
    start = next(i for i, l in enumerate(run.lines) if l.startswith("[septa] "))
    return run.lines[start:]


def chatter_lines(run, names, count, whole):
    """Checks what chatter guests printed: every terminal line carries
    exactly one tag, at its start, and only its own guest's text; each
    guest's lines 1..count come out in order and intact. With whole, each
    line must also be one terminal line; without, a line cut in two by the
    console's quiet-time flush is joined again before the check."""
    pieces = {n: [] for n in names}
    alt = "|".join(re.escape(n) for n in (*names, "septa"))
    for line in guest_lines(run):
        m = re.fullmatch(rf"\[({alt})\] (.*)", line)
        assert m, f"line without a tag at its start: {line!r}"
        who, text = m.groups()
        assert not re.search(rf"\[({alt})\]", text), f"two tags: {line!r}"
        if who != "septa" and text != f"chatter: {count} lines done":
            pieces[who].append(text)
    for n in names:
        lines = pieces[n]
        if not whole:
            joined, cur = [], ""
            for p in lines:
                cur += p
                if cur.endswith(" end"):
                    joined.append(cur)
                    cur = ""
            lines = joined + ([cur] if cur else [])
        body = "".join(f"{n}-" for _ in range((220) // (len(n) + 1)))
        expect = [f"{n} {i:04d} {body} end" for i in range(1, count + 1)]
        for got, want in zip(lines, expect):
            assert got == want, f"{n} line not whole:\n  got  {got!r}\n  want {want!r}"
        assert len(lines) == count, f"{n}: {len(lines)} lines, expected {count}"
        assert len(expect[0]) > 200
        assert f"chatter: {count} lines done" in run.tagged(n)
    assert "dropped by the console rate limit" not in run.text()


def test_long_lines_never_interleave():
    """Two guests on two harts print 60 lines of over 200 characters each at
    the same time, each line in two pieces: no guest's text ever lands inside
    another's line, every tag starts a line (coloured, right after a line
    break), and every line arrives intact.

    Whole terminal lines are not required here: on a loaded host QEMU may
    not run one hart for over 50 ms between the two pieces, and septa then
    prints the first piece as a quiet partial line (see
    test_preempted_line_stays_whole)."""
    run = boot(build(BOOT / "console-chatter.conf"))
    assert run.ended == "poweroff" and run.qemu_exited, run.text()
    chatter_lines(run, ("chat-a", "chat-b"), 60, whole=False)
    for n, colour in (("chat-a", "36"), ("chat-b", "35")):
        coloured = f"\x1b[{colour}m[{n}]\x1b[0m "
        assert run.raw.count(coloured) == run.raw.count("\n" + coloured) >= 61


def test_preempted_line_stays_whole():
    """Two chatters share a hart with a 100 ms slice and pause 4 ms inside
    each line: a slice that ends inside the pause must not cut the line."""
    run = boot(build(BOOT / "console-chatter-shared.conf"))
    assert run.ended == "poweroff" and run.qemu_exited, run.text()
    chatter_lines(run, ("chat-a", "chat-b"), 80, whole=True)


def test_flood_does_not_starve_the_ticker():
    """A guest printing as fast as it can is cut to 8 KiB/s, says so in a
    septa line, and the ticker on the other hart still gets every tick out;
    the lines that do get through are whole."""
    run = boot(build(BOOT / "console-flood.conf"))
    assert run.ended == "poweroff" and run.qemu_exited, run.text()
    ticks = [l for l in run.tagged("tick") if l.startswith("tick ")]
    assert [int(l.split()[1]) for l in ticks] == list(range(1, TICKS + 1)), run.text()
    assert run.tagged("tick")[-1] == f"ticker: {TICKS} ticks done"

    drop = re.compile(r"guest flood: (\d+) bytes dropped by the console rate limit "
                      r"\(8192 bytes/s\)")
    drops = [int(m.group(1)) for l in run.tagged("septa") if (m := drop.fullmatch(l))]
    assert drops, run.text()

    flood = run.tagged("flood")
    assert flood[-1] == "flood: done"
    numbers = []
    for l in flood[:-1]:
        m = re.fullmatch(r"flood (\d{6}) x{100}", l)
        assert m, f"flood line not whole: {l!r}"
        numbers.append(int(m.group(1)))
    assert numbers == sorted(numbers) and numbers[0] == 1
    # Most of its 10000 lines were dropped, and the count says how many bytes.
    assert len(numbers) < 2000
    assert sum(drops) == (10000 - len(numbers)) * len("flood 000001 " + "x" * 100 + "\n")

    # The ticks came out while the flood was still being cut, not after it.
    lines = guest_lines(run)
    first_tick = lines.index("[tick] " + ticks[0])
    last_drop = max(i for i, l in enumerate(lines) if drop.search(l))
    assert first_tick < last_drop, run.text()


def test_console_none_drops_output():
    """console = none: the guest runs and shuts down, nothing it prints
    reaches the terminal; the guest next to it prints as usual."""
    run = boot(build(BOOT / "console-none.conf"))
    assert run.ended == "poweroff" and run.qemu_exited, run.text()
    assert run.tagged("mute") == []
    assert "hello from vcpu" not in run.raw and "hello: done" not in run.raw
    assert "guest mute stopped: shut down" in run.tagged("septa")
    assert run.tagged("tick")[-1] == f"ticker: {TICKS} ticks done"


@pytest.fixture
def sbi_session():
    s = Session(build(BOOT / "console-sbi-input.conf"))
    yield s
    s.close()


def test_sbi_getchar_reads_keys(sbi_session):
    """echo with bootargs input=sbi reads its keys through the SBI legacy
    console_getchar; they come from the same per-guest console.

    The first line is a throwaway: septa puts the first key typed after boot
    into the UART's receiver, where SBI getchar never looks (see
    test_sbi_getchar_gets_the_first_key)."""
    s = sbi_session
    s.line("echo", r"echo: uart 0x10000000 irq 10, plic 0xc000000 context 1, input SBI getchar")
    s.expect(tag("echo") + "echo> ")
    s.send("x\r")
    s.expect(r"echo> ")
    s.send("again\r")
    s.line("echo", "ECHO: AGAIN")
    s.send("quit\r")
    s.line("echo", "echo: bye")
    s.line("septa", re.escape(POWEROFF))
    assert s.ended()


def test_sbi_getchar_gets_the_first_key(sbi_session):
    s = sbi_session
    s.expect(tag("echo") + "echo> ")
    s.send("hello\r")
    assert s.line("echo", "ECHO: ([^\r\n]*)").group(1) == "HELLO"
