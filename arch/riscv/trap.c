/* Why did the guest trap? Interrupts go back to the scheduler, SBI calls to
 * vsbi, WFI to the scheduler; an exception the guest's own kernel can handle
 * is handed to it; only what the hypervisor alone can judge (an access
 * outside what the guest owns, a trap with no guest handler to take it) is
 * a fault, reported in one line a person can act on. */
#include "trap.h"

#include <stdio.h>
#include <string.h>

#include "core_services.h"
#include "csr.h"
#include "insn_decode.h"
#include "vs_walk.h"
#include "vsbi.h"

#define INSN_WFI 0x10500073 /* the only encoding: WFI has no operands */

/* sstatus.SPP after a trap from V=1: the guest was in VS-mode, not VU. */
static bool from_vs(const struct arch_vcpu *av)
{
	return (av->sstatus & SSTATUS_SPP) != 0;
}

/* The instruction at the guest's pc, read as the guest sees it (HLVX,
 * through its own translation and then its G-stage table); false when that
 * read faults. */
static bool guest_insn(const struct arch_vcpu *av, uint32_t *insn)
{
	long i = guest_fetch_insn(av->sepc);

	*insn = (uint32_t)i;
	return i >= 0;
}

/* vs_walk()'s reader: a PTE outside the guest's RAM ends the walk, as the
 * hardware walk would have ended in a guest-page fault. */
static bool read_guest_pte(void *vm, uint64_t gpa, uint64_t *pte)
{
	const uint64_t *p = vm_gpa_to_ptr(vm, gpa, sizeof(*p));

	if (!p)
		return false;
	*pte = *p;
	return true;
}

/* Whether the guest's own load or store took the fault, rather than the walk
 * of its page table reading a PTE at gpa: a PTE read from a device's address
 * must fault, never return a register. htinst marks a walk with a
 * pseudoinstruction (bits 1:0 = 00); without htinst, walk the guest's table
 * in software and emulate only when the address it leads to is gpa. */
static bool explicit_access(struct vcpu *v, const struct arch_vcpu *av, uint64_t gpa)
{
	uint64_t vsatp = csr_read(vsatp), walked;

	if (av->htinst)
		return (av->htinst & 3) != 0;
	/* stval is not a guest-virtual address, or the guest runs untranslated
	 * (vsatp Bare): no walk of its table could have been involved. */
	if (!(av->hstatus & HSTATUS_GVA) || !(vsatp >> 60))
		return true;
	return !vs_walk(vsatp, av->stval, read_guest_pte, v->vm, &walked) && walked == gpa;
}

/* A load or store that missed the guest's RAM: emulate it if one of its
 * devices sits there. The access is decoded from htinst when the hart gives
 * it, else from the instruction itself. A device register is accessed whole
 * and aligned: an access that is misaligned, or that began in RAM and ran
 * into the device's page (the fault is then on its second part, past its
 * start), is handed to the guest as a misaligned access, as hardware may
 * do, and no byte of it is emulated. */
static int mmio(struct vcpu *v, struct arch_vcpu *av, uint64_t gpa, bool store)
{
	struct insn_mem m;
	uint32_t insn;
	uint64_t start;

	if (!explicit_access(v, av, gpa))
		return HV_EINVAL;
	if (av->htinst && !insn_decode_htinst((uint32_t)av->htinst, &m)) {
		start = av->stval - m.addr_offset;
	} else {
		if (!guest_insn(av, &insn) || insn_decode_mem(insn, &m))
			return HV_EINVAL;
		start = av->gpr[m.base] + (uint64_t)m.imm; /* gpr[0] is always 0 */
	}
	/* The instruction read back is not the access that trapped (the guest
	 * rewrote it meanwhile): emulate nothing, the slow path reports it. */
	if (m.store != store)
		return HV_EINVAL;
	if (start != av->stval || (start & (m.width - 1))) {
		trap_inject(av, store ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED, start);
		return 0;
	}
	uint64_t val = store ? av->gpr[m.reg] : 0;
	int rc = vdev_mmio(v, gpa, m.width, store, &val);
	if (rc)
		return rc;
	if (!store && m.reg)
		av->gpr[m.reg] = insn_load_value(val, m.width, m.sign_extend);
	av->sepc += m.len;
	v->stats.traps[VCPU_TRAP_MMIO]++;
	return 0;
}

static const char *access_kind(uint64_t cause)
{
	switch (cause) {
	case EXC_INST_GUEST_PAGE_FAULT:
	case EXC_INST_ACCESS:
		return "instruction fetch from";
	case EXC_LOAD_GUEST_PAGE_FAULT:
	case EXC_LOAD_ACCESS:
		return "load from";
	default:
		return "store to";
	}
}

