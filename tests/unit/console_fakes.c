/* The hypervisor parts core/console.c and core/monitor.c call, faked for the
 * host tests (see console_fakes.h). core/input.c, conbuf.c and ratelimit.c
 * are linked for real. */
#include "console_fakes.h"

#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "arch_hooks.h"
#include "console.h"
#include "sched.h"
#include "stats.h"
#include "vdev.h"

struct fakes fk;
struct vm vms[CFG_MAX_GUESTS];
unsigned nvms;
uint64_t sched_ticks_per_us = 10;

static struct cfg_guest guests[FAKE_GUESTS] = {
    {.name = "alpha", .color = "32", .hpa_base = 0x80800000, .mem_size = 16 << 20, .nvcpus = 1},
    {.name = "beta",
     .color = "33",
     .hpa_base = 0x81800000,
     .mem_size = 8 << 20,
     .nvcpus = 2,
     .vcpu_hart = {1, 2}},
    {.name = "gamma",
     .hpa_base = 0x82000000,
     .mem_size = 4 << 20,
     .nvcpus = 1,
     .vcpu_hart = {1},
     .console = CFG_CONSOLE_NONE},
};
static char out_copy[sizeof(fk.out) + 1];

static void term_putc(char c)
{
	assert_true(fk.out_len < sizeof(fk.out));
	fk.out[fk.out_len++] = c;
}

static int term_getc(void)
{
	if (!fk.keys_len)
		return -1;
	fk.keys_len--;
	return (unsigned char)*fk.keys++;
}

void fakes_reset(bool color)
{
	memset(&fk, 0, sizeof(fk));
	memset(vms, 0, sizeof(vms));
	nvms = FAKE_GUESTS;
	for (unsigned i = 0; i < FAKE_GUESTS; i++) {
		vms[i].cfg = &guests[i];
		vms[i].id = i;
		vms[i].state = VM_RUNNING;
		console_vm_init(&vms[i]);
	}
	console_init(term_putc, term_getc, color);
}

const char *fakes_take_output(void)
{
	memcpy(out_copy, fk.out, fk.out_len);
	out_copy[fk.out_len] = '\0';
	fk.out_len = 0;
	return out_copy;
}

void fakes_type_bytes(const char *keys, size_t len)
{
	fk.keys = keys;
	fk.keys_len = len;
	console_poll(fk.now);
	assert_int_equal(fk.keys_len, 0);
}

void fakes_type(const char *keys)
{
	fakes_type_bytes(keys, strlen(keys));
}

uint64_t arch_time_now(void)
{
	return fk.now;
}

void arch_machine_off(bool failure)
{
	fk.poweroffs++;
	fk.off_failure = failure;
	longjmp(fk.off, 1);
}

uint64_t vm_run_ticks(const struct vm *vm, uint64_t now)
{
	(void)now;
	return fk.run_ticks[vm->id];
}

bool vm_runnable(const struct vm *vm)
{
	return fk.runnable[vm->id];
}

void vdev_irq_input(struct vm *vm)
{
	fk.irq_input[vm->id]++;
}

void stats_print(void)
{
	fk.stats++;
	hv_log("stats (fake)");
}

void vm_stop_keep_machine(struct vm *vm, const char *why)
{
	fk.stops++;
	fk.acted_on = vm;
	fk.why = why;
	vm->state = VM_STOPPED;
	hv_log("guest %s stopped: %s", vm->cfg->name, why);
}

void vm_restart(struct vm *vm, uint64_t delay_us, const char *why)
{
	assert_int_equal(delay_us, 0);
	fk.restarts++;
	fk.acted_on = vm;
	fk.why = why;
	vm->state = VM_RUNNING;
	hv_log("guest %s restarting: %s", vm->cfg->name, why);
}

struct vm *vm_by_name(const char *name)
{
	for (unsigned i = 0; i < nvms; i++)
		if (!strcmp(vms[i].cfg->name, name))
			return &vms[i];
	return NULL;
}

const char *vm_state_name(const struct vm *vm)
{
	return vm->state == VM_RUNNING ? "running" : "stopped";
}
