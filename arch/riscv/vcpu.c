/* The RISC-V side of a vCPU: reset state, switching VS-level CSRs when
 * another vCPU takes the hart, and one trip into the guest. */
#include "arch_vcpu.h"

#include <stddef.h>
#include <string.h>

#include "arch_hooks.h"
#include "arch_vm.h"
#include "cpu.h"
#include "csr.h"
#include "hart_layout.h"
#include "trap.h"
#include "vm.h"

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
_Static_assert(offsetof(struct arch_vcpu, htinst) == AV_HTINST, "switch.S offsets");

static struct arch_vcpu arch_vcpus[CFG_MAX_GUESTS * CFG_MAX_VCPUS];
/* The vCPU whose VS CSRs are live on each hart. */
static struct arch_vcpu *loaded[HART_MAX];

void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	struct arch_vcpu *av = &arch_vcpus[v->vm->id * CFG_MAX_VCPUS + v->id];
	const struct arch_vm *avm = v->vm->arch;

	memset(av, 0, sizeof(*av));
	av->vcpu = v;
	av->sepc = pc;
	av->gpr[REG_A0] = a0;
	av->gpr[REG_A1] = a1;
	/* sret goes to VS-mode (SPV, SPP) in supervisor privilege; HLV/HLVX
	 * from the hypervisor act as VS (SPVP); WFI traps (VTW). SPIE stays 0
	 * so the hypervisor never runs with interrupts enabled. */
	av->sstatus = SSTATUS_SPP;
	av->hstatus = HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW | HSTATUS_VSXL_64;
	av->hgatp = avm->hgatp;
	v->arch = av;
}

void arch_vcpu_set_timer_irq(struct vcpu *v, bool pending)
{
	struct arch_vcpu *av = v->arch;

	if (pending)
		av->hvip |= MIP_VSTIP;
	else
		av->hvip &= ~MIP_VSTIP;
}

static void vs_save(struct arch_vcpu *av)
{
	av->vsstatus = csr_read(vsstatus);
	av->vsie = csr_read(vsie);
	av->vstvec = csr_read(vstvec);
	av->vsscratch = csr_read(vsscratch);
	av->vsepc = csr_read(vsepc);
	av->vscause = csr_read(vscause);
	av->vstval = csr_read(vstval);
	av->vsatp = csr_read(vsatp);
}

static void vs_restore(const struct arch_vcpu *av)
{
	csr_write(vsstatus, av->vsstatus);
	csr_write(vsie, av->vsie);
	csr_write(vstvec, av->vstvec);
	csr_write(vsscratch, av->vsscratch);
	csr_write(vsepc, av->vsepc);
	csr_write(vscause, av->vscause);
	csr_write(vstval, av->vstval);
	csr_write(vsatp, av->vsatp);
	csr_write(hgatp, av->hgatp);
	/* With no VMIDs every guest shares tag 0: flush on each change. */
	if (cpu_features.vmid_bits == 0)
		__asm__ __volatile__(".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::
					 : "memory");
}

enum vcpu_exit arch_vcpu_run(struct vcpu *v)
{
	struct arch_vcpu *av = v->arch;
	unsigned hart = cpu_hartid();

	if (loaded[hart] != av) {
		if (loaded[hart])
			vs_save(loaded[hart]);
		vs_restore(av);
		loaded[hart] = av;
	}
	csr_write(hvip, av->hvip);
	vcpu_switch_to(av);
	/* The guest may have cleared its software interrupt through sip. */
	av->hvip = csr_read(hvip);
	return trap_handle(v, av);
}
