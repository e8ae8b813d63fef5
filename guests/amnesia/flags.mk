# amnesia leaves markers in the F registers and fcsr for its restart to find:
# build it, with its runtime and libfdt, for rv64imafdc/lp64d (mk/guests.mk).
GUEST_ABI_amnesia := lp64d
