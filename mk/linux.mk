# The Linux guest: Debian's linux-source-6.1 built with tinyconfig plus
# guests/linux/kernel.config, and an initramfs holding our /init.
#   make linux    $(BUILD)/guests/linux.Image and $(BUILD)/guests/linux.initrd
# A config names them as image = linux and initrd = linux. The kernel build
# takes minutes, so every stage is a file make can see: each reruns only when
# its own inputs change, and its output goes to a log under $(LINUX_DIR).

LINUX_DIR    := $(BUILD)/linux
LINUX_SRC    := $(LINUX_DIR)/linux-source-6.1
LINUX_OBJ    := $(LINUX_DIR)/obj
LINUX_LOG    := $(LINUX_DIR)/build.log
LINUX_FRAG   := guests/linux/kernel.config
LINUX_IMAGE  := $(BUILD)/guests/linux.Image
LINUX_INITRD := $(BUILD)/guests/linux.initrd
LINUX_INIT   := $(LINUX_DIR)/init
LINUX_CROSS  := riscv64-linux-gnu-
# The kernel's own make, apart from ours: its flags and job server are not
# for this make (-j of its own, since its build is the long one).
LINUX_MAKE   := env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C $(LINUX_SRC) \
	O=$(abspath $(LINUX_OBJ)) ARCH=riscv CROSS_COMPILE=$(LINUX_CROSS)
# Runs a stage quietly into the log; on failure shows the log's tail.
linux_quiet = { $(1); } >>$(LINUX_LOG) 2>&1 || \
	{ echo "septa: Linux stage failed; the end of $(LINUX_LOG):"; tail -n 40 $(LINUX_LOG); exit 1; }

.PHONY: linux
linux: $(LINUX_IMAGE) $(LINUX_INITRD)

# The sources come from the .deb that mk/libfdt.sh downloads for libfdt.
$(LINUX_SRC)/Makefile: $(LIBFDT_SRC)/libfdt.h | $(DEPS_STAMP)
	@echo "  LINUX   extract"
	@rm -rf $(LINUX_SRC) && mkdir -p $(LINUX_DIR)
	@dpkg-deb --fsys-tarfile $$(ls $(BUILD)/libfdt/dl/linux-source-6.1_*.deb | head -n 1) | \
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' | tar -xJ -C $(LINUX_DIR)
	@touch $@

$(LINUX_OBJ)/.config: $(LINUX_SRC)/Makefile $(LINUX_FRAG)
	@echo "  LINUX   config"
	@mkdir -p $(LINUX_OBJ) && : > $(LINUX_LOG)
	@$(call linux_quiet,$(LINUX_MAKE) tinyconfig)
	@$(call linux_quiet,cd $(LINUX_OBJ) && \
		$(abspath $(LINUX_SRC))/scripts/kconfig/merge_config.sh -m .config \
		$(abspath $(LINUX_FRAG)))
	@$(call linux_quiet,$(LINUX_MAKE) olddefconfig)
	@# A fragment line kconfig dropped (a typo, a missing dependency) fails here.
	@for s in $$(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=.*/\1/p' $(LINUX_FRAG)); do \
		grep -q "^$$s=" $@ || { echo "septa: $(LINUX_FRAG): $$s did not stick"; \
		rm -f $@; exit 1; }; done
	@for s in $$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set/\1/p' $(LINUX_FRAG)); do \
		! grep -q "^$$s=" $@ || { echo "septa: $(LINUX_FRAG): $$s is still set"; \
		rm -f $@; exit 1; }; done

$(LINUX_IMAGE): $(LINUX_OBJ)/.config
	@echo "  LINUX   build Image (about 6 minutes on 2 cores; log in $(LINUX_LOG))"
	@$(call linux_quiet,$(LINUX_MAKE) -j$$(nproc) Image)
	@mkdir -p $(@D) && cp $(LINUX_OBJ)/arch/riscv/boot/Image $@

$(LINUX_INIT): guests/linux/init.c | $(DEPS_STAMP)
	@echo "  CC      $< (riscv64 Linux, static)"
	@mkdir -p $(@D)
	@$(LINUX_CROSS)gcc -static -O2 -s -Wall -Wextra -Werror -std=gnu11 -o $@ $<

# The kernel's gen_init_cpio writes the archive from a list, device node
# included, without root.
$(LINUX_DIR)/gen_init_cpio: $(LINUX_SRC)/Makefile
	@$(HOST_CC) -O2 -o $@ $(LINUX_SRC)/usr/gen_init_cpio.c

$(LINUX_INITRD): $(LINUX_INIT) $(LINUX_DIR)/gen_init_cpio mk/linux.mk
	@echo "  LINUX   initramfs"
	@printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
		'dir /proc 0755 0 0' 'dir /sys 0755 0 0' 'dir /root 0700 0 0' \
		'file /init $(abspath $(LINUX_INIT)) 0755 0 0' > $(LINUX_DIR)/initramfs.list
	@mkdir -p $(@D)
	@$(LINUX_DIR)/gen_init_cpio $(LINUX_DIR)/initramfs.list | gzip -9n > $@

# A config that boots Linux needs it built first: make run, hv and map of such
# a config build it, from a fresh clone too.
CFG_USES_LINUX := $(shell grep -sqE \
	'^[[:space:]]*(image|initrd)[[:space:]]*=[[:space:]]*linux([[:space:]]|\#|$$)' $(CONFIG) && echo y)
ifneq ($(CFG_USES_LINUX),)
$(CFG_OUT)/septa_config.c: $(LINUX_IMAGE) $(LINUX_INITRD)
map: $(LINUX_IMAGE) $(LINUX_INITRD)
endif
