/* The RISC-V side of a vCPU: reset state, switching VS-level CSRs when
 * another vCPU takes the hart, and one trip into the guest. */
#include "arch_vcpu.h"

#include <stddef.h>
#include <string.h>

#include "arch_hooks.h"
#include "arch_vm.h"
#include "core_services.h"
#include "cpu.h"
#include "csr.h"
#include "hart_layout.h"
#include "tlb_rules.h"
#include "trap.h"

_Static_assert(offsetof(struct arch_vcpu, gpr) == AV_GPR(0), "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, sepc) == AV_SEPC, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, sstatus) == AV_SSTATUS, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, hstatus) == AV_HSTATUS, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, host_sp) == AV_HOST_SP, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, host_ra) == AV_HOST_RA, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, host_s) == AV_HOST_S(0), "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, host_gp) == AV_HOST_GP, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, host_tp) == AV_HOST_TP, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, scause) == AV_SCAUSE, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, stval) == AV_STVAL, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, htval) == AV_HTVAL, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, htinst) == AV_HTINST, "switch.S offsets");
_Static_assert(offsetof(struct arch_vcpu, insn) == AV_INSN, "switch.S offsets");

/* One slot for every vCPU a config may have (VM id * CFG_MAX_VCPUS + vCPU
 * id): nothing is allocated at run time. */
static struct arch_vcpu arch_vcpus[CFG_MAX_GUESTS * CFG_MAX_VCPUS];
/* The vCPU whose VS CSRs and FP registers are live on each hart. */
static struct arch_vcpu *loaded[HART_MAX];
/* The hart's FP registers and fcsr are all zero: restored from a vCPU that
 * never dirtied them, and not dirtied since. Restoring another such vCPU
 * can then be skipped, with nothing to leak (most bare-metal guests and
 * the bench never touch FP). */
static bool fp_live_zero[HART_MAX];
/* Per hart, the vCPU of each VM that ran there last: its VS-stage entries,
 * tagged with the VM's VMID, may still be in that hart's TLB. */
static struct arch_vcpu *last_of_vm[HART_MAX][CFG_MAX_GUESTS];

/* The assembler's -march has no H: name it for these two instructions. */
#define HFENCE_VVMA()                                                                              \
	__asm__ __volatile__(".option push\n.option arch, +h\nhfence.vvma\n.option pop" ::         \
				 : "memory")
#define HFENCE_GVMA()                                                                              \
	__asm__ __volatile__(".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::         \
				 : "memory")

static void set_entry(struct arch_vcpu *av, uint64_t pc, uint64_t a0, uint64_t a1)
{
	av->sepc = pc;
	av->gpr[REG_A0] = a0;
	av->gpr[REG_A1] = a1;
	/* sret goes to VS-mode (SPV, SPP) in supervisor privilege; HLV/HLVX
	 * from the hypervisor act as VS (SPVP); WFI traps (VTW). SPIE stays 0
	 * so the hypervisor never runs with interrupts enabled. FS Initial
	 * lets the guest turn on its FPU through vsstatus. */
	av->sstatus = SSTATUS_SPP | (cpu_features.fpu ? SSTATUS_FS_INITIAL : 0);
	av->hstatus = HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW | HSTATUS_VSXL_64;
	/* The guest's own view restarts too: interrupts off, no translation. */
	av->vsstatus = 0;
	av->vsatp = 0;
	av->redirected = true;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	struct arch_vcpu *av = &arch_vcpus[v->vm->id * CFG_MAX_VCPUS + v->id];
	const struct arch_vm *avm = v->vm->arch;

	/* Live CSRs would outlive the reset: forget them. A vCPU only ever
	 * runs on its own hart, and is reset there (or before harts start). */
	if (loaded[v->hart] == av) {
		loaded[v->hart] = NULL;
		fp_live_zero[v->hart] = false; /* it may have dirtied them unsaved */
	}
	memset(av, 0, sizeof(*av));
	/* Its last run's VS-stage entries carry the same VMID and ASIDs. */
	av->flush_vma = true;
	av->vcpu = v;
	set_entry(av, pc, a0, a1);
	av->hgatp = avm->hgatp;
	av->htimedelta = -v->vm->time_base;
	av->vstimecmp = UINT64_MAX;
	/* What OpenSBI gives a kernel on a hart of its own: user-mode time,
	 * cycle and instret readable; no envcfg features. */
	av->scounteren = 7;
	av->senvcfg = 0;
	v->arch = av;
}

void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	struct arch_vcpu *av = v->arch;

	set_entry(av, pc, a0, a1);
	/* A loaded vCPU's VS CSRs live in the hart, not in av: the next
	 * vs_save() would bring the old values back. */
	if (loaded[arch_this_hart()] == av) {
		csr_write(vsstatus, 0);
		csr_write(vsatp, 0);
	}
}

