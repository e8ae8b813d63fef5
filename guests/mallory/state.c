/* mallory's attacks on state septa must switch, reset or not trust: trap
 * information an earlier trap left behind, CSRs VS-mode reaches directly,
 * device accesses that start in RAM or are misaligned, and a non-retentive
 * suspend that finds an interrupt already pending. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "mallory.h"
#include "rt.h"

#define EXC_ILLEGAL_INST 2
/* scounteren (0x106) and senvcfg (0x10a) are spelled as numbers below:
 * csr_read and csr_write paste the name into the instruction. */
#define SCOUNTEREN_RESET 7UL /* CY, TM, IR: what septa gives a vCPU at start */
#define SENVCFG_FIOM	 1UL

/* QEMU 7.2 writes stval on a wfi's virtual-instruction trap but not on
 * hlv.d's, so right after a trapped wfi stval still holds the wfi. A septa
 * that decodes a virtual instruction from stval takes the hlv.d for a wfi,
 * steps over it and parks us: nothing is caught (BREACH). Decoded from the
 * instruction at sepc, the hlv.d reaches our kernel as an illegal
 * instruction at its own address, with its own bits in stval. The timer is
 * already due (deadline 0) and enabled with sstatus.SIE clear, so the wfi
 * ends at once either way and nothing can hang. */
static void stale_stval_hlv(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long v = 0, at, tval = 0, epc = 0;

	say_attempt(n, s->name, "wfi with a timer interrupt due, then at once hlv.d");
	rt_irq_disable();
	sbi_set_timer(0);
	csr_set(sie, SIE_STIE);
	rt_catch_begin();
	__asm__ volatile(".option push\n.option arch, +h\n.option norvc\n"
			 "wfi\n"
			 "1: hlv.d %0, (%2)\n"
			 ".option pop\n"
			 "lla %1, 1b"
			 : "=&r"(v), "=&r"(at)
			 : "r"(t->ram_base)
			 : "memory");
	long cause = rt_catch_end(&tval, &epc);
	sbi_set_timer(UINT64_MAX);
	csr_clear(sie, SIE_STIE);
	uint32_t insn = *(volatile uint32_t *)at;

	if (cause < 0)
		say_breach(n, s->name, "hlv.d at 0x%lx was skipped as if a wfi (read 0x%lx)", at,
			   v);
	else if (cause != EXC_ILLEGAL_INST || epc != at || tval != insn)
		say_breach(n, s->name,
			   "our kernel got exception %ld at 0x%lx stval 0x%lx; expected 2 at "
			   "0x%lx stval 0x%x",
			   cause, epc, tval, at, insn);
	else
		say_contained(n, s->name, "illegal instruction at the hlv.d (0x%lx), stval 0x%lx",
			      epc, tval);
}

/* What the resume stub (resume.S) records; the C side fills in tp and sp
 * before the call, the stub the rest. Offsets are used by resume.S. */
struct resume_record {
	uint64_t first;	  /* 0: RESUME_FIRST when its first instruction ran */
	uint64_t a0, a1;  /* 8, 16 */
	uint64_t sstatus; /* 24 */
	uint64_t tp, sp;  /* 32, 40: restored by the stub */
};
struct resume_record mallory_resume_rec;
jmp_buf mallory_resume_jb;
void mallory_resume(void);

#define RESUME_FIRST  0x5eed0000UL /* lui t1, 0x5eed0 */
#define RESUME_OPAQUE 0x0bad5eedUL

/* A non-retentive suspend with a software interrupt already pending and
 * enabled in sie (sstatus.SIE clear) resumes at once. It must resume as a
 * fresh start at resume_addr: the stub's first instruction runs, a0 = our
 * hart id, a1 = the opaque word, sstatus.SIE = 0. A septa that only
 * returned from the call would enter at resume_addr + 4 with a0/a1 the SBI
 * return values (BREACH). A timer 100 ms away wakes us if septa missed the
 * pending interrupt, so this cannot hang. */
