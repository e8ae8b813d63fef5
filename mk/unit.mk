# Host unit tests of the hypervisor's pure logic (run queue, deadline list, scheduler,
# console line buffer, input router, console routing and the monitor, rate
# limiter, virtual 16550 and PLIC,
# G-stage builder, ISA strings, instruction decoding, guest-range checks,
# guest SBI, TLB rules, the channel doorbell, the owners of board interrupt
# lines), built with AddressSanitizer and UBSan.
#   make $(BUILD)/unit/test_runq   one test binary; run it to see its results
# Each binary is added to UNIT_TESTS for the top-level runner.

HV_UNIT_INC  := -Itests/unit -Icore/include -Iarch/riscv/include -Iplatform/qemu-virt
# Every hypervisor header: a test is rebuilt when any of them changes.
HV_UNIT_HDRS := $(wildcard tests/unit/*.h core/include/*.h arch/riscv/include/*.h platform/qemu-virt/*.h)

# The hypervisor sources each test links, beside tests/unit/<name>.c.
HV_UNIT_SRC_test_runq   :=
HV_UNIT_SRC_test_deadline := core/deadline.c
HV_UNIT_SRC_test_conbuf := core/conbuf.c
HV_UNIT_SRC_test_gstage := arch/riscv/gstage.c
HV_UNIT_SRC_test_isa    := arch/riscv/isa.c
HV_UNIT_SRC_test_vm_mem := core/vm_mem.c
HV_UNIT_SRC_test_vs_walk := arch/riscv/vs_walk.c
HV_UNIT_SRC_test_tlb_rules := arch/riscv/tlb_rules.c
HV_UNIT_SRC_test_vuart  := core/vuart.c
HV_UNIT_SRC_test_vplic  := core/vplic.c
HV_UNIT_SRC_test_insn_decode := arch/riscv/insn_decode.c
HV_UNIT_SRC_test_input  := core/input.c
HV_UNIT_SRC_test_ratelimit := core/ratelimit.c
HV_UNIT_SRC_test_chan   := core/chan.c
# Device passthrough: which guest owns each board interrupt line.
HV_UNIT_SRC_test_irq_route := core/irq_route.c
# Console routing and the monitor, over the fakes in tests/unit/console_fakes.c.
HV_UNIT_CONSOLE_SRC := core/console.c core/deadline.c core/input.c core/monitor.c core/conbuf.c core/ratelimit.c \
	tests/unit/console_fakes.c
HV_UNIT_SRC_test_console := $(HV_UNIT_CONSOLE_SRC)
HV_UNIT_SRC_test_monitor := $(HV_UNIT_CONSOLE_SRC)
HV_UNIT_SRC_test_sched  := tests/unit/vcpu_hook_stubs.c core/sched.c core/deadline.c core/vcpu.c core/restart_policy.c core/vm_mem.c
# A guest's restart (core/vm.c) over the real scheduler; libfdt from Debian.
HV_UNIT_SRC_test_restart := tests/unit/vcpu_hook_stubs.c core/vm.c core/sched.c core/deadline.c core/vcpu.c \
	core/restart_policy.c
HV_UNIT_LIBS_test_restart := -lfdt
HV_UNIT_SRC_test_vsbi   := arch/riscv/vsbi.c arch/riscv/vsbi_base.c arch/riscv/vsbi_time.c \
	arch/riscv/vsbi_dbcn.c arch/riscv/vsbi_srst.c arch/riscv/vsbi_hsm.c \
	arch/riscv/vsbi_legacy.c arch/riscv/vsbi_ipi.c arch/riscv/vsbi_leaf.c arch/riscv/vsbi_rfence.c core/vm_mem.c \
	core/vcpu.c core/deadline.c arch/riscv/vsbi_chan.c

HV_UNIT_NAMES := test_runq test_deadline test_restart test_conbuf test_gstage test_isa test_vm_mem test_vsbi test_vs_walk \
	test_tlb_rules test_sched test_vuart test_vplic test_insn_decode test_input test_ratelimit \
	test_console test_monitor test_chan test_irq_route
HV_UNIT_TESTS := $(addprefix $(BUILD)/unit/,$(HV_UNIT_NAMES))

define hv_unit_rule
$(BUILD)/unit/$(1): tests/unit/$(1).c $$(HV_UNIT_SRC_$(1)) $$(HV_UNIT_HDRS) mk/unit.mk \
		| $$(DEPS_STAMP)
	@echo "  HOSTCC  $$@"
	@mkdir -p $$(dir $$@)
	@$$(HOST_CC) $$(HOST_CFLAGS) $$(SAN_FLAGS) $$(HV_UNIT_INC) -o $$@ \
		tests/unit/$(1).c $$(HV_UNIT_SRC_$(1)) -lcmocka $$(HV_UNIT_LIBS_$(1))
endef
$(foreach t,$(HV_UNIT_NAMES),$(eval $(call hv_unit_rule,$(t))))

.PHONY: hv-unit-test
hv-unit-test: $(HV_UNIT_TESTS)
	@for t in $(HV_UNIT_TESTS); do $$t || exit 1; done

UNIT_TESTS += $(HV_UNIT_TESTS)
