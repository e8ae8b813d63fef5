/* Exceptions septa hands to the guest's own kernel: what the hart would have
 * done had the trap been delegated (privileged spec, "Trap entry"), done on
 * the VS-level CSRs of the vCPU that trapped. */
#include "csr.h"
#include "trap.h"

void trap_inject(struct arch_vcpu *av, uint64_t cause, uint64_t tval)
{
	uint64_t vsstatus = csr_read(vsstatus);

	/* The guest's previous mode is the one it trapped from: sstatus.SPP
	 * tells VS (1) from VU (0) for a trap taken with V=1. */
	vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	if (av->sstatus & SSTATUS_SPP)
		vsstatus |= SSTATUS_SPP;
	if (csr_read(vsstatus) & SSTATUS_SIE)
		vsstatus |= SSTATUS_SPIE;
	csr_write(vsstatus, vsstatus);
	csr_write(vsepc, av->sepc);
	csr_write(vscause, cause);
	csr_write(vstval, tval);
	/* Exceptions go to the base in both stvec modes. A vector the guest
	 * never set (0) faults at once, and trap.c reports the cause. */
	av->sepc = csr_read(vstvec) & ~3UL;
	av->sstatus |= SSTATUS_SPP; /* sret goes to VS-mode, where the handler runs */
}
