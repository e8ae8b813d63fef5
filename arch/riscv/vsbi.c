/* The guest SBI dispatcher: the extension table, the one translation from
 * HV_E* codes to SBI errors, and the only writes to a guest's a0/a1/sepc. */
#include "vsbi.h"

#include <stddef.h>

#include "core_services.h"
#include "cpu.h"

/* The calls that reach this table most come first: the lookup is a linear
 * scan. The leaf path answers BASE and (with Sstc) set_timer before it, so
 * those of an SMP kernel at work lead: timers without Sstc, IPIs, fences. */
static const struct vsbi_ext *const extensions[] = {
    &vsbi_time, &vsbi_ipi,    &vsbi_rfence, &vsbi_base, &vsbi_dbcn,
    &vsbi_chan, &vsbi_legacy, &vsbi_hsm,    &vsbi_srst,
};

const struct vsbi_ext *vsbi_find(unsigned long ext)
{
	for (size_t i = 0; i < ARRAY_SIZE(extensions); i++)
		if (ext >= extensions[i]->ext_lo && ext <= extensions[i]->ext_hi)
			return extensions[i];
	return NULL;
}

int vsbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base, uint64_t *out)
{
	uint64_t all = vm->nvcpus >= 64 ? ~0UL : (1UL << vm->nvcpus) - 1;

	if (base == ~0UL) {
		*out = all;
		return 0;
	}
	/* Every hart named must be one of the guest's own. */
	if (base >= vm->nvcpus) {
		*out = 0;
		return mask ? HV_EINVAL : 0;
	}
	uint64_t set = (uint64_t)mask << base;
	if ((set >> base) != mask || (set & ~all))
		return HV_EINVAL;
	*out = set;
	return 0;
}

/* The one translation from the hypervisor's errors to the guest's. */
static long sbi_error(int rc)
{
	switch (rc) {
	case 0:
		return SBI_SUCCESS;
	case HV_EINVAL:
		return SBI_ERR_INVALID_PARAM;
	case HV_ERANGE:
		return SBI_ERR_INVALID_ADDRESS;
	case HV_ENOTSUP:
		return SBI_ERR_NOT_SUPPORTED;
	case HV_EALREADY:
		return SBI_ERR_ALREADY_AVAILABLE;
	case HV_EDENIED:
		return SBI_ERR_DENIED;
	default:
		return SBI_ERR_FAILED;
	}
}

/* An SBI error/value pair (or the legacy a0 value in .value). */
struct vsbi_ret {
	long error;
	unsigned long value;
};

static inline __attribute__((always_inline)) struct vsbi_ret
call_ext(const struct vsbi_ext *e, struct vcpu *v, const struct vsbi_call *c)
{
	unsigned long value = 0;
	int rc = e->handle(v, c, &value);

	if (e->legacy)
		/* v0.1 calls have only a0; failures there are -1 or an error. */
		return (struct vsbi_ret){.error = 0,
					 .value = rc ? (unsigned long)sbi_error(rc) : value};
	return (struct vsbi_ret){.error = sbi_error(rc), .value = rc ? 0 : value};
}

/* Runs a decoded call, setting *legacy for a v0.1 extension. */
static struct vsbi_ret dispatch(struct vcpu *v, const struct vsbi_call *c, bool *legacy)
{
	const struct vsbi_ext *e = vsbi_find(c->ext);

	if (!e) {
		/* Ids 0x00..0x0f are all v0.1: the error goes in a0 alone and
		 * a1 must be left as it was. */
		*legacy = c->ext <= 0x0f;
		return (struct vsbi_ret){.error = SBI_ERR_NOT_SUPPORTED,
					 .value =
					     *legacy ? (unsigned long)SBI_ERR_NOT_SUPPORTED : 0};
	}
	*legacy = e->legacy;
	return call_ext(e, v, c);
}

/* The SBI calling convention: a7 = extension, a6 = function, a0..a5 =
 * arguments, read where the vector saved them. */
static void decode(const struct arch_vcpu *av, struct vsbi_call *c)
{
	c->ext = av->gpr[REG_A7];
	c->fid = av->gpr[REG_A6];
	c->arg = &av->gpr[REG_A0];
}

static void answer(struct arch_vcpu *av, struct vsbi_ret r, bool legacy)
{
	if (legacy) {
		av->gpr[REG_A0] = r.value;
	} else {
		av->gpr[REG_A0] = (unsigned long)r.error;
		av->gpr[REG_A1] = r.value;
	}
}

/* A call that completes later (a remote fence that timed out) rewrites
 * only the error: a0 is all the guest has not yet read. */
void arch_vcpu_sbi_error(struct vcpu *v, int rc)
{
	struct arch_vcpu *av = v->arch;

	av->gpr[REG_A0] = (unsigned long)sbi_error(rc);
}

enum vcpu_exit vsbi_handle(struct vcpu *v, struct arch_vcpu *av)
{
	struct vsbi_call c;
	bool legacy;

	decode(av, &c);
	av->redirected = false;
	struct vsbi_ret r = dispatch(v, &c, &legacy);
	/* A call that sent the vCPU elsewhere (a non-retentive suspend that
	 * resumed at once) has set pc, a0 and a1 itself: the SBI spec has it
	 * resume at resume_addr with a0 = hart id, a1 = opaque. */
	if (av->redirected)
		return VCPU_EXIT_HANDLED;
	answer(av, r, legacy);
	av->sepc += 4; /* ecall is never compressed */
	return VCPU_EXIT_HANDLED;
}

/* pc comes from the vector: av->sepc is stale here, since only the slow
 * exit saves the trap CSRs. The answer goes into av's a0/a1, from where the
 * vector's fast return loads them. */
long vsbi_fast(struct arch_vcpu *av, unsigned long pc)
{
	struct vcpu *v = av->vcpu;
	struct vsbi_call c;

	decode(av, &c);
	const struct vsbi_ext *e = vsbi_find(c.ext);
	if (!e || e->fast == VSBI_SLOW || (e->fast == VSBI_FAST_HW_TIMER && !cpu_features.sstc))
		return 0;
	v->stats.traps[VCPU_TRAP_SBI]++;
	answer(av, call_ext(e, v, &c), e->legacy);
	av->sepc = pc + 4;
	return 1;
}
