/* Hooks between the runtime's own files; guests do not use these. */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

/* Probes DBCN so whole lines go out in one SBI call when it exists. */
void rt_console_init(void);

/* Ends the calling hart's half-written line, so a fatal report starts on a
 * line of its own. */
void rt_console_newline(void);

/* The trap vector (stvec, direct mode). */
void rt_trap(void);

/* Called by rt_trap on a supervisor timer interrupt. */
void rt_timer_irq(void);

/* Called by rt_trap on a supervisor software interrupt (an IPI). */
void rt_ipi_irq(void);

/* Called by rt_trap on a supervisor external interrupt; 0 when no
 * handler is set, so the trap is reported like any unexpected one. */
int rt_ext_irq(void);

/* What every hart does before running guest code: the FPU on (hard-float
 * builds only), the trap vector installed. */
void rt_hart_init(void);

/* First C code of the boot hart(s), called from _start in start.S. */
void rt_boot(unsigned long hartid, const void *fdt) __attribute__((noreturn));

/* Entry that rt_hart_start hands to SBI HSM (start.S), and the C code it
 * calls with the opaque word of hart_start. */
void rt_hart_entry(void);
void rt_hart_boot(unsigned long hartid, unsigned long opaque) __attribute__((noreturn));

#endif
