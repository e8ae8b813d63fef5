# A long chaos run (never part of `make test`): the chaos guest beside a
# ticker, with a big op count, in QEMU. Fails on a panic, an ODD result or a
# missing summary.
#   make chaos-long                          500000 ops, seed 1
#   make chaos-long CHAOS_OPS=2000000 CHAOS_SEED=7 CHAOS_BLOCK=5000
# Each block of CHAOS_BLOCK ops ends in a fault and a restart, so
# CHAOS_OPS / CHAOS_BLOCK must stay under the restart limit (1000).

CHAOS_OPS   ?= 500000
CHAOS_SEED  ?= 1
CHAOS_BLOCK ?= 1000
CHAOS_CONF  := $(BUILD)/chaos-long/chaos-long.conf
CHAOS_LOG   := $(BUILD)/chaos-long/chaos-long.log

.PHONY: chaos-long
chaos-long:
	@mkdir -p $(dir $(CHAOS_CONF))
	@printf '%s\n' 'platform = qemu-virt' 'harts = 2' 'ram = 128M' \
		'[guest chaos]' 'image = chaos' 'memory = 1M' 'harts = 0' \
		'on-fault = restart' 'restart-limit = 1000' 'restart-delay = 0' \
		'bootargs = seed=$(CHAOS_SEED) ops=$(CHAOS_OPS) block=$(CHAOS_BLOCK)' \
		'[guest tick]' 'image = ticker' 'memory = 2M' 'harts = 1' > $(CHAOS_CONF).tmp
	@cmp -s $(CHAOS_CONF).tmp $(CHAOS_CONF) || mv $(CHAOS_CONF).tmp $(CHAOS_CONF)
	@rm -f $(CHAOS_CONF).tmp
	@$(MAKE) -s hv CONFIG=$(CHAOS_CONF) BUILD=$(BUILD)
	@echo "  CHAOS   $(CHAOS_OPS) ops, seed $(CHAOS_SEED) -> $(CHAOS_LOG)"
	@timeout 1800 sh mk/run.sh $(BUILD)/cfg/chaos-long $(QEMU_CPU) </dev/null >$(CHAOS_LOG) 2>&1; \
	 tail -n 3 $(CHAOS_LOG); \
	 if grep -a -q 'PANIC\|hypervisor trap\| ODD ' $(CHAOS_LOG) || \
	    ! grep -a -q 'chaos: $(CHAOS_OPS) ops done' $(CHAOS_LOG); then \
		echo "chaos-long: FAILED (see $(CHAOS_LOG))"; exit 1; \
	 fi; echo "chaos-long: ok, $$(grep -a -c 'faulted:' $(CHAOS_LOG)) faults survived"
