/* Hart bring-up: feature probe, per-hart CSR set-up, starting the other
 * harts, idling, powering off, and what happens if the hypervisor traps. */
#include "cpu.h"

#include <libfdt.h>
#include <string.h>

#include "arch_hooks.h"
#include "core_services.h"
#include "csr.h"
#include "hart_layout.h"
#include "sbi.h"
#include "sbi_spec.h"

struct cpu_features cpu_features;
static __thread unsigned this_hartid;

extern char __tdata_start[], __tdata_end[], __tls_size[];
extern void _secondary_start(void);
extern void hv_trap_vector(void);

/* Runs before any C that touches TLS: fill this hart's block (at tp). */
void arch_tls_init(void)
{
	char *tp;

	__asm__ __volatile__("mv %0, tp" : "=r"(tp));
	size_t data = (size_t)(__tdata_end - __tdata_start);
	memcpy(tp, __tdata_start, data);
	memset(tp + data, 0, (size_t)(uintptr_t)__tls_size - data);
}

int arch_cpu_probe(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/cpus/cpu@0");
	const char *isa = node >= 0 ? fdt_getprop(fdt, node, "riscv,isa", NULL) : NULL;

	if (!isa) {
		hv_log("no riscv,isa for /cpus/cpu@0 in the device tree");
		return HV_EINVAL;
	}
	if (!isa_has_letter(isa, 'h')) {
		hv_log("the harts have no H extension (riscv,isa = %s); run QEMU with "
		       "-cpu rv64,h=true",
		       isa);
		return HV_ENOTSUP;
	}
	cpu_features.sstc = isa_has_ext(isa, "sstc");
	cpu_features.fpu = isa_has_letter(isa, 'f') && isa_has_letter(isa, 'd');

	/* VMIDLEN: write ones to the field and see which stick (priv spec 8.2.18). */
	csr_write(hgatp, HGATP_VMID_MASK);
	cpu_features.vmid_bits = (unsigned)__builtin_popcountl(csr_read(hgatp) & HGATP_VMID_MASK);
	csr_write(hgatp, 0);

	hv_log("hart features: H, %s; %u VMID bits%s",
	       cpu_features.sstc ? "Sstc (hypervisor timer on stimecmp)"
				 : "no Sstc (hypervisor timer through SBI)",
	       cpu_features.vmid_bits, cpu_features.fpu ? "; FPU for guests" : "");
	return 0;
}

void arch_hart_init(unsigned hartid)
{
	this_hartid = hartid;
	csr_write(stvec, (unsigned long)hv_trap_vector);
	csr_write(sscratch, 0);

	/* Exceptions the guest's own kernel handles, as it would on a hart of
	 * its own: misaligned fetch, illegal instruction, breakpoint,
	 * misaligned load and store (when the hart raises them at all), ecall
	 * from VU, and its own (VS-stage) page faults. Access faults stay
	 * here: they mean the host-physical side refused an access, which
	 * only septa can judge. Guest-page faults, virtual instructions and
	 * ecalls from VS cannot be delegated (H extension). */
	csr_write(hedeleg, (1UL << EXC_INST_MISALIGNED) | (1UL << EXC_ILLEGAL_INST) |
			       (1UL << EXC_BREAKPOINT) | (1UL << EXC_LOAD_MISALIGNED) |
			       (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_ECALL_U) |
			       (1UL << EXC_INST_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) |
			       (1UL << EXC_STORE_PAGE_FAULT));
	/* The guest's own interrupts go straight to it. */
	csr_write(hideleg, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP);
	csr_write(hvip, 0);
	/* Let guests read time, cycle and instret. */
	csr_write(hcounteren, 7);
	csr_write(htimedelta, 0);
	/* With Sstc the guest owns vstimecmp: it sets its timer without
	 * trapping, and we swap the CSR with the vCPU. */
	csr_write(henvcfg, cpu_features.sstc ? HENVCFG_STCE : 0);
	/* Our own timer interrupt; it fires while a guest runs (V=1 enables
	 * HS interrupts regardless of sstatus.SIE), and we never take it in
	 * HS-mode because SIE stays 0 there. The external interrupt likewise:
	 * the board lines of granted devices (core/irqpass.c). */
	csr_write(sie, MIP_STIP | MIP_SSIP | MIP_SEIP);
	csr_clear(sstatus, SSTATUS_SIE);
	/* This hart may not have seen the G-stage tables built by the boot
	 * hart: drop any stale guest translations. */
	__asm__ __volatile__(".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::
				 : "memory");
}

unsigned arch_this_hart(void)
{
	return this_hartid;
}

void arch_hart_kick(unsigned hartid)
{
	sbi_send_ipi(1UL << hartid, 0);
}

/* entry.S: harts that came in at the boot entry too, and their go signal. */
extern uint64_t entry_early_harts;
extern uint32_t entry_go;

/* A hart the firmware already sent to the boot entry (entry.S) is running
 * and waiting there: the start fails with "already available", and it
 * joins on the go signal. Give it a moment to say so. */
static bool came_in_early(unsigned hartid)
{
	uint64_t end = csr_read(time) + 10000 * sched_ticks_per_us; /* 10 ms */

	do {
		if (__atomic_load_n(&entry_early_harts, __ATOMIC_ACQUIRE) & (1UL << hartid))
			return true;
	} while (csr_read(time) < end);
	return false;
}

int arch_hart_start(unsigned hartid)
{
	__atomic_store_n(&entry_go, 1, __ATOMIC_RELEASE);
	int rc = sbi_hart_start(hartid, (unsigned long)_secondary_start, 0);

	if (rc == SBI_ERR_ALREADY_AVAILABLE && came_in_early(hartid)) {
		hv_log("hart %u came in at the boot entry too (a firmware race); it joins now",
		       hartid);
		return 0;
	}
	return rc ? HV_EINVAL : 0;
}

void arch_hart_idle(void)
{
	/* sstatus.SIE is 0: wfi returns on a pending enabled interrupt
	 * without taking it, and the scheduler loop looks at the timer. A
	 * board line is claimed here, so the loop sees the request it left. */
	__asm__ __volatile__("wfi" ::: "memory");
	if (csr_read(sip) & MIP_SEIP)
		irqpass_host_irq(this_hartid);
}

void arch_machine_off(bool failure)
{
	sbi_system_reset(SBI_SRST_SHUTDOWN,
			 failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	for (;;)
		__asm__ __volatile__("wfi");
}

/* The hypervisor itself trapped: always a bug. */
void arch_hs_trap(void)
{
	panic("hypervisor trap on hart %u: scause 0x%lx sepc 0x%lx stval 0x%lx", this_hartid,
	      csr_read(scause), csr_read(sepc), csr_read(stval));
}
