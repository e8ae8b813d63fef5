/* Input routing and the Ctrl-] focus commands. The focus cycle puts the
 * monitor after the last guest, so "n" from any place reaches everything. */
#include "input.h"

void input_init(struct input_router *r, unsigned nguests)
{
	r->nguests = nguests;
	r->focus = nguests ? 0 : INPUT_MONITOR;
	r->escape = false;
}

const char *input_help(void)
{
	return "Ctrl-] then: n next, p previous, 1-9 guest N, m monitor, h/? help, "
	       "Ctrl-] sends Ctrl-]";
}

static int next_focus(const struct input_router *r)
{
	if (r->focus == INPUT_MONITOR)
		return r->nguests ? 0 : INPUT_MONITOR;
	if ((unsigned)r->focus + 1 >= r->nguests)
		return INPUT_MONITOR;
	return r->focus + 1;
}

static int prev_focus(const struct input_router *r)
{
	if (r->focus == INPUT_MONITOR)
		return r->nguests ? (int)r->nguests - 1 : INPUT_MONITOR;
	return r->focus == 0 ? INPUT_MONITOR : r->focus - 1;
}

static struct input_event event(const struct input_router *r, enum input_kind kind, uint8_t c)
{
	struct input_event e = {kind, r->focus, c};

	return e;
}

/* A byte for whoever has focus. */
static struct input_event deliver(const struct input_router *r, uint8_t c)
{
	return event(r, r->focus == INPUT_MONITOR ? INPUT_TO_MONITOR : INPUT_TO_GUEST, c);
}

static struct input_event move_to(struct input_router *r, int focus, uint8_t c)
{
	r->focus = focus;
	return event(r, INPUT_FOCUS, c);
}

static struct input_event command(struct input_router *r, uint8_t c)
{
	switch (c) {
	case INPUT_ESCAPE:
		return deliver(r, c);
	case 'n':
	case 'N':
		return move_to(r, next_focus(r), c);
	case 'p':
	case 'P':
		return move_to(r, prev_focus(r), c);
	case 'm':
	case 'M':
		return move_to(r, INPUT_MONITOR, c);
	case 'h':
	case 'H':
	case '?':
		return event(r, INPUT_HELP, c);
	}
	/* A missing guest is swallowed like any unknown key: the caller can
	 * list the guests on request, and a stray digit must not leak. */
	if (c >= '1' && c <= '9' && (unsigned)(c - '1') < r->nguests)
		return move_to(r, c - '1', c);
	return event(r, INPUT_NONE, c);
}

struct input_event input_feed(struct input_router *r, uint8_t c)
{
	if (r->escape) {
		r->escape = false;
		return command(r, c);
	}
	if (c == INPUT_ESCAPE) {
		r->escape = true;
		return event(r, INPUT_NONE, c);
	}
	return deliver(r, c);
}
