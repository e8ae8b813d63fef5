# Demo guests: the runtime in guests/rt plus one folder per guest (any folder
# with a main.c), each linked twice from the same objects:
#   $(BUILD)/guests/<name>.elf         at 0x80000000, loaded by septa (VS-mode)
#   $(BUILD)/guests-native/<name>.elf  at 0x80200000, run on OpenSBI via -kernel
# The code is position-independent (medany), so only the link differs.
#
# A guest folder may hold a flags.mk that sets, for its guest <name>:
#   GUEST_ABI_<name>    := lp64d    the ABI: lp64 (default, no FP) or lp64d
#   GUEST_CFLAGS_<name> := ...      extra flags for the folder's own files
# Every ABI gets its own build of the runtime and libfdt, since objects of
# different float ABIs do not link together.

GUEST_NAMES := $(filter-out rt,$(patsubst guests/%/main.c,%,$(wildcard guests/*/main.c)))
GUEST_ELFS := $(GUEST_NAMES:%=$(BUILD)/guests/%.elf)
GUEST_NATIVE_ELFS := $(GUEST_NAMES:%=$(BUILD)/guests-native/%.elf)

GUEST_BASE := 0x80000000
# Where OpenSBI's fw_dynamic jumps for -kernel on QEMU virt.
GUEST_NATIVE_BASE := 0x80200000

-include $(wildcard guests/*/flags.mk)

# ABIs: how to compile, and how to link (plain -march names, so that gcc
# picks the matching picolibc multilib: rv64imac/lp64, or the default "."
# multilib, rv64imafdc/lp64d; see riscv64-unknown-elf-gcc -print-multi-lib).
GUEST_ABIS := lp64 lp64d
GUEST_ARCH_lp64 := -march=rv64imac_zicsr_zifencei -mabi=lp64
GUEST_LINK_ARCH_lp64 := -march=rv64imac -mabi=lp64
GUEST_ARCH_lp64d := -march=rv64imafdc_zicsr_zifencei -mabi=lp64d
GUEST_LINK_ARCH_lp64d := -march=rv64imafdc -mabi=lp64d
guest_abi = $(or $(GUEST_ABI_$(1)),lp64)

GUEST_OBJ := $(BUILD)/guests/obj
GUEST_LDS := guests/rt/guest.ld
# RV_CFLAGS and RV_LDFLAGS without their -march/-mabi: the ABI adds its own.
GUEST_CFLAGS := $(filter-out -march=% -mabi=%,$(RV_CFLAGS)) -Iguests/rt -I$(LIBFDT_SRC) -MMD -MP
GUEST_LDFLAGS := $(filter-out -march=% -mabi=%,$(RV_LDFLAGS))

# Objects live under $(GUEST_OBJ)/<abi>/<folder>/<file>.o.
guest_rt_objs = $(patsubst guests/%,$(GUEST_OBJ)/$(1)/%.o,$(wildcard guests/rt/*.c guests/rt/*.S))
# A guest's own objects: every .c and .S in its folder.
guest_objs = $(patsubst guests/%,$(GUEST_OBJ)/$(call guest_abi,$(1))/%.o,\
	$(wildcard guests/$(1)/*.c guests/$(1)/*.S))
# libfdt: the lp64 build the hypervisor's Makefile makes, or one of our own.
guest_libfdt = $(if $(filter lp64,$(1)),$(LIBFDT_RV),$(BUILD)/libfdt/libfdt-rv-$(1).a)

.PHONY: guests guests-native
guests: $(GUEST_ELFS)
guests-native: $(GUEST_NATIVE_ELFS)

# guest_abi_rules(abi): compiling the runtime, the guests and libfdt for it.
# The first word of the stem is the folder, whose GUEST_CFLAGS_<name> apply.
# libfdt.h is a prerequisite because it is generated (fetched) on first build.
define guest_abi_rules
$(GUEST_OBJ)/$(1)/%.c.o: guests/%.c $(LIBFDT_SRC)/libfdt.h | $(DEPS_STAMP)
	@echo "  CC      $$< ($(1))"
	@mkdir -p $$(@D)
	@$(RV_CC) $(GUEST_ARCH_$(1)) $(GUEST_CFLAGS) \
		$$(GUEST_CFLAGS_$$(firstword $$(subst /, ,$$*))) -c $$< -o $$@

$(GUEST_OBJ)/$(1)/%.S.o: guests/%.S | $(DEPS_STAMP)
	@echo "  AS      $$< ($(1))"
	@mkdir -p $$(@D)
	@$(RV_CC) $(GUEST_ARCH_$(1)) $(GUEST_CFLAGS) \
		$$(GUEST_CFLAGS_$$(firstword $$(subst /, ,$$*))) -c $$< -o $$@

ifneq ($(1),lp64)
$(BUILD)/libfdt/libfdt-rv-$(1).a: $(LIBFDT_SRC)/libfdt.h
	@echo "  CC      libfdt (riscv64, $(1))"
	@mkdir -p $(BUILD)/libfdt/obj-$(1)
	@for f in $(LIBFDT_C); do \
		$(RV_CC) $(GUEST_ARCH_$(1)) -mcmodel=medany --specs=picolibc.specs \
		-ffreestanding -O2 -g -I$(LIBFDT_SRC) -c $(LIBFDT_SRC)/$$$$f \
		-o $(BUILD)/libfdt/obj-$(1)/$$$${f%.c}.o || exit 1; done
	@rm -f $$@ && $(CROSS)ar rcs $$@ $(BUILD)/libfdt/obj-$(1)/*.o
endif
endef
$(foreach a,$(GUEST_ABIS),$(eval $(call guest_abi_rules,$(a))))

# guest_link(name, output dir, base address, abi)
define guest_link
$(2)/$(1).elf: $(call guest_objs,$(1)) $(call guest_rt_objs,$(4)) $(call guest_libfdt,$(4)) \
		$(GUEST_LDS) $(wildcard guests/$(1)/flags.mk)
	@echo "  LD      $$@"
	@mkdir -p $$(@D)
	@$(RV_CC) $(GUEST_LINK_ARCH_$(4)) $(GUEST_LDFLAGS) -T $(GUEST_LDS) \
		-Wl,--defsym=GUEST_BASE=$(3) -Wl,-Map=$(2)/$(1).map -o $$@ \
		$(call guest_objs,$(1)) $(call guest_rt_objs,$(4)) $(call guest_libfdt,$(4))
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_link,$(g),$(BUILD)/guests,$(GUEST_BASE),$(call guest_abi,$(g)))))
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_link,$(g),$(BUILD)/guests-native,$(GUEST_NATIVE_BASE),$(call guest_abi,$(g)))))

-include $(wildcard $(GUEST_OBJ)/*/*/*.d)
