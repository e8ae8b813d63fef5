/* mallory's attacks on the hart: hypervisor and machine CSRs, hypervisor
 * fences and loads, a WFI storm, interrupts masked for many slices, and
 * misaligned accesses. */
#include <stdio.h>

#include "mallory.h"
#include "rt.h"

/* CSR numbers as immediates: one asm per CSR, chosen by the step's arg.
 * From VS-mode, hypervisor CSRs are virtual instructions and machine CSRs
 * illegal instructions. Either way the access must not happen, and our own
 * kernel (the runtime's trap handler) must get an illegal instruction, as
 * on a hart without the H extension: that is containment. */
#define CSR_HSTATUS    0x600
#define CSR_HGATP      0x680
#define CSR_HVIP       0x645
#define CSR_HTIMEDELTA 0x605
#define CSR_MSTATUS    0x300
#define CSR_MTVEC      0x305
#define CSR_PMPADDR0   0x3b0
#define CSR_MHARTID    0xf14

/* Bit 63 of arg: write instead of read. */
#define CSR_WRITE (1UL << 63)

#define EXC_ILLEGAL_INST 2

/* Ends rt_catch_begin(): contained if our handler got an illegal
 * instruction for it, a breach if the instruction simply ran. */
static void expect_illegal(unsigned n, const char *name, unsigned long v)
{
	unsigned long tval, epc;
	long cause = rt_catch_end(&tval, &epc);

	if (cause == EXC_ILLEGAL_INST)
		say_contained(n, name,
			      "our kernel got an illegal instruction at 0x%lx, stval 0x%lx", epc,
			      tval);
	else if (cause < 0)
		say_breach(n, name, "it ran in VS-mode (0x%lx)", v);
	else
		say_breach(n, name, "our kernel got exception %ld, not an illegal instruction",
			   cause);
}

static void csr_access(unsigned n, const struct step *s, const struct target *t)
{
	unsigned csr = (unsigned)(s->arg & 0xfff);
	int write = (s->arg & CSR_WRITE) != 0;
	unsigned long v = 0;

	(void)t;
	say_attempt(n, s->name, "%s CSR 0x%x from VS-mode", write ? "write" : "read", csr);
	rt_catch_begin();
	switch (s->arg) {
	case CSR_HSTATUS:
		__asm__ volatile("csrr %0, 0x600" : "=r"(v));
		break;
	case CSR_HGATP | CSR_WRITE:
		/* Bare mode: if it stuck, we would see all of host memory. */
		__asm__ volatile("csrw 0x680, zero" ::: "memory");
		break;
	case CSR_HVIP | CSR_WRITE:
		__asm__ volatile("csrw 0x645, %0" : : "r"(0x444UL));
		break;
	case CSR_HTIMEDELTA | CSR_WRITE:
		__asm__ volatile("csrw 0x605, %0" : : "r"(-1UL));
		break;
	case CSR_MSTATUS:
		__asm__ volatile("csrr %0, 0x300" : "=r"(v));
		break;
	case CSR_MTVEC | CSR_WRITE:
		__asm__ volatile("csrw 0x305, %0" : : "r"(0x80000000UL));
		break;
	case CSR_PMPADDR0 | CSR_WRITE:
		/* NAPOT all of memory, if pmpcfg0 then said RWX. */
		__asm__ volatile("csrw 0x3b0, %0" : : "r"(-1UL));
		break;
	case CSR_MHARTID:
		__asm__ volatile("csrr %0, 0xf14" : "=r"(v));
		break;
	default:
		rt_catch_end(NULL, NULL);
		say_contained(n, s->name, "no such CSR step");
		return;
	}
	expect_illegal(n, s->name, v);
}

/* The H extension's own instructions: virtual instructions from VS, to be
 * seen by our kernel as illegal instructions. */
static void h_insn(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long v = 0;

	say_attempt(n, s->name, "%s from VS-mode", s->name);
	rt_catch_begin();
	switch (s->arg) {
	case 0:
		__asm__ volatile(".option push\n.option arch, +h\nhfence.gvma\n.option pop" ::
				     : "memory");
		break;
	case 1:
		__asm__ volatile(".option push\n.option arch, +h\nhfence.vvma\n.option pop" ::
				     : "memory");
		break;
	default:
		/* HLV.D: a load "as the guest" - from a guest, it must trap. */
		__asm__ volatile(".option push\n.option arch, +h\nhlv.d %0, (%1)\n.option pop"
				 : "=r"(v)
				 : "r"(t->ram_base)
				 : "memory");
		break;
	}
	expect_illegal(n, s->name, v);
}

