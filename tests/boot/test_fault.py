"""A guest that touches memory outside its RAM is reported in one line and
stopped; the guest sharing its hart and the one on the other hart go on."""
import re

from septa_boot import ROOT, boot, build


def test_fault_is_contained():
    run = boot(build(ROOT / "tests" / "configs" / "boot" / "fault.conf"))
    assert run.ended == "poweroff", run.text()
    said = run.tagged("crasher")
    assert said and said[0].startswith("crasher: storing to 0x80200000"), said
    assert "crasher: the store went through; isolation is broken" not in said
    report = [l for l in run.tagged("septa") if l.startswith(("guest crasher faulted", "guest crasher stopped"))]
    assert len(report) == 2, run.text()
    assert re.fullmatch(r"guest crasher faulted: vcpu 0 on hart 0: store to guest-physical "
                        r"0x80200000, not mapped for this guest; pc 0x8[0-9a-f]+ "
                        r"\(insn 0x[0-9a-f]+\)", report[0]), report[0]
    assert report[1] == "guest crasher stopped: on-fault = stop"
    for name in ("near", "far"):
        assert run.tagged(name)[-1] == "ticker: 20 ticks done", run.text()
        assert f"guest {name} stopped: shut down" in run.tagged("septa")