static const char *exception_name(uint64_t cause)
{
	static const char *const names[] = {
	    [EXC_INST_MISALIGNED] = "misaligned instruction fetch",
	    [EXC_INST_ACCESS] = "instruction access fault",
	    [EXC_ILLEGAL_INST] = "illegal instruction",
	    [EXC_BREAKPOINT] = "breakpoint",
	    [EXC_LOAD_MISALIGNED] = "misaligned load",
	    [EXC_LOAD_ACCESS] = "load access fault",
	    [EXC_STORE_MISALIGNED] = "misaligned store",
	    [EXC_STORE_ACCESS] = "store access fault",
	    [EXC_ECALL_U] = "ecall from VU-mode",
	    [EXC_INST_PAGE_FAULT] = "instruction page fault",
	    [EXC_LOAD_PAGE_FAULT] = "load page fault",
	    [EXC_STORE_PAGE_FAULT] = "store page fault",
	    [EXC_VIRTUAL_INST] = "virtual instruction (a hypervisor-only operation)",
	};

	if (cause < ARRAY_SIZE(names) && names[cause])
		return names[cause];
	return "unexpected exception";
}

/* Reports a fatal guest trap in one line and applies its on-fault policy. */
static enum vcpu_exit trap_guest_fault(struct vcpu *v, const struct arch_vcpu *av, const char *what)
{
	char line[CONBUF_LINE];
	uint32_t insn;
	int n = snprintf(line, sizeof(line), "vcpu %u on hart %u: %s; pc 0x%lx", v->id, v->hart,
			 what, (unsigned long)av->sepc);

	if (n > 0 && (size_t)n < sizeof(line) && guest_insn(av, &insn))
		snprintf(line + n, sizeof(line) - (size_t)n, " (insn 0x%0*x)",
			 (insn & 3) == 3 ? 8 : 4, insn);
	v->stats.traps[VCPU_TRAP_FAULT]++;
	vm_fault(v, line);
	return VCPU_EXIT_FAULT;
}

/* The guest-physical address of a guest-page fault: htval holds it shifted
 * right by 2, and the low bits are those of the faulting address. */
static uint64_t fault_gpa(const struct arch_vcpu *av)
{
	return (av->htval << 2) | (av->stval & 3);
}

/* The guest took an exception and its trap vector is not mapped (a guest
 * that never set stvec jumps to 0): name the exception it could not handle,
 * not the jump. */
static enum vcpu_exit no_handler(struct vcpu *v, struct arch_vcpu *av)
{
	char what[144];
	uint64_t vscause = csr_read(vscause), vsepc = csr_read(vsepc);

	snprintf(what, sizeof(what), "%s at pc 0x%lx with stvec = 0x%lx (no handler to take it)",
		 exception_name(vscause), (unsigned long)vsepc, (unsigned long)av->sepc);
	av->sepc = vsepc; /* report the instruction that raised it */
	return trap_guest_fault(v, av, what);
}

static enum vcpu_exit guest_page_fault(struct vcpu *v, struct arch_vcpu *av)
{
	char what[112];
	uint64_t gpa = fault_gpa(av);

	/* A load or store may be a device access; a fetch never is. */
	if (av->scause != EXC_INST_GUEST_PAGE_FAULT &&
	    !mmio(v, av, gpa, av->scause == EXC_STORE_GUEST_PAGE_FAULT))
		return VCPU_EXIT_HANDLED;
	/* A fetch fault at the guest's own trap vector right after an
	 * exception was handed there (vscause holds an exception, raised at
	 * another pc): the guest has no handler, and the exception it could
	 * not take is the news, not the jump. */
	if (av->scause == EXC_INST_GUEST_PAGE_FAULT && av->sepc == (csr_read(vstvec) & ~3UL) &&
	    !(csr_read(vscause) & CAUSE_INTERRUPT) && csr_read(vsepc) != av->sepc)
		return no_handler(v, av);
	int n = snprintf(what, sizeof(what), "%s guest-physical 0x%lx, not mapped for this guest",
			 access_kind(av->scause), (unsigned long)gpa);

	if ((av->hstatus & HSTATUS_GVA) && (csr_read(vsatp) >> 60) && n > 0 &&
	    (size_t)n < sizeof(what))
		snprintf(what + n, sizeof(what) - (size_t)n, " (guest-virtual 0x%lx)",
			 (unsigned long)av->stval);
	return trap_guest_fault(v, av, what);
}

