# septa: a static partitioning hypervisor for RISC-V (H extension) on QEMU virt.
#   make run    build everything and boot $(CONFIG) in QEMU
#   make test   every unit and boot test, one summary line at the end
# Other targets: map, debug, check, bench, clean.  Output goes under build/.

PLATFORM ?= qemu-virt
CONFIG   ?= configs/duo.conf
BUILD    ?= build

CFG_NAME := $(basename $(notdir $(CONFIG)))
CFG_OUT  := $(BUILD)/cfg/$(CFG_NAME)

CROSS    ?= riscv64-unknown-elf-
RV_CC    := $(CROSS)gcc
RV_OBJCOPY := $(CROSS)objcopy
# Compile with the CSR extensions named; link with plain rv64imac so that gcc
# picks picolibc's rv64imac/lp64 multilib.
RV_ARCH  := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
RV_CFLAGS := $(RV_ARCH) --specs=picolibc.specs -ffreestanding -fno-common \
	-O2 -g -Wall -Wextra -Werror -std=gnu11
RV_LDFLAGS := -march=rv64imac -mabi=lp64 --specs=picolibc.specs -nostartfiles \
	-Wl,--gc-sections -Wl,--no-warn-rwx-segments

HOST_CC  ?= gcc
HOST_CFLAGS := -O1 -g -Wall -Wextra -Werror -std=gnu11
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

QEMU     := qemu-system-riscv64
QEMU_CPU ?= rv64,h=true,sstc=true
QEMU_BASE := -machine virt -cpu $(QEMU_CPU) -bios default -nographic

DEPS_STAMP := $(BUILD)/.deps-ok
PY       := /usr/bin/python3

.PHONY: all deps run debug map test unit-test boot-test check bench clean
all: hv

# Packages first: every build step depends on this stamp.
$(DEPS_STAMP): mk/deps.sh
	@mkdir -p $(BUILD)
	@sh mk/deps.sh
	@touch $@
deps: $(DEPS_STAMP)

# libfdt, cross-compiled for the hypervisor and the guests from the sources
# Debian ships in linux-source.
LIBFDT_SRC := $(BUILD)/libfdt/src
LIBFDT_RV  := $(BUILD)/libfdt/libfdt-rv.a
LIBFDT_C   := fdt.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c fdt_strerror.c \
	fdt_empty_tree.c fdt_addresses.c
$(LIBFDT_SRC)/libfdt.h: mk/libfdt.sh | $(DEPS_STAMP)
	@echo "  FETCH   libfdt (linux-source-6.1)"
	@sh mk/libfdt.sh $(LIBFDT_SRC)
$(LIBFDT_RV): $(LIBFDT_SRC)/libfdt.h
	@echo "  CC      libfdt (riscv64)"
	@mkdir -p $(BUILD)/libfdt/obj
	@for f in $(LIBFDT_C); do \
		$(RV_CC) $(RV_ARCH) --specs=picolibc.specs -ffreestanding -O2 -g \
		-I$(LIBFDT_SRC) -c $(LIBFDT_SRC)/$$f \
		-o $(BUILD)/libfdt/obj/$${f%.c}.o || exit 1; done
	@rm -f $@ && $(CROSS)ar rcs $@ $(BUILD)/libfdt/obj/*.o

# Each part of the tree adds its host unit-test binaries to UNIT_TESTS.
UNIT_TESTS :=

include mk/tools.mk
include mk/guests.mk
include mk/hv.mk
include mk/unit.mk
include mk/fuzz.mk
include mk/tests.mk
include mk/bench.mk
include mk/chaos.mk
include mk/linux.mk

clean:
	rm -rf $(BUILD)
