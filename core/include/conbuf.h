/* A console line buffer: collects one guest's bytes until a line is whole.
 * Pure logic, unit-tested on the host. */
#ifndef SEPTA_CONBUF_H
#define SEPTA_CONBUF_H

#include <stdbool.h>
#include <stddef.h>

#define CONBUF_LINE 256 /* a longer line is cut and continued on the next */

struct conbuf {
	char buf[CONBUF_LINE];
	size_t len;
};

/* Adds c. Returns true when the buffer now holds a line to print (the
 * newline is not stored; '\r' is dropped). */
bool conbuf_put(struct conbuf *b, char c);
/* Empties the buffer after its line was printed. */
void conbuf_clear(struct conbuf *b);

#endif
