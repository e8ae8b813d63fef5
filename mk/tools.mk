# septa-cfg, the host-side config compiler (tools/), and its tests.
#   make $(BUILD)/tools/septa-cfg   the tool
#   make tools-test                 its cmocka unit tests and the pytest error suite
# Unit-test binaries go into UNIT_TESTS for the top-level runner.

TOOLS_MAIN := tools/septa_cfg.c
# Everything but main() is pure enough to link into the unit tests.
TOOLS_LIB  := $(filter-out $(TOOLS_MAIN),$(wildcard tools/*.c))
TOOLS_DEPS := $(wildcard tools/*.h) core/include/cfg_table.h core/include/vplic.h \
	      platform/qemu-virt/board.h
TOOLS_INC  := -Itools -Icore/include -Iplatform/qemu-virt
SEPTA_CFG  := $(BUILD)/tools/septa-cfg

$(SEPTA_CFG): $(TOOLS_MAIN) $(TOOLS_LIB) $(TOOLS_DEPS) | $(DEPS_STAMP)
	@echo "  HOSTCC  $@"
	@mkdir -p $(dir $@)
	@$(HOST_CC) $(HOST_CFLAGS) $(TOOLS_INC) -o $@ $(TOOLS_MAIN) $(TOOLS_LIB) -lfdt

CFG_UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_cfg_*.c))

$(BUILD)/unit/test_cfg_%: tests/unit/test_cfg_%.c tests/unit/test_cfg_util.h $(TOOLS_LIB) \
		$(TOOLS_DEPS) | $(DEPS_STAMP)
	@echo "  HOSTCC  $@"
	@mkdir -p $(dir $@)
	@$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) $(TOOLS_INC) -Itests/unit -o $@ $< $(TOOLS_LIB) \
		-lcmocka -lfdt

UNIT_TESTS += $(CFG_UNIT_TESTS)

.PHONY: tools tools-test
tools: $(SEPTA_CFG)

# The pytest suite dumps a board dtb with QEMU and compiles tiny guest ELFs
# itself, so it needs nothing else built.
tools-test: $(SEPTA_CFG) $(CFG_UNIT_TESTS)
	@for t in $(CFG_UNIT_TESTS); do $$t || exit 1; done
	@SEPTA_CFG=$(SEPTA_CFG) $(PY) -m pytest -q tests/tools
