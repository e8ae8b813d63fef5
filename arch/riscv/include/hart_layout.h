/* Per-hart memory the entry code carves out, shared by entry.S and hv.ld. */
#ifndef SEPTA_HART_LAYOUT_H
#define SEPTA_HART_LAYOUT_H

#define HART_MAX	8 /* = CFG_MAX_HARTS */
#define HART_STACK_SIZE 16384
#define HART_TLS_SIZE	256

#endif