static void suspend_pending(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long stvec = csr_read(stvec), scratch = csr_read(sscratch);
	struct resume_record *r = &mallory_resume_rec;
	uint64_t t0;

	(void)t;
	say_attempt(n, s->name,
		    "non-retentive hart_suspend with an IPI pending, resume at 0x%lx, opaque 0x%lx",
		    (unsigned long)mallory_resume, RESUME_OPAQUE);
	rt_irq_disable();
	t0 = rt_time();
	memset(r, 0, sizeof(*r));
	__asm__ volatile("mv %0, tp\n\tmv %1, sp" : "=r"(r->tp), "=r"(r->sp));
	csr_set(sie, SIE_SSIE | SIE_STIE);
	csr_set(sip, SIP_SSIP);
	sbi_set_timer(t0 + rt_ms_to_time(100));
	if (!setjmp(mallory_resume_jb)) {
		struct sbiret ret = sbi_hart_suspend(SBI_HSM_SUSPEND_NON_RETENTIVE,
						     (unsigned long)mallory_resume, RESUME_OPAQUE);
		/* The stub and longjmp did not run: put things back, then say. */
		csr_clear(sip, SIP_SSIP);
		csr_clear(sie, SIE_SSIE | SIE_STIE);
		sbi_set_timer(UINT64_MAX);
		say_breach(n, s->name, "hart_suspend returned to its caller: error %ld value %ld",
			   ret.error, ret.value);
		return;
	}
	/* Back from the stub: the runtime keeps our hart id in sscratch, and a
	 * fresh start owes us no trap vector. */
	csr_write(sscratch, scratch);
	csr_write(stvec, stvec);
	csr_clear(sip, SIP_SSIP);
	csr_clear(sie, SIE_SSIE | SIE_STIE);
	sbi_set_timer(UINT64_MAX);
	unsigned long us = (unsigned long)rt_time_to_us(rt_time() - t0);

	if (r->first != RESUME_FIRST || r->a0 != scratch || r->a1 != RESUME_OPAQUE ||
	    (r->sstatus & SSTATUS_SIE))
		say_breach(n, s->name,
			   "resumed with first instruction %s, a0 0x%lx, a1 0x%lx, sstatus 0x%lx "
			   "after %lu us",
			   r->first == RESUME_FIRST ? "run" : "SKIPPED", (unsigned long)r->a0,
			   (unsigned long)r->a1, (unsigned long)r->sstatus, us);
	else
		say_contained(n, s->name,
			      "resumed at resume_addr after %lu us with a0 = hart %lu, a1 = 0x%lx, "
			      "SIE clear",
			      us, (unsigned long)r->a0, (unsigned long)r->a1);
}

/* scounteren and senvcfg have no VS copies: while we run they are the
 * hart's own. Left changed by the boot that faults, they must read as a
 * fresh vCPU's (7 and 0) in the next one; a septa that neither switches nor
 * resets them hands them on (csr-reset-after-restart reports the BREACH). */
static void csr_left(unsigned n, const struct step *s, const struct target *t)
{
	uint64_t past = t->ram_base + t->ram_size;

	csr_write(0x106, 0);
	csr_write(0x10a, SENVCFG_FIOM);
	say_attempt(n, s->name,
		    "scounteren = 0 (reads 0x%lx), senvcfg = 1 (reads 0x%lx), then a load from "
		    "guest-physical 0x%lx",
		    csr_read(0x106), csr_read(0x10a), (unsigned long)past);
	uint32_t v = *(volatile uint32_t *)(uintptr_t)past;
	say_breach(n, s->name, "load from 0x%lx returned 0x%x", (unsigned long)past, v);
}

static void csr_reset(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long cnt = csr_read(0x106), env = csr_read(0x10a);

	(void)t;
	if (cnt == SCOUNTEREN_RESET && env == 0)
		say_contained(n, s->name, "scounteren 0x%lx, senvcfg 0x%lx: as reset", cnt, env);
	else
		say_breach(n, s->name, "scounteren 0x%lx, senvcfg 0x%lx survived the restart", cnt,
			   env);
}

const struct step state_steps[] = {
    {"stale-stval-hlv", STEP_CONTAINED, stale_stval_hlv, 0},
    {"misaligned-into-uart", STEP_CONTAINED, misaligned_into_uart, 0},
    {"hsm-suspend-pending", STEP_CONTAINED, suspend_pending, 0},
    {"csr-left-for-restart", STEP_FAULTS, csr_left, 0},
    {"csr-reset-after-restart", STEP_CONTAINED, csr_reset, 0},
};
const unsigned n_state_steps = sizeof(state_steps) / sizeof(state_steps[0]);
