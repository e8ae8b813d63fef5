# Fuzzing septa-cfg's config parser and validator with libFuzzer (clang,
# ASan + UBSan + LeakSanitizer). Never part of `make test`.
#   make fuzz                    = fuzz-cfg, then chaos-long (mk/chaos.mk)
#   make fuzz-cfg FUZZ_SECONDS=N fuzz for N seconds (default 120); fails on any
#                                crash, leak, sanitizer report or 5 s input
# The seed corpus is every configs/*.conf and tests/configs/**/*.conf, copied
# into $(BUILD)/fuzz/corpus on each run; what the fuzzer adds stays there.
# Crashing inputs land in $(BUILD)/fuzz/artifacts/; replay one with
#   $(BUILD)/fuzz/fuzz_cfg $(BUILD)/fuzz/artifacts/crash-...

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 120
FUZZ_FLAGS   := -O1 -g -Wall -Wextra -Werror -std=gnu11 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_CFG     := $(FUZZ_DIR)/fuzz_cfg
FUZZ_STAMP   := $(FUZZ_DIR)/.deps-ok
# Everything of septa-cfg but main(), as the unit tests link it.
FUZZ_CFG_SRC := $(filter-out tools/septa_cfg.c,$(wildcard tools/*.c))
FUZZ_CFG_DEP := $(wildcard tools/*.h) core/include/cfg_table.h platform/qemu-virt/board.h
FUZZ_SEEDS   := $(wildcard configs/*.conf) $(shell find tests/configs -name '*.conf' 2>/dev/null)

.PHONY: fuzz fuzz-cfg
fuzz: fuzz-cfg chaos-long

$(FUZZ_STAMP): tests/fuzz/deps.sh | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@FUZZ_CC=$(FUZZ_CC) sh tests/fuzz/deps.sh
	@touch $@

$(FUZZ_CFG): tests/fuzz/fuzz_cfg.c $(FUZZ_CFG_SRC) $(FUZZ_CFG_DEP) mk/fuzz.mk | $(FUZZ_STAMP)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -Itools -Icore/include -Iplatform/qemu-virt -o $@ \
		tests/fuzz/fuzz_cfg.c $(FUZZ_CFG_SRC) -lfdt

# libFuzzer exits nonzero on a crash, a leak or a timeout; -max_total_time
# ends a clean run with status 0.
fuzz-cfg: $(FUZZ_CFG)
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	@for f in $(FUZZ_SEEDS); do cp "$$f" "$(FUZZ_DIR)/corpus/seed-$$(echo $$f | tr / _)"; done
	@echo "  FUZZ    septa-cfg for $(FUZZ_SECONDS) s, $$(ls $(FUZZ_DIR)/corpus | wc -l) inputs in the corpus"
	@$(FUZZ_CFG) -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
		-dict=tests/fuzz/cfg.dict -artifact_prefix=$(FUZZ_DIR)/artifacts/ \
		-print_final_stats=1 $(FUZZ_DIR)/corpus
