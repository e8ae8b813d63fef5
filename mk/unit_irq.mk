# Host unit tests of the device-passthrough logic: which guest owns each
# board interrupt line (core/irq_route.c), built with AddressSanitizer and
# UBSan. Each binary is added to UNIT_TESTS for the top-level runner.

IRQ_UNIT_INC  := -Icore/include
IRQ_UNIT_HDRS := $(wildcard core/include/*.h)

IRQ_UNIT_SRC_test_irq_route := core/irq_route.c

IRQ_UNIT_NAMES := test_irq_route
IRQ_UNIT_TESTS := $(addprefix $(BUILD)/unit/,$(IRQ_UNIT_NAMES))

define irq_unit_rule
$(BUILD)/unit/$(1): tests/unit/$(1).c $$(IRQ_UNIT_SRC_$(1)) $$(IRQ_UNIT_HDRS) mk/unit_irq.mk \
		| $$(DEPS_STAMP)
	@echo "  HOSTCC  $$@"
	@mkdir -p $$(dir $$@)
	@$$(HOST_CC) $$(HOST_CFLAGS) $$(SAN_FLAGS) $$(IRQ_UNIT_INC) -o $$@ \
		tests/unit/$(1).c $$(IRQ_UNIT_SRC_$(1)) -lcmocka
endef
$(foreach t,$(IRQ_UNIT_NAMES),$(eval $(call irq_unit_rule,$(t))))

UNIT_TESTS += $(IRQ_UNIT_TESTS)
