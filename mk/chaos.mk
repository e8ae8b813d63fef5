# A long chaos run (never part of `make test`): the chaos guest (two vCPUs,
# on harts 0 and 1) beside a victim ticker on its hart 0, with a big op
# count, in QEMU. Fails on a panic, an ODD result, a start of a hart the run
# did not ask for, a missing summary, or a victim tick later than one slice.
#   make chaos-long                          500000 ops, seed 1
#   make chaos-long CHAOS_OPS=2000000 CHAOS_SEED=7 CHAOS_BLOCK=5000
# Each block of CHAOS_BLOCK ops ends in a fault and a restart, so
# CHAOS_OPS / CHAOS_BLOCK must stay under the restart limit (1000).

CHAOS_OPS   ?= 500000
CHAOS_SEED  ?= 1
CHAOS_BLOCK ?= 1000
# Instruction-counted time, so that the victim's lateness is septa's doing
# and not the host's: a loaded host stalls QEMU's threads for tens of ms.
CHAOS_QEMU_ARGS ?= -icount shift=3,sleep=off
CHAOS_SLICE_US := 10000
CHAOS_DIR   := $(BUILD)/chaos-long
CHAOS_CONF  := $(CHAOS_DIR)/chaos-long.conf
CHAOS_LOG   := $(CHAOS_DIR)/chaos-long.log

.PHONY: chaos-long
chaos-long:
	@mkdir -p $(CHAOS_DIR)
	@printf '%s\n' 'platform = qemu-virt' 'harts = 2' 'ram = 128M' 'timeslice = 10ms' \
		'[guest chaos]' 'image = chaos' 'memory = 1M' 'vcpus = 2' 'harts = 0, 1' \
		'on-fault = restart' 'restart-limit = 1000' 'restart-delay = 0' \
		'bootargs = seed=$(CHAOS_SEED) ops=$(CHAOS_OPS) block=$(CHAOS_BLOCK)' \
		'[guest victim]' 'image = chaos' 'memory = 1M' 'harts = 0' \
		'bootargs = victim=1' > $(CHAOS_CONF).tmp
	@cmp -s $(CHAOS_CONF).tmp $(CHAOS_CONF) || mv $(CHAOS_CONF).tmp $(CHAOS_CONF)
	@rm -f $(CHAOS_CONF).tmp
	@$(MAKE) -s hv CONFIG=$(CHAOS_CONF) BUILD=$(BUILD)
	@echo "  CHAOS   $(CHAOS_OPS) ops, seed $(CHAOS_SEED) -> $(CHAOS_LOG)"
	@sh guests/chaos/long-run.sh $(BUILD)/cfg/chaos-long $(QEMU_CPU) $(CHAOS_LOG) $(CHAOS_OPS) \
		$(CHAOS_SLICE_US) $(CHAOS_QEMU_ARGS)
