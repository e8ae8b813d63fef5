/* The guest runtime's interface: what a demo guest defines (main, its name)
 * and what it may call (exit, interrupts, time, other harts, IPIs).  stdio's
 * printf just works, on any hart. */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"
#include "sbi.h"

/*
 * Every guest defines these two.  main runs on each hart that enters the
 * image at its entry (under SBI HSM: the boot hart only), with the MMU off,
 * interrupts masked and .bss cleared; returning from it shuts the machine
 * down.  rt_guest_name prefixes the runtime's own
 * messages (e.g. "hello: unexpected trap ...").
 */
int main(unsigned long hartid, const void *fdt);
extern const char rt_guest_name[];

/* Flushes the console and shuts the machine down through SBI SRST. */
void rt_exit(void) __attribute__((noreturn));

/* sstatus.SIE: whether interrupts enabled in sie are taken. */
static inline void rt_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void rt_irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

/* Sleeps until an interrupt enabled in sie is pending.  That holds even with
 * sstatus.SIE clear, which is how to wait without missing a wakeup. */
static inline void rt_wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

/* The calling hart's id (the vCPU id under septa); start.S keeps it in
 * sscratch, which nothing else in the guest uses. */
static inline unsigned long rt_hartid(void)
{
	return csr_read(sscratch);
}

/* Turns the F/D unit on (sstatus.FS Off -> Initial) so FP instructions stop
 * trapping; leaves it alone when it is already on.  Hard-float guests get
 * this on every hart before main or a hart function runs. */
static inline void rt_fpu_enable(void)
{
	if ((csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS_OFF)
		csr_set(sstatus, SSTATUS_FS_INITIAL);
}

/* The first (base, size) of the device tree's memory node: 0 or a negative
 * libfdt error code. */
int rt_fdt_memory(const void *fdt, uint64_t *base, uint64_t *size);

/* /chosen/bootargs of the device tree, or "" when there is none. */
const char *rt_bootargs(const void *fdt);

/* Reads /cpus/timebase-frequency.  0 or a negative libfdt error code. */
int rt_timer_init(const void *fdt);

/* The time CSR: ticks of the timebase since an arbitrary origin. */
static inline uint64_t rt_time(void)
{
	return csr_read(time);
}

/* Conversions between milliseconds and time ticks (after rt_timer_init). */
uint64_t rt_ms_to_time(uint64_t ms);
uint64_t rt_time_to_ms(uint64_t ticks);
uint64_t rt_time_to_us(uint64_t ticks);

/*
 * One-shot timer of the calling hart (each hart has its own): at time >=
 * deadline, fn runs in that hart's trap handler (with interrupts masked).
 * fn may call rt_timer_arm again; if it does not, the timer is left disarmed.  Arming also enables
 * sie.STIE; interrupts are only taken once the guest calls rt_irq_enable().
 */
typedef void (*rt_timer_fn)(void);
void rt_timer_arm(uint64_t deadline, rt_timer_fn fn);
void rt_timer_cancel(void);
/* Sleeps in wfi for about us microseconds, on the hart's one timer (so not
 * while another deadline is armed); returns with interrupts masked. A poll
 * loop naps between polls: natively under QEMU's -icount the harts take
 * turns on one host thread, and a hart that spins never hands its turn to
 * the hart it waits for. */
void rt_nap_us(uint64_t us);

/*
 * Other harts (SBI HSM).  rt_hart_start starts the stopped hart hartid
 * running fn(hartid, arg) on its own stack, with interrupts masked and the
 * trap vector installed; when fn returns the hart stops (rt_hart_stop) and
 * may be started again.  Returns 0 or an SBI_ERR_* code (e.g.
 * SBI_ERR_ALREADY_AVAILABLE when the hart runs).  The call returns once the
 * start is requested: the hart is START_PENDING or STARTED by then.
 */
typedef void (*rt_hart_fn)(unsigned long hartid, void *arg);
long rt_hart_start(unsigned long hartid, rt_hart_fn fn, void *arg);

/* The state of hart hartid: SBI_HSM_STARTED, SBI_HSM_STOPPED, ... (>= 0),
 * or a negative SBI_ERR_* code (SBI_ERR_INVALID_PARAM: no such hart). */
long rt_hart_status(unsigned long hartid);

/* Flushes the calling hart's console line and stops the calling hart. */
void rt_hart_stop(void) __attribute__((noreturn));

/*
 * IPIs.  rt_send_ipi raises the supervisor software interrupt of hart hartid
 * (0 or an SBI_ERR_* code).  rt_ipi_handler sets the callback for all harts
 * and enables sie.SSIE on the calling hart: every hart that wants IPIs calls
 * it (fn may be NULL: the IPIs are only counted).  fn runs in the trap
 * handler with interrupts masked, after sip.SSIP is cleared and the hart's
 * count went up; an IPI wakes rt_wfi() like the timer does.  Several IPIs
 * that arrive before the first is taken are taken once.
 */
typedef void (*rt_ipi_fn)(void);
void rt_ipi_handler(rt_ipi_fn fn);
long rt_send_ipi(unsigned long hartid);
/* IPIs the calling hart has taken so far. */
unsigned long rt_ipis_taken(void);
/* Sleeps until the calling hart has taken an IPI after the first `seen`, or
 * *give_up is set; returns the count, with interrupts masked. */
unsigned long rt_wait_ipi(unsigned long seen, const volatile bool *give_up);
/* Sleeps in wfi until *word differs from seen or *give_up is set (both are
 * changed by interrupt handlers); returns *word with interrupts masked. It
 * checks with interrupts masked, so a wakeup between check and wfi is not
 * lost. */
unsigned long rt_wait_change(const volatile unsigned long *word, unsigned long seen,
			     const volatile bool *give_up);

/*
 * The supervisor external interrupt (from a PLIC context of this hart).
 * rt_ext_irq_handler sets the callback for all harts and enables sie.SEIE on
 * the calling hart.  fn runs in the trap handler with interrupts masked and
 * must quiet the source (claim, serve the device, complete), since the
 * interrupt is level-triggered: it is taken again until the line drops.
 * Without a handler an external interrupt is an unexpected trap.
 */
typedef void (*rt_ext_irq_fn)(void);
void rt_ext_irq_handler(rt_ext_irq_fn fn);

/*
 * Catching exceptions, to see which one an instruction raises.  Between
 * rt_catch_begin() and rt_catch_end() on the calling hart, an exception does
 * not end the guest: the trap handler records the first one and steps over
 * the instruction that raised it.  rt_catch_end returns its scause (and its
 * stval in *tval and sepc in *epc, when not NULL), or -1 when none came.
 */
void rt_catch_begin(void);
long rt_catch_end(unsigned long *tval, unsigned long *epc);

#endif