void arch_vcpu_timer_set(struct vcpu *v, uint64_t guest_deadline)
{
	struct arch_vcpu *av = v->arch;

	if (cpu_features.sstc) {
		/* The hardware raises and clears VSTIP from vstimecmp. */
		av->vstimecmp = guest_deadline;
		if (loaded[arch_this_hart()] == av)
			csr_write(CSR_VSTIMECMP, guest_deadline);
	} else {
		/* septa raised VSTIP itself (arch_vcpu_timer_fire()); SBI
		 * set_timer must clear it. */
		av->hvip &= ~MIP_VSTIP;
	}
}

void arch_vcpu_timer_fire(struct vcpu *v)
{
	struct arch_vcpu *av = v->arch;

	if (!cpu_features.sstc)
		av->hvip |= MIP_VSTIP;
}

void arch_vcpu_set_ext_irq(struct vcpu *v, bool level)
{
	struct arch_vcpu *av = v->arch;

	if (level)
		av->hvip |= MIP_VSEIP;
	else
		av->hvip &= ~MIP_VSEIP;
}

void arch_vcpu_raise_ipi(struct vcpu *v)
{
	((struct arch_vcpu *)v->arch)->hvip |= MIP_VSSIP;
}

bool arch_vcpu_irq_pending(struct vcpu *v)
{
	struct arch_vcpu *av = v->arch;
	bool live = loaded[arch_this_hart()] == av;
	uint64_t pending = av->hvip;
	uint64_t enabled = live ? csr_read(vsie) : av->vsie;

	/* With Sstc the hart raises VSTIP from vstimecmp without hvip: compare
	 * in the guest's time, as the hardware does. */
	if (cpu_features.sstc && av->vstimecmp <= csr_read(time) + av->htimedelta)
		pending |= MIP_VSTIP;
	/* hvip has the VS bits (2, 6, 10); vsie the S positions (1, 5, 9). */
	return (pending >> 1) & enabled & (MIP_SSIP | MIP_STIP | MIP_SEIP);
}

void arch_vcpu_flush(struct vcpu *v, bool fence_i, bool vma)
{
	struct arch_vcpu *av = v->arch;

	av->flush_fence_i |= fence_i;
	av->flush_vma |= vma;
}

static void vs_save(struct arch_vcpu *av, unsigned hart)
{
	av->vsstatus = csr_read(vsstatus);
	av->vsie = csr_read(vsie);
	av->vstvec = csr_read(vstvec);
	av->vsscratch = csr_read(vsscratch);
	av->vsepc = csr_read(vsepc);
	av->vscause = csr_read(vscause);
	av->vstval = csr_read(vstval);
	av->vsatp = csr_read(vsatp);
	if (cpu_features.sstc)
		av->vstimecmp = csr_read(CSR_VSTIMECMP);
	av->scounteren = csr_read(CSR_SCOUNTEREN);
	av->senvcfg = csr_read(CSR_SENVCFG);
	/* FP registers are saved only when the guest wrote them (the hart
	 * set sstatus.FS Dirty in av's saved sstatus). HS-mode needs FS on to
	 * run fp_save() at all. Clean afterwards: the next switch skips the
	 * save unless the guest writes them again. */
	if ((av->sstatus & SSTATUS_FS) == SSTATUS_FS_DIRTY) {
		csr_set(sstatus, SSTATUS_FS_INITIAL);
		fp_save(&av->fp);
		av->sstatus = (av->sstatus & ~SSTATUS_FS) | SSTATUS_FS_CLEAN;
		av->fp_used = true;
		fp_live_zero[hart] = false;
	}
}

