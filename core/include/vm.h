/* A VM: one guest partition from the config tables, its memory, its
 * console and emulated devices, and its life (run, stop, restart). */
#ifndef SEPTA_VM_H
#define SEPTA_VM_H

#include "cfg_table.h"
#include "conbuf.h"
#include "hv.h"
#include "ratelimit.h"
#include "spinlock.h"
#include "vcpu.h"
#include "vplic.h"
#include "vuart.h"

enum vm_state {
	VM_RUNNING,
	VM_STOPPED,
	VM_RESTARTING, /* its vCPUs are leaving; the last one out reloads it */
	VM_LOADING,    /* being reloaded */
};

#define VM_INQ 256 /* typed bytes waiting for the guest to take them */

/* The guest's side of the console: its line being assembled, its share of
 * the output, and what was typed for it. */
struct vm_console {
	spinlock_t lock;
	struct conbuf line;
	uint64_t last_byte;	/* when the last byte went into line */
	uint64_t last_byte_run; /* vm_run_ticks() then */
	struct ratelimit rl;
	uint64_t silenced; /* bytes dropped by console = none */
	uint8_t inq[VM_INQ];
	unsigned inq_head, inq_count;
};

/* The devices septa emulates for a guest: a 16550 where the board has its
 * console, and a PLIC that carries the UART's interrupt, the lines of the
 * board devices granted to it and its channels' doorbells. */
struct vm_devices {
	spinlock_t lock;
	struct vuart uart;
	struct vplic plic;
	uint32_t irq_out;    /* bit i: vCPU i was last told its line is up */
	uint32_t hw_claimed; /* passed-through sources claimed on the board's PLIC */
};

struct vm {
	const struct cfg_guest *cfg;
	unsigned id;		  /* index in the config; the VMID is id + 1 */
	int state;		  /* enum vm_state; written by any hart */
	int active;		  /* vCPUs that are not STOPPED; atomic */
	unsigned restarts;	  /* in all; the guest reads it in its device tree */
	unsigned reboots;	  /* of those, asked for by the guest (SBI reboot) */
	unsigned run;		  /* which run this is: 0 at boot, one more each reload */
	unsigned recent_restarts; /* since restart-window last reset it */
	uint64_t restart_at;	  /* host time before which vCPU 0 must not start */
	void *arch;		  /* the arch layer's per-VM state (its G-stage table) */
	uint64_t time_base;	  /* host time at its start: its own time runs from 0 */
	int load_request;	  /* a reload is wanted; atomic, set by any hart */
	bool load_busy;		  /* vCPU 0's hart is zeroing RAM from load_pos */
	uint64_t load_pos;
	uint64_t load_ticks;	  /* hart time of the reload under way, so far */
	uint64_t last_load_ticks; /* of the last reload that finished */
	struct vm_console con;
	struct vm_devices dev;
	unsigned nvcpus;
	struct vcpu vcpus[CFG_MAX_VCPUS];
};

extern struct vm vms[CFG_MAX_GUESTS];
extern unsigned nvms;

/* Builds every VM from the config tables: memory loaded, vCPU 0 runnable. */
void vm_init_all(void);
/* Stops a VM (its vCPUs stop at their next trap); why is printed in one
 * line. When a guest's own action stopped the last running VM, the machine
 * powers off. */
void vm_stop(struct vm *vm, const char *why);
/* Stops it from the monitor: never powers the machine off. */
void vm_stop_keep_machine(struct vm *vm, const char *why);
/* Reloads its image into zeroed RAM and starts vCPU 0 again after delay_us;
 * counts as a restart. */
void vm_restart(struct vm *vm, uint64_t delay_us, const char *why);
/* The guest asked for a reboot (SBI SRST): a restart at once that does not
 * count towards its restart-limit. */
void vm_reboot(struct vm *vm, const char *why);
/* A guest fault, described in one line: report it (with a register dump if
 * the config asks) and apply the guest's on-fault policy. */
void vm_fault(struct vcpu *v, const char *what);
/* A vCPU of vm went from STOPPED to running or back (the scheduler's count
 * of who is still in). */
void vm_vcpu_up(struct vm *vm);
void vm_vcpu_down(struct vm *vm);
/* A guest-physical range of this VM's RAM as a hypervisor pointer, or NULL
 * when any byte of it is not the guest's own RAM. */
void *vm_gpa_to_ptr(const struct vm *vm, uint64_t gpa, uint64_t len);
/* memset(p, 0, len), eight bytes a store. */
void vm_mem_zero(void *p, size_t len);
/* A reload waits on vCPU 0's hart: the scheduler gives it turns. Inline:
 * the scheduler asks on every pass. */
static inline bool vm_load_wanted(struct vm *vm)
{
	return vm->load_busy || __atomic_load_n(&vm->load_request, __ATOMIC_ACQUIRE);
}
/* Does the next part of a reload, stopping at host time `until` (between
 * chunks) unless it is done first. Only vCPU 0's hart calls it. */
void vm_load_continue(struct vm *vm, uint64_t until);
/* Inline: the scheduler asks for every vCPU on every pass. */
static inline bool vm_running(const struct vm *vm)
{
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING;
}
/* Ticks its vCPUs have spent in the guest, counting stints still going on. */
uint64_t vm_run_ticks(const struct vm *vm, uint64_t now);
/* Whether any of its vCPUs is on a run queue (running or waiting its turn). */
bool vm_runnable(const struct vm *vm);
struct vm *vm_by_name(const char *name);
const char *vm_state_name(const struct vm *vm);

#endif
