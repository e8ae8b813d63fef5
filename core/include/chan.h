/* Channels between partitions: shared memory (mapped by the arch's G-stage
 * code from cfg_guest.chans) and the doorbell one member rings in another. */
#ifndef SEPTA_CHAN_H
#define SEPTA_CHAN_H

struct vm;

/* At boot, before any guest runs: every channel's memory zeroed, once (a
 * member's restart keeps it; the other members may still be using it). */
void chan_init_all(void);
/* vm rings member `member` of channel `channel`: that member's doorbell
 * source becomes pending in its virtual PLIC. HV_EINVAL for a channel or
 * member that does not exist, HV_EDENIED when vm is not a member. A ring
 * for a stopped member is dropped. */
int chan_ring(struct vm *vm, unsigned long channel, unsigned long member);

#endif
