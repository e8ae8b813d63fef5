/* Hooks between the runtime's own files; guests do not use these. */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

/* Probes DBCN so whole lines go out in one SBI call when it exists. */
void rt_console_init(void);

/* Ends a half-written line, so a fatal report starts on a line of its own. */
void rt_console_newline(void);

/* The trap vector (stvec, direct mode). */
void rt_trap(void);

/* Called by rt_trap on a supervisor timer interrupt. */
void rt_timer_irq(void);

/* First C code of every hart, called from start.S. */
void rt_boot(unsigned long hartid, const void *fdt) __attribute__((noreturn));

#endif
