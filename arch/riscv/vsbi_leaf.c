/* The first and shortest trap path: SBI calls whose answer is known without
 * the scheduler (BASE's constants and probe_extension, and set_timer on a
 * hart with Sstc), answered by a leaf function that the vector calls with
 * only ra, t0-t2, a0 and a1 of the guest saved. It is compiled to use no
 * other register, no stack and no gp (mk/hv.mk checks), and reads the
 * guest's a6 and a7 where they are.
 *
 * What may run here: reads of av, the vCPU and its VM, and writes to av,
 * the vCPU's timer deadline and statistics, and vstimecmp. No call (a
 * callee would spill to the stack), no stack (sp is still the guest's and
 * may point anywhere), no gp or tp (the guest's too), and no lock, since
 * nothing here is shared with another hart (the device leaf, mmio_leaf.c,
 * does take its VM's device lock, inline). Anything else returns "not
 * mine" and goes on to vsbi_fast() or the slow path. */
#include "core_services.h"
#include "cpu.h"
#include "csr.h"
#include "vsbi.h"
#include "vsbi_base.h"

/* error in the low half (a0), value in the high half (a1). A 128-bit
 * integer comes back in a0:a1 without the stack a two-field struct costs. */
static inline vsbi_leaf_ret answer(long error, unsigned long value)
{
	return (vsbi_leaf_ret)value << 64 | (unsigned long)error;
}

vsbi_leaf_ret vsbi_leaf(struct arch_vcpu *av)
{
#ifdef __riscv
	register unsigned long fid __asm__("a6");
	register unsigned long ext __asm__("a7");

	/* The guest's a6 and a7 are still live: the compiler may not touch
	 * them (-ffixed), and this empty asm says they hold our inputs. */
	__asm__("" : "=r"(fid), "=r"(ext));
#else
	/* Host unit tests: the test puts them where a full save would. */
	unsigned long fid = av->gpr[REG_A6], ext = av->gpr[REG_A7];
#endif
	unsigned long value = 0;
	struct vcpu *v = av->vcpu;

	if (ext == SBI_EXT_BASE) {
		if (fid == SBI_BASE_PROBE_EXT)
			value = vsbi_ext_offered(av->gpr[REG_A0]);
		else if (vsbi_base_const(fid, &value))
			return answer(-1, 0);
	} else if (ext == SBI_EXT_TIME && fid == 0 && cpu_features.sstc) {
		/* set_timer, when the hart compares for us (Sstc): what
		 * vcpu_set_timer() and arch_vcpu_timer_set() do for a vCPU
		 * live on its hart. The new vstimecmp drops a pending VSTIP. */
		uint64_t deadline = av->gpr[REG_A0];

		/* The core's copy: exactly what vcpu_set_timer() would store
		 * (test_vsbi.c holds them together). The hart's deadline list
		 * catches up at the vcpu_timer_sync() after this stint, since
		 * nothing may be called from here. Without Sstc the hart's own
		 * timer would need re-arming: the scheduler's, so not here. */
		v->timer_deadline = vcpu_deadline_to_host(deadline, v->vm->time_base);
		av->vstimecmp = deadline;
#ifdef __riscv
		csr_write(CSR_VSTIMECMP, deadline);
#endif
	} else {
		return answer(-1, 0);
	}
	/* Counted as the slow path counts it: the statistics do not tell
	 * the paths apart. */
	v->stats.traps[VCPU_TRAP_SBI]++;
	return answer(SBI_SUCCESS, value);
}
