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
#include "trap_mmio.h"
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

/* Whether the guest's table (vsatp), walked in software, leads from the
 * faulting guest-virtual address to gpa. */
static bool walk_leads_to(struct vcpu *v, const struct arch_vcpu *av, uint64_t vsatp, uint64_t gpa)
{
	uint64_t walked;

	return !vs_walk(vsatp, av->stval, read_guest_pte, v->vm, &walked) && walked == gpa;
}

/* Whether the guest's own load or store took the fault (mmio_explicit()),
 * walking the guest's table in software when the trap does not tell: then
 * only an access whose address the walk leads to gpa is emulated. */
static inline bool explicit_access(struct vcpu *v, const struct arch_vcpu *av, uint64_t gpa)
{
	int e = mmio_explicit(av->htinst, av->hstatus);

	return e >= 0 ? e : walk_leads_to(v, av, csr_read(vsatp), gpa);
}

/* Every guest register, x0 to x31 (AV_CALLER_SAVED_REGS is the vector's
 * first save on the device path). */
#define MMIO_ALL_SAVED 0xffffffffu

/* A load or store that missed the guest's RAM: emulate it if one of its
 * devices sits there. The access is decoded from htinst when the hart gives
 * it, else from the instruction itself. A device register is accessed whole
 * and aligned (mmio_whole()): else the guest gets a misaligned exception
 * and no byte of the access is emulated. insn: the instruction at sepc
 * (guest_fetch_insn(), never stval or htinst: QEMU 7.2 gives htinst 0 and
 * may leave stale bits in stval), -1 when it could not be read. 0 when
 * done, HV_EINVAL when not a device access, MMIO_ALL_REGS (before any
 * effect) when the access names a register not in `saved`. */
static inline __attribute__((always_inline)) int
mmio(struct vcpu *v, struct arch_vcpu *av, uint64_t gpa, bool store, uint32_t saved, long insn)
{
	struct insn_mem m, h;
	uint64_t start;

	if (!explicit_access(v, av, gpa))
		return HV_EINVAL;
	if (av->htinst && !insn_decode_htinst((uint32_t)av->htinst, &h)) {
		m = h; /* not &m: m may then live in registers */
		start = av->stval - m.addr_offset;
	} else {
		if (insn < 0 || insn_decode_mem((uint32_t)insn, &m))
			return HV_EINVAL;
		if (!(saved >> m.base & 1))
			return MMIO_ALL_REGS;
		start = av->gpr[m.base] + (uint64_t)m.imm; /* gpr[0] is always 0 */
	}
	/* The instruction read back is not the access that trapped (the guest
	 * rewrote it meanwhile): emulate nothing, the slow path reports it. */
	if (m.store != store)
		return HV_EINVAL;
	if (!(saved >> m.reg & 1))
		return MMIO_ALL_REGS;
	if (!mmio_whole(start, av->stval, m.width)) {
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

/* Not inlined: mmio() is, and would cost trap_handle()'s other paths (a
 * wfi, an interrupt) the registers it saves. */
static __attribute__((noinline)) enum vcpu_exit guest_page_fault(struct vcpu *v,
								 struct arch_vcpu *av)
{
	char what[112];
	uint64_t gpa = mmio_fault_gpa(av->htval, av->stval);

	/* A load or store may be a device access; a fetch never is. */
	if (av->scause != EXC_INST_GUEST_PAGE_FAULT &&
	    !mmio(v, av, gpa, av->scause == EXC_STORE_GUEST_PAGE_FAULT, MMIO_ALL_SAVED,
		  guest_fetch_insn(av->sepc)))
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

/* The trap vector's MMIO path (switch.S), for what the leaf
 * (mmio_leaf()) declined: the trap CSRs are in av and the instruction at
 * sepc, which the vector read before any C, in av->insn (a read that
 * faulted went to the slow path at once). Exactly the slow path's checks run
 * (mmio()); it only skips the scheduler, so it gives up when a pass of the
 * loop is due. An access emulated then is handed to the loop with fast_done
 * set so that trap_handle() does not do it twice. */
long trap_mmio_fast(struct arch_vcpu *av, bool all_saved)
{
	struct vcpu *v = av->vcpu;

	int rc = mmio(v, av, mmio_fault_gpa(av->htval, av->stval),
		      av->scause == EXC_STORE_GUEST_PAGE_FAULT,
		      all_saved ? MMIO_ALL_SAVED : AV_CALLER_SAVED_REGS, av->insn);
	if (rc == MMIO_ALL_REGS)
		return MMIO_ALL_REGS;
	if (rc) /* not a device: the slow path reports it */
		return MMIO_SLOW;
	csr_write(sstatus, av->sstatus); /* an injected exception set SPP */
	if (sched_quiet(&harts[v->hart], v))
		return MMIO_DONE;
	av->fast_done = true;
	return MMIO_SLOW;
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