/* sfence.vma is ours to use in any form: with addresses and ASIDs that mean
 * nothing it must just return. */
static void sfence_bogus(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	__asm__ volatile("sfence.vma %0, %1"
			 :
			 : "r"(0xdead000000000000UL), "r"(0xffffUL)
			 : "memory");
	__asm__ volatile("sfence.vma %0, zero" : : "r"(0x100000000UL) : "memory");
	__asm__ volatile("sfence.vma zero, %0" : : "r"(-1UL) : "memory");
	say_contained(n, s->name, "three sfence.vma with bogus address and ASID returned");
}

#define WFI_STORM 5000

/* Thousands of wfi: the first waits for a timer 20 ms away; the rest find
 * the timer interrupt still pending (masked by sstatus.SIE) and return at
 * once, each a trap to septa. The hart must not hang and must stay ours to
 * share. */
static void wfi_storm(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	uint64_t t0 = rt_time();

	rt_irq_disable();
	sbi_set_timer(t0 + rt_ms_to_time(20));
	csr_set(sie, SIE_STIE);
	for (int i = 0; i < WFI_STORM; i++)
		rt_wfi();
	uint64_t us = rt_time_to_us(rt_time() - t0);
	sbi_set_timer(UINT64_MAX);
	csr_clear(sie, SIE_STIE);
	say_contained(n, s->name, "%d wfi returned after %lu us", WFI_STORM, (unsigned long)us);
}

/* Interrupts masked, no trap of our own, for arg ms: only septa's timer can
 * take the hart back; the ticker beside us shows whether it did. */
static void masked_spin(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	uint64_t end = rt_time() + rt_ms_to_time(s->arg);
	unsigned long spins = 0;

	rt_irq_disable();
	while (rt_time() < end)
		spins++;
	say_contained(n, s->name, "spun %lu ms with interrupts masked (%lu reads of time)",
		      (unsigned long)s->arg, spins);
}

static uint64_t scratch[4];

/* Misaligned accesses are not delegated to us: either the hart does them
 * (QEMU does, in hardware) or septa gets the trap and restarts us. Neither
 * is a breach; the line says which happened. */
static void misaligned(unsigned n, const struct step *s, const struct target *t)
{
	uint64_t a = (uint64_t)(uintptr_t)scratch + 3, v;

	(void)t;
	say_attempt(n, s->name, "misaligned sd/ld at 0x%lx", (unsigned long)a);
	__asm__ volatile("sd %1, 0(%2)\n\tld %0, 0(%2)"
			 : "=&r"(v)
			 : "r"(0x0123456789abcdefUL), "r"(a)
			 : "memory");
	say_contained(n, s->name, "done by the hart: read back 0x%lx", (unsigned long)v);
}

const struct step cpu_steps[] = {
    {"csr-read-hstatus", STEP_CONTAINED, csr_access, CSR_HSTATUS},
    {"csr-write-hgatp", STEP_CONTAINED, csr_access, CSR_HGATP | CSR_WRITE},
    {"csr-write-hvip", STEP_CONTAINED, csr_access, CSR_HVIP | CSR_WRITE},
    {"csr-write-htimedelta", STEP_CONTAINED, csr_access, CSR_HTIMEDELTA | CSR_WRITE},
    {"csr-read-mstatus", STEP_CONTAINED, csr_access, CSR_MSTATUS},
    {"csr-write-mtvec", STEP_CONTAINED, csr_access, CSR_MTVEC | CSR_WRITE},
    {"csr-write-pmpaddr0", STEP_CONTAINED, csr_access, CSR_PMPADDR0 | CSR_WRITE},
    {"csr-read-mhartid", STEP_CONTAINED, csr_access, CSR_MHARTID},
    {"hfence.gvma", STEP_CONTAINED, h_insn, 0},
    {"hfence.vvma", STEP_CONTAINED, h_insn, 1},
    {"hlv.d", STEP_CONTAINED, h_insn, 2},
    {"sfence.vma-bogus", STEP_CONTAINED, sfence_bogus, 0},
    {"wfi-storm", STEP_CONTAINED, wfi_storm, 0},
    {"irqs-masked-50ms", STEP_CONTAINED, masked_spin, 50},
};
const unsigned n_cpu_steps = sizeof(cpu_steps) / sizeof(cpu_steps[0]);

const struct step last_steps[] = {
    {"misaligned", STEP_MAY_FAULT, misaligned, 0},
};
const unsigned n_last_steps = sizeof(last_steps) / sizeof(last_steps[0]);
