# make bench: the bench guest natively and under septa, side by side, plus
# the hypervisor's footprint (tools/bench.py; doc/benchmarks.md).
#   make bench    builds both versions of guests/bench (and the native
#                 clock), the hypervisor for each bench config, boots every
#                 run and prints the tables

BENCH_CONFIG := configs/bench.conf
BENCH_CROWD_CONFIG := configs/bench-crowd.conf
BENCH_RESTART_CONFIG := tests/configs/boot/bench-restart.conf
BENCH_LINUX_CONFIGS := tests/configs/boot/bench-linux-1.conf tests/configs/boot/bench-linux-2on1.conf
BENCH_CHANNEL_CONFIG := tests/configs/boot/channel-bench.conf
BENCH_ALARM_CONFIG := tests/configs/boot/alarm-bench.conf

# The hypervisors for the bench configs: CFG_OUT follows CONFIG, which is
# fixed when make reads the Makefile, so each is built by a make of its own.
bench: $(SEPTA_CFG) $(BUILD)/guests/bench.elf $(BUILD)/guests-native/bench.elf \
		$(BUILD)/guests-native/clock.elf linux
	@$(MAKE) --no-print-directory hv CONFIG=$(BENCH_CONFIG) BUILD=$(BUILD) \
		QEMU_CPU="$(QEMU_CPU)"
	@$(MAKE) --no-print-directory hv CONFIG=$(BENCH_CROWD_CONFIG) BUILD=$(BUILD) \
		QEMU_CPU="$(QEMU_CPU)"
	@$(MAKE) --no-print-directory hv CONFIG=$(BENCH_RESTART_CONFIG) BUILD=$(BUILD) \
		QEMU_CPU="$(QEMU_CPU)"
	@for c in $(BENCH_LINUX_CONFIGS) $(BENCH_CHANNEL_CONFIG) $(BENCH_ALARM_CONFIG); do $(MAKE) --no-print-directory hv CONFIG=$$c \
		BUILD=$(BUILD) QEMU_CPU="$(QEMU_CPU)" || exit 1; done
	@$(PY) tools/bench.py --build $(BUILD) --cpu "$(QEMU_CPU)"
