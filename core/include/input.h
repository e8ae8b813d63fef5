/* The input router: bytes typed on the one terminal go to the guest (or the
 * monitor) that has focus; Ctrl-] and a command key move the focus. Pure
 * logic, unit-tested on the host.
 *
 * After Ctrl-] (0x1d):
 *   n / N     next: guest 0, 1, ..., n-1, the monitor, guest 0, ...
 *   p / P     previous: the same cycle backwards
 *   1 .. 9    guest N (1-based); a guest that does not exist: INPUT_NONE
 *   m / M     the monitor
 *   h / H / ? INPUT_HELP
 *   Ctrl-]    a literal 0x1d for the focused target
 *   other     swallowed: INPUT_NONE
 * Choosing the target that already has focus still yields INPUT_FOCUS, so
 * the caller can confirm it. With no guests every focus key leads to the
 * monitor. */
#ifndef SEPTA_INPUT_H
#define SEPTA_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#define INPUT_ESCAPE  0x1d /* Ctrl-] */
#define INPUT_MONITOR (-1) /* the focus value of the hypervisor monitor */

struct input_router {
	int focus; /* INPUT_MONITOR or a guest index 0..nguests-1 */
	unsigned nguests;
	bool escape; /* Ctrl-] seen; the next byte is a command */
};

struct input_event {
	enum input_kind {
		INPUT_NONE,	  /* nothing to do (escape key, swallowed key) */
		INPUT_TO_GUEST,	  /* deliver c to guest target */
		INPUT_TO_MONITOR, /* deliver c to the monitor */
		INPUT_FOCUS,	  /* focus moved to target (maybe the same one) */
		INPUT_HELP,	  /* print input_help() */
	} kind;
	int target; /* the focus after this byte */
	uint8_t c;  /* the byte fed */
};

/* Focus starts at guest 0, or at the monitor when there are no guests. */
void input_init(struct input_router *r, unsigned nguests);
/* Routes one typed byte. */
struct input_event input_feed(struct input_router *r, uint8_t c);
/* One line describing the escape keys, without a trailing newline. */
const char *input_help(void);

#endif
