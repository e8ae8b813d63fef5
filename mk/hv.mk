# The hypervisor: objects built once, linked per config with the tables
# septa-cfg generates from $(CONFIG) into $(CFG_OUT).
#   make hv        build $(CFG_OUT)/septa.elf
#   make run       boot it in QEMU (interactive); QEMU_ARGS="..." appends
#                  QEMU options (-icount ..., -d ..., -trace ...)
#   make debug     the same, halted, with QEMU's gdb stub on :1234
#   make map       print the config's memory map

HV_C    := $(wildcard core/*.c) $(wildcard arch/riscv/*.c) $(wildcard platform/$(PLATFORM)/*.c)
HV_S    := $(wildcard arch/riscv/*.S)
HV_INC  := -Icore/include -Iarch/riscv/include -Iplatform/$(PLATFORM) -I$(LIBFDT_SRC)
HV_OBJS := $(HV_C:%.c=$(BUILD)/hv/%.o) $(HV_S:%.S=$(BUILD)/hv/%.o)

# Layers, kept by the include path each one gets: core/ sees only its own
# headers (and libfdt), so it cannot reach a CSR or the board; platform/
# sees core's interface and its own; arch/ sees core's and its own, not
# the board's. An include that crosses a layer the wrong way fails here.
$(BUILD)/hv/core/%.o: HV_INC = -Icore/include -I$(LIBFDT_SRC)
$(BUILD)/hv/platform/%.o: HV_INC = -Icore/include -Iplatform/$(PLATFORM) -I$(LIBFDT_SRC)
$(BUILD)/hv/arch/%.o: HV_INC = -Icore/include -Iarch/riscv/include -I$(LIBFDT_SRC)

$(BUILD)/hv/%.o: %.c $(LIBFDT_SRC)/libfdt.h
	@echo "  CC      $<"
	@mkdir -p $(dir $@)
	@$(RV_CC) $(RV_CFLAGS) -MMD -MP $(HV_INC) -c $< -o $@

# The leaf paths run on the guest's sp, gp and tp: the compiler may use no
# stack and no gp (no relaxation to gp-relative) and no s-register, and the
# object may call nothing; all of which is checked here. The SBI leaf runs
# with only ra, t0-t2, a0 and a1 of the guest saved (switch.S), so it may
# use no other register either. The device path's leaf has every
# caller-saved register saved, but must not use a jump table (its jr could
# not be told from a call).
LEAF_FIXED := $(addprefix -ffixed-,a2 a3 a4 a5 a6 a7 t3 t4 t5 t6)
LEAF_OBJS := $(BUILD)/hv/arch/riscv/vsbi_leaf.o $(BUILD)/hv/arch/riscv/mmio_leaf.o
$(LEAF_OBJS): RV_CFLAGS += -mno-relax
$(BUILD)/hv/arch/riscv/vsbi_leaf.o: RV_CFLAGS += $(LEAF_FIXED)
$(BUILD)/hv/arch/riscv/mmio_leaf.o: RV_CFLAGS += -fno-jump-tables
$(LEAF_OBJS): $(BUILD)/hv/%.o: %.c $(LIBFDT_SRC)/libfdt.h
	@echo "  CC      $< (leaf)"
	@mkdir -p $(dir $@)
	@$(RV_CC) $(RV_CFLAGS) -MMD -MP $(HV_INC) -c $< -o $@
	@! $(CROSS)objdump -d $@ | grep -E '\s(jal|jalr|call|tail|jr)\s' || \
		{ echo "$<: the leaf path must not call anything"; rm -f $@; exit 1; }
	@! $(CROSS)objdump -d $@ | grep -E '[^_a-z](sp|gp|tp|s[0-9]+)[,)]?\b' | grep -vE '^\s*[0-9a-f]+ <' || \
		{ echo "$<: the leaf path must not touch sp, gp, tp or s0-s11"; rm -f $@; exit 1; }

$(BUILD)/hv/%.o: %.S
	@echo "  AS      $<"
	@mkdir -p $(dir $@)
	@$(RV_CC) $(RV_ARCH) -MMD -MP $(HV_INC) -c $< -o $@

-include $(HV_OBJS:.o=.d)

# The config steps always run (they take milliseconds) because a config can
# name any ELF file; outputs are replaced only when their contents change, so
# make relinks only when something really changed.
.PHONY: FORCE
$(CFG_OUT)/qemu.args: FORCE $(SEPTA_CFG)
	@mkdir -p $(CFG_OUT)
	@$(SEPTA_CFG) qemu-args $(CONFIG) > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm $@.new || mv $@.new $@

# The board's device tree depends on the CPU model too (riscv,isa).
$(CFG_OUT)/qemu.cpu: FORCE
	@mkdir -p $(CFG_OUT)
	@echo "$(QEMU_CPU)" > $@.new
	@cmp -s $@.new $@ 2>/dev/null && rm $@.new || mv $@.new $@

$(CFG_OUT)/board.dtb: $(CFG_OUT)/qemu.args $(CFG_OUT)/qemu.cpu | $(DEPS_STAMP)
	@$(QEMU) -machine virt,dumpdtb=$@ -cpu $(QEMU_CPU) -bios default -nographic \
		$$(cat $(CFG_OUT)/qemu.args) >/dev/null 2>&1

$(CFG_OUT)/septa_config.c: FORCE $(CFG_OUT)/board.dtb $(SEPTA_CFG) $(GUEST_ELFS)
	@rm -rf $(CFG_OUT)/gen && mkdir -p $(CFG_OUT)/gen
	@$(SEPTA_CFG) build $(CONFIG) --board $(CFG_OUT)/board.dtb \
		--guests-dir $(BUILD)/guests --out $(CFG_OUT)/gen
	@for f in septa_config.c hv_layout.ld; do \
		cmp -s $(CFG_OUT)/gen/$$f $(CFG_OUT)/$$f || cp $(CFG_OUT)/gen/$$f $(CFG_OUT)/$$f; done

# The tables' layout comes from cfg_table.h: a change there must recompile
# them even when the generated text stays the same.
$(CFG_OUT)/septa_config.o: $(CFG_OUT)/septa_config.c core/include/cfg_table.h
	@echo "  CC      $<"
	@$(RV_CC) $(RV_CFLAGS) $(HV_INC) -c $< -o $@

# Before the link, the layers' contracts: each layer calls into another only
# what its contract header declares (mk/layer_calls.sh), and the declarations
# in core_services.h agree with the core's own headers (an incompatible
# redeclaration does not compile).
HV_ELF := $(CFG_OUT)/septa.elf
$(HV_ELF): $(HV_OBJS) $(CFG_OUT)/septa_config.o $(LIBFDT_RV) arch/riscv/hv.ld mk/layer_calls.sh
	@$(RV_CC) $(RV_CFLAGS) -fsyntax-only -Icore/include -I$(LIBFDT_SRC) \
		$(addprefix -include ,$(wildcard core/include/*.h)) -x c /dev/null
	@NM=$(CROSS)nm CC=$(RV_CC) sh mk/layer_calls.sh $(BUILD)/hv $(CFG_OUT)/septa_config.o \
		$(HV_OBJS)
	@echo "  LD      $@"
	@$(RV_CC) $(RV_LDFLAGS) -T arch/riscv/hv.ld -L$(CFG_OUT) -Wl,-Map=$(CFG_OUT)/septa.map \
		-o $@ $(HV_OBJS) $(CFG_OUT)/septa_config.o $(LIBFDT_RV)

hv: $(HV_ELF)

QEMU_ARGS ?=
run: $(HV_ELF)
	@sh mk/run.sh $(CFG_OUT) "$(QEMU_CPU)" $(QEMU_ARGS)

debug: $(HV_ELF)
	@echo "septa: QEMU waits for gdb on :1234; in another terminal:"
	@echo "  gdb-multiarch $(HV_ELF) -ex 'target remote :1234'"
	@sh mk/run.sh $(CFG_OUT) "$(QEMU_CPU)" -S -gdb tcp::1234 $(QEMU_ARGS)

map: $(CFG_OUT)/board.dtb $(SEPTA_CFG) $(GUEST_ELFS)
	@$(SEPTA_CFG) map $(CONFIG) --board $(CFG_OUT)/board.dtb --guests-dir $(BUILD)/guests
