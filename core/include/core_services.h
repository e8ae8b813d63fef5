/* What arch/ may use of the core, in one place: the other half of the
 * contract arch_hooks.h opens (what the core calls in arch).
 *
 * An arch file includes three core headers and no other: this one,
 * arch_hooks.h (the hooks it implements) and hv.h (error codes, hv_log(),
 * panic(): the vocabulary every layer shares). mk/layers.sh refuses any
 * other include from arch/ (make check), and mk/layer_calls.sh refuses, at
 * link time, a call from arch into a core function or variable that is not
 * declared below. So a new service is one reviewed line here, with its why.
 *
 * The functions below are declared again even where the header that brings
 * a type also declares them: this list, not what happens to be visible, is
 * what arch may call. The build compiles this file against every core
 * header, so a declaration here cannot drift from the core's own. */
#ifndef SEPTA_CORE_SERVICES_H
#define SEPTA_CORE_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv.h"

/* Types arch reads, which come with their whole headers:
 *   cfg_table.h  struct cfg_guest and cfg_machine: arch_vm_init() maps a
 *                guest's RAM, granted devices and channels from them;
 *   vm.h         struct vm and (vcpu.h) struct vcpu: arch keeps its state
 *                behind vm->arch and v->arch, counts v->stats.traps, and
 *                the leaf path writes v->timer_deadline itself; also
 *                CONBUF_LINE, the longest line a fault report may be;
 *   sched.h      struct hart: the MMIO fast path asks sched_quiet() of its
 *                hart;
 *   vdev.h       vdev_uart_reg() and vdev_uart_plain(), inline: the device
 *                path's leaf (mmio_leaf.c), which may call nothing, does
 *                the plain UART register accesses with them, reading
 *                vdev_board (below) for the UART's address.
 * The inline helpers there that arch uses: vcpu_deadline_to_host(). */
#include "cfg_table.h"
#include "sched.h"
#include "vdev.h"
#include "vm.h"

/* The partition tables septa-cfg wrote for this config. */
extern const struct cfg_machine cfg_machine;

/* Boot: entry.S jumps here once the hart has a stack and its TLS block. */
void hv_main(unsigned long hartid, const void *fdt);
void hv_secondary_main(unsigned long hartid);

/* Timebase ticks per microsecond: arch's bounded busy-waits (a hart that
 * came in at the boot entry) are in time, not in loop counts. */
extern uint64_t sched_ticks_per_us;

/* The trap path. A load or store that missed the guest's RAM goes to its
 * emulated devices; what the hypervisor alone can judge (an access outside
 * what the guest owns) is a fault, and the core applies the guest's
 * on-fault policy. */
int vdev_mmio(struct vcpu *v, uint64_t gpa, unsigned width, bool store, uint64_t *val);
extern const struct platform_guest_devices *const vdev_board;
void vm_fault(struct vcpu *v, const char *what);
/* Every guest-physical range a guest hands us (an SBI DBCN buffer, a PTE of
 * its own page table in a software walk) is read through this check. */
void *vm_gpa_to_ptr(const struct vm *vm, uint64_t gpa, uint64_t len);
/* The MMIO fast path skips the scheduler loop only when a pass of it would
 * change nothing: the loop's own rule, asked of the vCPU's hart. */
extern struct hart harts[CFG_MAX_HARTS];
bool sched_quiet(const struct hart *h, const struct vcpu *v);
/* A board line a guest owns fired (in a guest or while the hart idles):
 * claimed and raised in its owner's virtual PLIC. */
void irqpass_host_irq(unsigned hart);
/* With Sstc the guest moves its timer without trapping: after every trap
 * arch tells the core the deadline it read back from vstimecmp. */
void vcpu_timer_changed(struct vcpu *v, uint64_t guest_deadline);

/* SBI calls: decoded in arch/riscv/vsbi_*.c, carried out by the core,
 * which owns vCPUs, VMs, the console and the channels.
 *   TIME, legacy set_timer */
void vcpu_set_timer(struct vcpu *v, uint64_t guest_deadline);
/*   HSM: on the guest's own vCPUs only */
int vcpu_hsm_start(struct vm *vm, unsigned id, uint64_t pc, uint64_t arg);
int vcpu_hsm_stop(struct vcpu *v);
int vcpu_hsm_status(struct vm *vm, unsigned id, int *hsm);
int vcpu_hsm_suspend(struct vcpu *v, bool retentive, uint64_t resume_pc, uint64_t arg);
/*   IPI, RFENCE: targets already checked against the VM (vsbi_hart_mask()) */
void vcpu_send_ipi(struct vm *vm, uint64_t targets);
void vcpu_remote_fence(struct vcpu *caller, uint64_t targets, unsigned req);
/*   SRST: a shutdown stops this guest only, a reboot restarts it */
void vm_stop(struct vm *vm, const char *why);
void vm_reboot(struct vm *vm, const char *why);
/*   DBCN, legacy putchar and getchar: the guest's tagged console lines and
 *   its typed-input queue */
void console_guest_putc(struct vm *vm, char c);
void console_guest_write(struct vm *vm, const char *buf, size_t len);
size_t console_read_input(struct vm *vm, char *buf, size_t len);
/*   the channel doorbell (SEPTA_CHAN_EID): the membership checks are the
 *   core's */
int chan_ring(struct vm *vm, unsigned long channel, unsigned long member);

#endif
