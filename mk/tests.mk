# make test: every host unit test (UNIT_TESTS, filled in by the other
# fragments), then the pytest suites that boot QEMU and drive the config
# compiler; one summary line at the end. The boot tests boot Linux too, so
# the kernel is built first (make linux; minutes the first time only).

unit-test: $(UNIT_TESTS)
	@sh mk/test.sh unit $(UNIT_TESTS)

boot-test: $(SEPTA_CFG) guests linux
	@sh mk/test.sh pytest tests

test: $(UNIT_TESTS) $(SEPTA_CFG) guests linux
	@sh mk/test.sh all $(UNIT_TESTS)

# Style: clang-format clean, layers include only what they may see
# (mk/layers.sh), and no CSR names or inline assembly in core/.
check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')
	@sh mk/layers.sh
	@! grep -nE '__asm__|\basm\b|csr_(read|write|set|clear)|\b(sstatus|hstatus|hgatp|scause|sepc)\b' \
		core/*.c core/include/*.h || { echo "core/ must not touch CSRs or use assembly"; exit 1; }
	@echo "septa: check passed"
