/* amnesia: proves a restart is a clean slate. Boot 0 leaves something behind
 * in every kind of state a run owns, then loads from past its RAM so that
 * septa restarts it (on-fault = restart): markers in .data, .bss and free
 * RAM, a timer due soon, a software interrupt pending (masked), markers in
 * the F registers and fcsr, scounteren and senvcfg changed, the virtual
 * UART's IER, LCR and SCR and the virtual PLIC's priority, enable and
 * threshold written, and a hart_start of vCPU 1 sent just before the fault,
 * so that it is in flight when the restart begins. Boot 1
 * (/chosen/septa,restarts = 1) checks each class and says, one line each:
 *
 *   amnesia: boot 1: CLASS clean
 *   amnesia: boot 1: CLASS SURVIVED (what was found)
 *
 * then "amnesia: boot 1: done". vCPU 1 prints "amnesia: vcpu 1 up, started
 * by boot B" when it runs; the start from boot 0 may come before the fault
 * or never, but it must never run in boot 1. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>

#include "rt.h"

#define MARKER	   0xa11ce5ca9e5ULL
#define LINKED	   0x1234ULL
#define FP_MARKER  0x4e4f54434c45414eULL /* bits no reset leaves in a register */
#define FCSR_MARK  0xe5			 /* frm 7 (dynamic, invalid here), fflags 0x05 */
#define SCOUNTEREN 7			 /* what septa gives a vCPU at start */

/* The virtual UART (byte registers) and PLIC (words), as doc/console.md
 * places them; the UART's interrupt is source 10, vCPU 0's context 1. */
#define UART	      0x10000000UL
#define UART_IER      (UART + 1)
#define UART_LCR      (UART + 3)
#define UART_SCR      (UART + 7)
#define PLIC	      0x0c000000UL
#define PLIC_PRIO_10  (PLIC + 4 * 10)
#define PLIC_ENABLE_1 (PLIC + 0x2000 + 0x80 * 1)
#define PLIC_THRESH_1 (PLIC + 0x200000 + 0x1000 * 1)

#define WAIT_MS 50

const char rt_guest_name[] = "amnesia";

static volatile uint64_t in_data = LINKED;
static volatile uint64_t in_bss;

static uint32_t restarts(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, "septa,restarts", &len) : NULL;

	return p && len == 4 ? fdt32_ld(p) : 0;
}