static void vs_restore(const struct arch_vcpu *av, unsigned hart)
{
	csr_write(vsstatus, av->vsstatus);
	csr_write(vsie, av->vsie);
	csr_write(vstvec, av->vstvec);
	csr_write(vsscratch, av->vsscratch);
	csr_write(vsepc, av->vsepc);
	csr_write(vscause, av->vscause);
	csr_write(vstval, av->vstval);
	csr_write(vsatp, av->vsatp);
	csr_write(htimedelta, av->htimedelta);
	if (cpu_features.sstc)
		csr_write(CSR_VSTIMECMP, av->vstimecmp);
	csr_write(CSR_SCOUNTEREN, av->scounteren);
	csr_write(CSR_SENVCFG, av->senvcfg);
	/* Unless both are all zero: the live registers belong to someone
	 * else, maybe another guest, and must not leak. */
	if (cpu_features.fpu && (av->fp_used || !fp_live_zero[hart])) {
		csr_set(sstatus, SSTATUS_FS_INITIAL);
		fp_restore(&av->fp);
		fp_live_zero[hart] = !av->fp_used;
	}
	csr_write(hgatp, av->hgatp);
}

/* Makes av the vCPU whose state is live on this hart: the outgoing vCPU's
 * VS CSRs saved, av's loaded, and the guest TLB flushed as the tag rules
 * say (tlb_rules.h: VMIDs tag guests, not vCPUs of one guest). */
static void vcpu_load(struct arch_vcpu *av, unsigned hart)
{
	struct arch_vcpu *prev = loaded[hart];
	struct vm *vm = av->vcpu->vm;
	unsigned flush = tlb_switch_flush(prev ? prev->vcpu->vm : NULL, vm,
					  last_of_vm[hart][vm->id], av, arch_vmids_shared);

	if (prev)
		vs_save(prev, hart);
	vs_restore(av, hart); /* hgatp last: hfence.vvma below acts on its VMID */
	loaded[hart] = av;
	last_of_vm[hart][vm->id] = av;
	if (flush & TLB_FLUSH_GVMA)
		HFENCE_GVMA();
	if (flush & TLB_FLUSH_VVMA)
		HFENCE_VVMA();
}

enum vcpu_exit arch_vcpu_run(struct vcpu *v)
{
	struct arch_vcpu *av = v->arch;
	unsigned hart = arch_this_hart();

	if (loaded[hart] != av)
		vcpu_load(av, hart);
	if (av->flush_fence_i || av->flush_vma) {
		if (av->flush_fence_i)
			__asm__ __volatile__("fence.i" ::: "memory");
		if (av->flush_vma)
			HFENCE_VVMA();
		av->flush_fence_i = av->flush_vma = false;
	}
	/* hvip is the hart's, not the vCPU's: it carries this vCPU's pending
	 * virtual interrupts in, every entry (other harts change av->hvip
	 * only through requests, acted on by this hart before it runs v). */
	csr_write(hvip, av->hvip);
	vcpu_switch_to(av);
	/* The guest may have cleared its software interrupt through sip,
	 * and (Sstc) moved its own timer without trapping. */
	av->hvip = csr_read(hvip);
	if (cpu_features.sstc) {
		uint64_t t = csr_read(CSR_VSTIMECMP);

		if (t != av->vstimecmp) {
			av->vstimecmp = t;
			vcpu_timer_changed(v, t);
		}
	}
	return trap_handle(v, av);
}

void arch_vcpu_dump(struct vcpu *v)
{
	static const char *const names[32] = {
	    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	const struct arch_vcpu *av = v->arch;
	bool live = loaded[arch_this_hart()] == av;

	hv_log("  pc  %016lx  scause %lx  stval %lx  htval %lx  htinst %lx",
	       (unsigned long)av->sepc, (unsigned long)av->scause, (unsigned long)av->stval,
	       (unsigned long)av->htval, (unsigned long)av->htinst);
	hv_log("  vsstatus %lx  vstvec %lx  vsepc %lx  vscause %lx  vsatp %lx",
	       (unsigned long)(live ? csr_read(vsstatus) : av->vsstatus),
	       (unsigned long)(live ? csr_read(vstvec) : av->vstvec),
	       (unsigned long)(live ? csr_read(vsepc) : av->vsepc),
	       (unsigned long)(live ? csr_read(vscause) : av->vscause),
	       (unsigned long)(live ? csr_read(vsatp) : av->vsatp));
	for (int i = 0; i < 32; i += 4)
		hv_log("  %-4s %016lx  %-4s %016lx  %-4s %016lx  %-4s %016lx", names[i],
		       (unsigned long)av->gpr[i], names[i + 1], (unsigned long)av->gpr[i + 1],
		       names[i + 2], (unsigned long)av->gpr[i + 2], names[i + 3],
		       (unsigned long)av->gpr[i + 3]);
}
