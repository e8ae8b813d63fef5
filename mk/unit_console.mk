# Host unit tests of the console pieces: the virtual 16550 and PLIC, the
# MMIO load/store decoder, the input router and the output rate limiter,
# built with AddressSanitizer and UBSan.
#   make $(BUILD)/unit/test_vuart   one test binary; run it to see its results
# Each binary is added to UNIT_TESTS for the top-level runner. The include
# path and header list are this file's own, so it works included in any order.

CON_UNIT_INC  := -Icore/include -Iarch/riscv/include
CON_UNIT_HDRS := $(wildcard core/include/*.h arch/riscv/include/*.h)

# The hypervisor source each test links, beside tests/unit/<name>.c.
CON_UNIT_SRC_test_vuart       := core/vuart.c
CON_UNIT_SRC_test_vplic       := core/vplic.c
CON_UNIT_SRC_test_insn_decode := arch/riscv/insn_decode.c
CON_UNIT_SRC_test_input       := core/input.c
CON_UNIT_SRC_test_ratelimit   := core/ratelimit.c

CON_UNIT_NAMES := test_vuart test_vplic test_insn_decode test_input test_ratelimit
CON_UNIT_TESTS := $(addprefix $(BUILD)/unit/,$(CON_UNIT_NAMES))

define con_unit_rule
$(BUILD)/unit/$(1): tests/unit/$(1).c $$(CON_UNIT_SRC_$(1)) $$(CON_UNIT_HDRS) \
		mk/unit_console.mk | $$(DEPS_STAMP)
	@echo "  HOSTCC  $$@"
	@mkdir -p $$(dir $$@)
	@$$(HOST_CC) $$(HOST_CFLAGS) $$(SAN_FLAGS) $$(CON_UNIT_INC) -o $$@ \
		tests/unit/$(1).c $$(CON_UNIT_SRC_$(1)) -lcmocka
endef
$(foreach t,$(CON_UNIT_NAMES),$(eval $(call con_unit_rule,$(t))))

.PHONY: console-unit-test
console-unit-test: $(CON_UNIT_TESTS)
	@for t in $(CON_UNIT_TESTS); do $$t || exit 1; done

UNIT_TESTS += $(CON_UNIT_TESTS)
