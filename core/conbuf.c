/* Console line buffer. Carriage returns are dropped because the router adds
 * its own line endings; a full buffer is flushed as a line of its own. */
#include "conbuf.h"

bool conbuf_put(struct conbuf *b, char c)
{
	if (c == '\n')
		return true;
	if (c == '\r')
		return false;
	b->buf[b->len++] = c;
	return b->len == CONBUF_LINE;
}

void conbuf_clear(struct conbuf *b)
{
	b->len = 0;
}