/* One line per class of state: clean, or what survived. */
static void clean(const char *what, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void clean(const char *what, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("amnesia: boot 1: %s clean\n", what);
		return;
	}
	printf("amnesia: boot 1: %s SURVIVED (", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

static uint8_t rd8(unsigned long a)
{
	return *(volatile uint8_t *)a;
}

static void wr8(unsigned long a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static uint32_t rd32(unsigned long a)
{
	return *(volatile uint32_t *)a;
}

static void wr32(unsigned long a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* The F registers: the marker into all 32 and fcsr, or their OR and fcsr
 * back. Read before any other code of boot 1 could have used them. */
/* clang-format reflows this list differently on every pass. */
/* clang-format off */
#define FREGS(X)                                                             \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)        \
	X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22)    \
	X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)
/* clang-format on */

static void fp_mark(void)
{
#define SET(n) __asm__ volatile("fmv.d.x f" #n ", %0" : : "r"(FP_MARKER));
	FREGS(SET)
#undef SET
	__asm__ volatile("fscsr %0" : : "r"(FCSR_MARK));
}

static uint64_t fp_or(unsigned long *fcsr)
{
	uint64_t all = 0, v;

#define GET(n)                                                                                     \
	__asm__ volatile("fmv.x.d %0, f" #n : "=r"(v));                                            \
	all |= v;
	FREGS(GET)
#undef GET
	__asm__ volatile("frcsr %0" : "=r"(*fcsr));
	return all;
}

/* vCPU 1's whole job: say who started it, then stop. */
static void vcpu1(unsigned long hartid, void *arg)
{
	printf("amnesia: vcpu %lu up, started by boot %lu\n", hartid, (unsigned long)arg);
}

static void leave_behind(uint64_t base, uint64_t size, volatile uint64_t *far)
{
	in_data = MARKER;
	in_bss = MARKER;
	*far = MARKER;
	fp_mark();
	csr_write(0x106, 0); /* scounteren */
	csr_write(0x10a, 1); /* senvcfg.FIOM */
	wr8(UART_IER, 0x05); /* ERBFI | ELSI: no interrupt without input */
	wr8(UART_LCR, 0x1b); /* 8 data bits, even parity; DLAB clear */
	wr8(UART_SCR, 0x5a);
	wr32(PLIC_PRIO_10, 5);
	wr32(PLIC_ENABLE_1, 1u << 10);
	wr32(PLIC_THRESH_1, 3);
	rt_irq_disable();
	sbi_set_timer(rt_time() + rt_ms_to_time(10));
	csr_set(sip, SIP_SSIP);
	printf("amnesia: boot 0: markers left in memory, timer, ipi, fp, csrs, uart, plic; "
	       "starting vcpu 1, now faulting\n");
	fflush(stdout);
	long rc = rt_hart_start(1, vcpu1, (void *)0);
	(void)*(volatile uint64_t *)(uintptr_t)(base + size);
	printf("amnesia: the load past my RAM went through (hart_start: %ld)\n", rc);
}

/* Boot 1's probe for interrupts left armed: while it is the trap vector,
 * each interrupt taken is counted by cause and its enable bit cleared, so
 * it is taken once. */
static volatile unsigned long timer_irqs, soft_irqs, other_traps;

__attribute__((interrupt("supervisor"), aligned(4))) static void probe_trap(void)
{
	unsigned long cause = csr_read(scause);

	if (cause == (SCAUSE_INTR | IRQ_S_TIMER)) {
		timer_irqs++;
		csr_clear(sie, SIE_STIE);
	} else if (cause == (SCAUSE_INTR | IRQ_S_SOFT)) {
		soft_irqs++;
		csr_clear(sie, SIE_SSIE);
	} else {
		other_traps = cause;
		csr_write(sie, 0);
		csr_clear(sstatus, SSTATUS_SIE << 4); /* SPIE: return masked */
	}
}

static void check(volatile uint64_t *far)
{
	unsigned long fcsr;
	uint64_t fp = fp_or(&fcsr);

	clean("fp", !fp && !fcsr, "f registers OR 0x%lx, fcsr 0x%lx", (unsigned long)fp, fcsr);
	clean("memory", in_data == LINKED && !in_bss && !*far,
	      ".data 0x%lx, .bss 0x%lx, 0x%lx holds 0x%lx", (unsigned long)in_data,
	      (unsigned long)in_bss, (unsigned long)(uintptr_t)far, (unsigned long)*far);
	unsigned long cnt = csr_read(0x106), env = csr_read(0x10a);
	clean("csrs", cnt == SCOUNTEREN && !env, "scounteren 0x%lx, senvcfg 0x%lx", cnt, env);
	unsigned ier = rd8(UART_IER), lcr = rd8(UART_LCR), scr = rd8(UART_SCR);
	clean("uart", !ier && !lcr && !scr, "IER 0x%x, LCR 0x%x, SCR 0x%x", ier, lcr, scr);
	uint32_t prio = rd32(PLIC_PRIO_10), en = rd32(PLIC_ENABLE_1), th = rd32(PLIC_THRESH_1);
	clean("plic", !prio && !en && !th, "priority 0x%x, enable 0x%x, threshold 0x%x", prio, en,
	      th);

	/* sip.SSIP reads back; STIP does not (QEMU 7.2 masks it in a VS-mode
	 * read), so a timer left armed shows only by being taken. */
	unsigned long sip = csr_read(sip), stvec = csr_read(stvec);
	csr_write(stvec, (unsigned long)probe_trap);
	csr_set(sie, SIE_STIE | SIE_SSIE);
	rt_irq_enable();
	uint64_t end = rt_time() + rt_ms_to_time(WAIT_MS);
	while (rt_time() < end)
		;
	rt_irq_disable();
	csr_clear(sie, SIE_STIE | SIE_SSIE);
	csr_write(stvec, stvec);
	clean("timer", !timer_irqs, "%lu timer interrupt(s) in %d ms", timer_irqs, WAIT_MS);
	clean("ipi", !(sip & SIP_SSIP) && !soft_irqs, "sip 0x%lx, %lu taken", sip, soft_irqs);
	if (other_traps)
		printf("amnesia: boot 1: unexpected trap 0x%lx while waiting\n", other_traps);

	/* vCPU 1: stopped now, and for WAIT_MS more. */
	long st = rt_hart_status(1), worst = st;
	end = rt_time() + rt_ms_to_time(WAIT_MS);
	while (rt_time() < end && worst == SBI_HSM_STOPPED) {
		rt_nap_us(1000);
		worst = rt_hart_status(1);
	}
	clean("hart-start", st == SBI_HSM_STOPPED && worst == SBI_HSM_STOPPED,
	      "vcpu 1 status %ld, then %ld", st, worst);
}

int main(unsigned long hartid, const void *fdt)
{
	uint64_t base, size;
	uint32_t boot = restarts(fdt);

	(void)hartid;
	if (rt_fdt_memory(fdt, &base, &size) || rt_timer_init(fdt))
		return 1;
	/* Below the device tree, which septa puts at the top of RAM. */
	volatile uint64_t *far = (volatile uint64_t *)(uintptr_t)(base + size / 2);

	if (boot == 0) {
		leave_behind(base, size, far);
		return 1;
	}
	check(far);
	printf("amnesia: boot %u: done\n", boot);
	return 0;
}
