/* Channels between partitions: their memory zeroed at boot, and the
 * doorbell, checked here so every architecture's call path shares it. */
#include "chan.h"

#include "hv.h"
#include "vdev.h"
#include "vm.h"

void chan_init_all(void)
{
	for (uint32_t i = 0; i < cfg_machine.nchannels; i++) {
		const struct cfg_channel *c = &cfg_machine.channels[i];

		/* Translation is off: a host-physical address is a pointer. */
		vm_mem_zero((void *)(uintptr_t)c->hpa, c->size);
		hv_log("channel %s: %lu KiB at host 0x%lx, %u members, doorbell interrupt %u",
		       c->name, (unsigned long)(c->size >> 10), (unsigned long)c->hpa, c->nmembers,
		       c->irq);
	}
}

int chan_ring(struct vm *vm, unsigned long channel, unsigned long member)
{
	if (channel >= cfg_machine.nchannels)
		return HV_EINVAL;
	const struct cfg_channel *c = &cfg_machine.channels[channel];
	bool mine = false;

	/* Only a member may ring: a stranger must not inject interrupts. */
	for (uint32_t k = 0; k < c->nmembers; k++)
		mine |= c->guest[k] == vm->id;
	if (!mine)
		return HV_EDENIED;
	if (member >= c->nmembers)
		return HV_EINVAL;
	struct vm *to = &vms[c->guest[member]];
	/* The run first: should the member restart after this, its reload
	 * moves the run on and vdev_doorbell() drops the ring, so a ring
	 * judged now cannot land in the member's next life. A stopped member
	 * gets none: it starts again with no doorbell pending. */
	unsigned run = __atomic_load_n(&to->run, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&to->state, __ATOMIC_ACQUIRE) == VM_RUNNING)
		vdev_doorbell(to, c->irq, run);
	return 0;
}
