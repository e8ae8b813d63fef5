# Demo guests: the runtime in guests/rt plus one folder per guest (any folder
# with a main.c), each linked twice from the same objects:
#   $(BUILD)/guests/<name>.elf         at 0x80000000, loaded by septa (VS-mode)
#   $(BUILD)/guests-native/<name>.elf  at 0x80200000, run on OpenSBI via -kernel
# The code is position-independent (medany), so only the link differs.

GUEST_NAMES := $(filter-out rt,$(patsubst guests/%/main.c,%,$(wildcard guests/*/main.c)))
GUEST_ELFS := $(GUEST_NAMES:%=$(BUILD)/guests/%.elf)
GUEST_NATIVE_ELFS := $(GUEST_NAMES:%=$(BUILD)/guests-native/%.elf)

GUEST_BASE := 0x80000000
# Where OpenSBI's fw_dynamic jumps for -kernel on QEMU virt.
GUEST_NATIVE_BASE := 0x80200000

GUEST_OBJ := $(BUILD)/guests/obj
GUEST_LDS := guests/rt/guest.ld
GUEST_CFLAGS := $(RV_CFLAGS) -Iguests/rt -I$(LIBFDT_SRC) -MMD -MP
GUEST_RT_OBJS := $(patsubst guests/%,$(GUEST_OBJ)/%.o,$(wildcard guests/rt/*.c guests/rt/*.S))
# A guest's own objects: every .c in its folder.
guest_objs = $(patsubst guests/%,$(GUEST_OBJ)/%.o,$(wildcard guests/$(1)/*.c))

.PHONY: guests guests-native
guests: $(GUEST_ELFS)
guests-native: $(GUEST_NATIVE_ELFS)

# libfdt.h is a prerequisite because it is generated (fetched) on first build.
$(GUEST_OBJ)/%.c.o: guests/%.c $(LIBFDT_SRC)/libfdt.h | $(DEPS_STAMP)
	@echo "  CC      $<"
	@mkdir -p $(@D)
	@$(RV_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OBJ)/%.S.o: guests/%.S | $(DEPS_STAMP)
	@echo "  AS      $<"
	@mkdir -p $(@D)
	@$(RV_CC) $(GUEST_CFLAGS) -c $< -o $@

# guest_link(name, output dir, base address)
define guest_link
$(2)/$(1).elf: $(call guest_objs,$(1)) $(GUEST_RT_OBJS) $(LIBFDT_RV) $(GUEST_LDS)
	@echo "  LD      $$@"
	@mkdir -p $$(@D)
	@$(RV_CC) $(RV_LDFLAGS) -T $(GUEST_LDS) -Wl,--defsym=GUEST_BASE=$(3) \
		-Wl,-Map=$(2)/$(1).map -o $$@ $(call guest_objs,$(1)) $(GUEST_RT_OBJS) $(LIBFDT_RV)
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_link,$(g),$(BUILD)/guests,$(GUEST_BASE))))
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_link,$(g),$(BUILD)/guests-native,$(GUEST_NATIVE_BASE))))

-include $(wildcard $(GUEST_OBJ)/*/*.d)