/* Decoded from the instruction at sepc, never from stval or htinst: QEMU
 * 7.2 gives htinst 0 and can leave an earlier instruction's bits in stval.
 * A WFI from VS-mode waits; anything else (a WFI from VU-mode, a hypervisor
 * instruction or CSR, a supervisor CSR used from VU-mode) is an illegal
 * instruction to the guest's kernel, as it would be on a hart without the
 * H extension, and as KVM does. */
static enum vcpu_exit virtual_instruction(struct vcpu *v, struct arch_vcpu *av)
{
	uint32_t insn;

	if (!guest_insn(av, &insn))
		return trap_guest_fault(v, av, exception_name(EXC_VIRTUAL_INST));
	if (insn == INSN_WFI && from_vs(av)) {
		v->stats.traps[VCPU_TRAP_WFI]++;
		av->sepc += 4;
		return VCPU_EXIT_WFI;
	}
	v->stats.traps[VCPU_TRAP_OTHER]++;
	trap_inject(av, EXC_ILLEGAL_INST, insn);
	return VCPU_EXIT_HANDLED;
}

/* The trap vector's MMIO path (switch.S), with every guest register saved
 * and the trap CSRs still live: 1 when the device access was emulated and
 * the guest may go straight back (the vector restores it from av), 0 for
 * the slow path. Exactly the slow path's checks run (mmio()); it only
 * skips the scheduler, so it gives up when a pass of the loop is due. An
 * access that raised a request (an interrupt line moved) is emulated, then
 * handed to the loop with fast_done set so that trap_handle() does not do
 * it twice. */
long trap_mmio_fast(struct arch_vcpu *av)
{
	struct vcpu *v = av->vcpu;
	const struct hart *h = &harts[v->hart];

	/* The vector saved the registers, not the trap CSRs: mmio() reads
	 * these from av, as on the slow path. */
	av->sepc = csr_read(sepc);
	av->sstatus = csr_read(sstatus);
	av->hstatus = csr_read(hstatus);
	av->scause = csr_read(scause);
	av->stval = csr_read(stval);
	av->htval = csr_read(htval);
	av->htinst = csr_read(htinst);
	uint64_t gpa = fault_gpa(av);
	/* Not a device: the slow path reports it. */
	if (mmio(v, av, gpa, av->scause == EXC_STORE_GUEST_PAGE_FAULT))
		return 0;
	csr_write(sstatus, av->sstatus); /* an injected exception set SPP */
	if (sched_quiet(h, v))
		return 1;
	/* On to the loop: the vector's slow exit saves sepc again from the
	 * CSR, so the step past the access must be there. */
	csr_write(sepc, av->sepc);
	av->fast_done = true;
	return 0;
}

enum vcpu_exit trap_handle(struct vcpu *v, struct arch_vcpu *av)
{
	uint64_t cause = av->scause;
	uint64_t *count = v->stats.traps;

	/* trap_mmio_fast() did this trap's work and wanted only a pass of
	 * the scheduler loop. */
	if (av->fast_done) {
		av->fast_done = false;
		return VCPU_EXIT_HANDLED;
	}
	if (cause & CAUSE_INTERRUPT) {
		cause &= ~CAUSE_INTERRUPT;
		if (cause == IRQ_S_TIMER) {
			count[VCPU_TRAP_TIMER]++;
			return VCPU_EXIT_TIMER;
		}
		/* Another hart kicked us (SBI IPI): the scheduler loop looks at
		 * the requests it left. */
		if (cause == IRQ_S_SOFT)
			csr_clear(sip, MIP_SSIP);
		/* A board line a guest owns: into its virtual PLIC. */
		if (cause == IRQ_S_EXT)
			irqpass_host_irq(v->hart);
		count[VCPU_TRAP_IRQ]++;
		return VCPU_EXIT_OTHER;
	}
	switch (cause) {
	case EXC_ECALL_VS:
		count[VCPU_TRAP_SBI]++;
		return vsbi_handle(v, av);
	case EXC_VIRTUAL_INST:
		return virtual_instruction(v, av);
	case EXC_INST_GUEST_PAGE_FAULT:
	case EXC_LOAD_GUEST_PAGE_FAULT:
	case EXC_STORE_GUEST_PAGE_FAULT:
		return guest_page_fault(v, av);
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS: {
		char what[96];

		snprintf(what, sizeof(what), "%s 0x%lx: access fault", access_kind(cause),
			 (unsigned long)av->stval);
		return trap_guest_fault(v, av, what);
	}
	default:
		return trap_guest_fault(v, av, exception_name(cause));
	}
}
