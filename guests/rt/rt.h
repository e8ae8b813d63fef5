/* The guest runtime's interface: what a demo guest defines (main, its name)
 * and what it may call (exit, interrupts, time).  stdio's printf just works. */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdint.h>
#include "csr.h"

/*
 * Every guest defines these two.  main runs on each hart that enters the
 * image, with the MMU off, interrupts masked and .bss cleared; returning from
 * it shuts the machine down.  rt_guest_name prefixes the runtime's own
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

/* The first (base, size) of the device tree's memory node: 0 or a negative
 * libfdt error code. */
int rt_fdt_memory(const void *fdt, uint64_t *base, uint64_t *size);

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

/*
 * One-shot timer: at time >= deadline, fn runs in the trap handler (with
 * interrupts masked).  fn may call rt_timer_arm again; if it does not, the
 * timer is left disarmed.  Arming also enables sie.STIE; interrupts are only
 * taken once the guest calls rt_irq_enable().
 */
typedef void (*rt_timer_fn)(void);
void rt_timer_arm(uint64_t deadline, rt_timer_fn fn);
void rt_timer_cancel(void);

#endif
