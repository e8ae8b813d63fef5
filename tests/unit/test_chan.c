/* Unit tests of the channel doorbell's checks (core/chan.c): only a member
 * may ring, a channel or member out of range is invalid, a ring raises the
 * target member's doorbell source and is dropped for a stopped member; and
 * chan_init_all zeroes every channel's memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chan.h"
#include "vdev.h"
#include "vm.h"

/* Host buffers stand in for the channels' memory: core/chan.c treats a
 * host-physical address as a pointer. */
static uint8_t mem0[64], mem1[64];

/* Channel 0 joins guests 0 and 2 (guest 1 is a stranger to it); channel 1
 * joins guests 1 and 0, so member indexes differ from guest indexes. */
static struct cfg_channel chans[] = {
    {.name = "a", .size = sizeof(mem0), .irq = 9, .nmembers = 2, .guest = {0, 2}},
    {.name = "b", .size = sizeof(mem1), .irq = 12, .nmembers = 2, .guest = {1, 0}},
};
const struct cfg_machine cfg_machine = {.nchannels = 2, .channels = chans};

struct vm vms[CFG_MAX_GUESTS];
unsigned nvms = 3;

/* The fakes record the doorbells raised and the memory zeroed. */
static struct vm *rung_vm;
static unsigned rung_src, rings;
void vdev_doorbell(struct vm *vm, unsigned src, unsigned run)
{
	assert_int_equal(run, vm->run); /* the run the ring was judged in */
	rung_vm = vm, rung_src = src;
	rings++;
}
void vm_mem_zero(void *p, size_t len)
{
	memset(p, 0, len);
}
void hv_log(const char *fmt, ...)
{
	(void)fmt;
}

static int setup(void **state)
{
	(void)state;
	memset(vms, 0, sizeof(vms));
	for (unsigned i = 0; i < nvms; i++) {
		vms[i].id = i;
		vms[i].state = VM_RUNNING;
	}
	rung_vm = NULL, rung_src = 0, rings = 0;
	return 0;
}

static void member_rings_the_other(void **state)
{
	(void)state;
	assert_int_equal(chan_ring(&vms[0], 0, 1), 0);
	assert_int_equal(rings, 1);
	assert_ptr_equal(rung_vm, &vms[2]);
	assert_int_equal(rung_src, 9);
	/* Channel 1's member 0 is guest 1, with channel 1's own source. */
	assert_int_equal(chan_ring(&vms[0], 1, 0), 0);
	assert_int_equal(rings, 2);
	assert_ptr_equal(rung_vm, &vms[1]);
	assert_int_equal(rung_src, 12);
}

/* A member may ring itself: the check is membership, not "someone else". */
static void member_rings_itself(void **state)
{
	(void)state;
	assert_int_equal(chan_ring(&vms[2], 0, 1), 0);
	assert_ptr_equal(rung_vm, &vms[2]);
}

static void stranger_is_denied(void **state)
{
	(void)state;
	assert_int_equal(chan_ring(&vms[1], 0, 0), HV_EDENIED);
	assert_int_equal(chan_ring(&vms[2], 1, 0), HV_EDENIED);
	assert_int_equal(rings, 0);
}

static void channel_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(chan_ring(&vms[0], 2, 0), HV_EINVAL);
	assert_int_equal(chan_ring(&vms[0], (unsigned long)-1, 0), HV_EINVAL);
	assert_int_equal(rings, 0);
}

static void member_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(chan_ring(&vms[0], 0, 2), HV_EINVAL);
	assert_int_equal(chan_ring(&vms[0], 0, (unsigned long)-1), HV_EINVAL);
	assert_int_equal(rings, 0);
}

/* A stranger asking for a member that does not exist learns nothing about
 * the channel's size: membership is checked first. */
static void stranger_denied_before_member_check(void **state)
{
	(void)state;
	assert_int_equal(chan_ring(&vms[1], 0, 5), HV_EDENIED);
}

static void stopped_member_ring_dropped(void **state)
{
	(void)state;
	vms[2].state = VM_STOPPED;
	assert_int_equal(chan_ring(&vms[0], 0, 1), 0);
	assert_int_equal(rings, 0);
}

static void init_zeroes_every_channel(void **state)
{
	(void)state;
	memset(mem0, 0xa5, sizeof(mem0));
	memset(mem1, 0x5a, sizeof(mem1));
	chans[0].hpa = (uintptr_t)mem0;
	chans[1].hpa = (uintptr_t)mem1;
	chan_init_all();
	for (size_t i = 0; i < sizeof(mem0); i++)
		assert_int_equal(mem0[i] | mem1[i], 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
	    T(member_rings_the_other),	    T(member_rings_itself),
	    T(stranger_is_denied),	    T(channel_out_of_range),
	    T(member_out_of_range),	    T(stranger_denied_before_member_check),
	    T(stopped_member_ring_dropped), T(init_zeroes_every_channel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
