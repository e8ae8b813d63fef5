/* Every hook the arch-independent core may call. The core includes no CSR
 * header and no assembly; `make check` greps to keep it so. */
#ifndef SEPTA_ARCH_HOOKS_H
#define SEPTA_ARCH_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/* Boot: check the hart can host guests (H extension) and pick optional
 * features; returns 0 or prints why not and returns an error. */
int arch_cpu_probe(const void *fdt);
/* Per-hart set-up of trap vector, delegation and counters. */
void arch_hart_init(unsigned hartid);
/* Start another physical hart at the secondary entry. */
int arch_hart_start(unsigned hartid);
/* Make another hart look at its vCPUs' requests soon (an IPI). */
void arch_hart_kick(unsigned hartid);
/* The physical hart this code runs on. */
unsigned arch_this_hart(void);
/* Wait for an interrupt with interrupts masked (returns when one is pending). */
void arch_hart_idle(void);
/* Power the machine off; failure = true reports a system failure. */
void arch_machine_off(bool failure) __attribute__((noreturn));

/* Time: the platform timebase counter, and the hart's one hypervisor timer. */
uint64_t arch_time_now(void);
void arch_timer_program(uint64_t deadline);

/* A VM's address space: build its G-stage table over [gpa, gpa+size) ->
 * [hpa, ...). */
int arch_vm_init(struct vm *vm);

/* A vCPU's register state: reset to enter at pc with a0, a1. */
void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1);
/* Only redirect it: pc, a0, a1, supervisor mode, translation off;
 * pending interrupts stay. */
void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1);
/* The guest set its timer (in its own time): clear its timer interrupt and,
 * where the hardware compares for us (Sstc), load the deadline. Called on
 * the vCPU's hart. */
void arch_vcpu_timer_set(struct vcpu *v, uint64_t guest_deadline);
/* Its deadline passed: raise its timer interrupt. */
void arch_vcpu_timer_fire(struct vcpu *v);
/* Raise its supervisor software interrupt (an SBI IPI arrived). */
void arch_vcpu_raise_ipi(struct vcpu *v);
/* Print its registers (hv_log lines), after a fault. */
void arch_vcpu_dump(struct vcpu *v);
/* Set its virtual external interrupt line (from the virtual PLIC). */
void arch_vcpu_set_ext_irq(struct vcpu *v, bool level);
/* Would the vCPU's WFI end now: an interrupt pending and enabled? */
bool arch_vcpu_irq_pending(struct vcpu *v);
/* The SBI call it made last (and that already returned) failed after all:
 * its result becomes the error for rc (a negative HV_E* code). */
void arch_vcpu_sbi_error(struct vcpu *v, int rc);
/* Flush instruction cache and/or guest TLB before it next runs. */
void arch_vcpu_flush(struct vcpu *v, bool fence_i, bool vma);

/* Why a vCPU came back from the guest; the arch layer has handled what it
 * could (SBI calls, emulation) before returning. */
enum vcpu_exit {
	VCPU_EXIT_HANDLED, /* carry on with the same vCPU */
	VCPU_EXIT_TIMER,   /* the hart's timer fired */
	VCPU_EXIT_WFI,	   /* the guest waits for an interrupt */
	VCPU_EXIT_FAULT,   /* the guest did something fatal; already reported */
	VCPU_EXIT_OTHER,   /* some other host interrupt: just re-schedule */
};
/* Run v on this hart until the next trap, and handle it. */
enum vcpu_exit arch_vcpu_run(struct vcpu *v);

#endif
