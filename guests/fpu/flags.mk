# fpu uses the F/D registers: build it, and the runtime and libfdt linked into
# it, for rv64imafdc/lp64d (see mk/guests.mk).
GUEST_ABI_fpu := lp64d
