/* Console routing. Guest bytes collect per guest until a line is whole (or
 * has gone quiet, so prompts show) and are printed with the guest's tag
 * under one output lock: two harts never mix inside a terminal line. Keys
 * typed for a guest wait in one queue here, whichever way it reads them
 * (its UART's RBR, SBI getchar, DBCN read). A
 * partial line stays open on the terminal, so a guest's echo of what you
 * type continues it; anyone else's output first ends it. Each guest has a
 * byte budget (a token bucket) so a flood cannot starve the others.
 *
 * Lock order: a VM's device lock, then its console lock, then out_lock. */
#include "console.h"

#include <stdarg.h>
#include <stdio.h>

#include "arch_hooks.h"
#include "hv.h"
#include "input.h"
#include "monitor.h"
#include "sched.h"
#include "spinlock.h"
#include "vdev.h"
#include "vm.h"

#define RATE_BYTES_PER_S 8192
#define RATE_BURST	 16384
#define QUIET_US	 50000 /* a partial line this old is printed */
#define SRC_SEPTA	 (-2)
#define SRC_NONE	 (-3)

static void (*out_putc)(char c);
static int (*in_getc)(void);
static bool use_color;
static spinlock_t out_lock;
static int open_src = SRC_NONE; /* whose unfinished line the terminal shows */
static struct input_router router;

void console_init(void (*putc)(char c), int (*getc)(void), bool color)
{
	out_putc = putc;
	in_getc = getc;
	use_color = color;
}

static void put_str(const char *s)
{
	while (*s)
		out_putc(*s++);
}

static void put_tag(const char *tag, const char *color)
{
	if (use_color && color) {
		put_str("\x1b[");
		put_str(color);
		put_str("m");
	}
	out_putc('[');
	put_str(tag);
	out_putc(']');
	if (use_color && color)
		put_str("\x1b[0m");
	out_putc(' ');
}

/* With out_lock held: text from src, continuing src's open line if the
 * terminal shows one. The terminal is raw (QEMU's stdio): lines end CR LF. */
static void emit(int src, const char *tag, const char *color, const char *text, size_t len,
		 bool complete)
{
	if (open_src != src) {
		if (open_src != SRC_NONE)
			put_str("\r\n");
		put_tag(tag, color);
	}
	for (size_t i = 0; i < len; i++)
		out_putc(text[i]);
	if (complete)
		put_str("\r\n");
	open_src = complete ? SRC_NONE : src;
}

void console_route_line(const char *tag, const char *color, const char *line, size_t len)
{
	if (!out_putc)
		return;
	spin_lock(&out_lock);
	/* A hypervisor line never continues anything. */
	if (open_src != SRC_NONE) {
		put_str("\r\n");
		open_src = SRC_NONE;
	}
	emit(SRC_SEPTA, tag, color, line, len, true);
	spin_unlock(&out_lock);
}

bool console_monitor_line_open(void)
{
	spin_lock(&out_lock);
	bool open = open_src == SRC_SEPTA;
	spin_unlock(&out_lock);
	return open;
}

void console_monitor_end_line(void)
{
	spin_lock(&out_lock);
	if (open_src == SRC_SEPTA) {
		put_str("\r\n");
		open_src = SRC_NONE;
	}
	spin_unlock(&out_lock);
}

void console_monitor_echo(const char *text, size_t len)
{
	spin_lock(&out_lock);
	emit(SRC_SEPTA, "septa", "1", text, len, false);
	spin_unlock(&out_lock);
}

void console_vm_init(struct vm *vm)
{
	ratelimit_init(&vm->con.rl, RATE_BYTES_PER_S, RATE_BURST, sched_ticks_per_us * 1000000,
		       arch_time_now());
}

void console_vm_reset(struct vm *vm)
{
	spin_lock(&vm->con.lock);
	conbuf_clear(&vm->con.line);
	vm->con.inq_head = 0;
	__atomic_store_n(&vm->con.inq_count, 0, __ATOMIC_RELAXED);
	spin_unlock(&vm->con.lock);
}

/* With the VM's console lock held: print its buffered text and empty it. */
static void flush_line(struct vm *vm, bool complete)
{
	struct vm_console *c = &vm->con;
	size_t len = c->line.len;

	if (vm->cfg->console == CFG_CONSOLE_NONE) {
		c->silenced += len + complete;
		conbuf_clear(&c->line);
		return;
	}
	if (!ratelimit_take(&c->rl, arch_time_now(), len + complete)) {
		conbuf_clear(&c->line); /* counted as dropped by the limiter */
		return;
	}
	uint64_t dropped = ratelimit_dropped_take(&c->rl);
	if (dropped)
		hv_log("guest %s: %lu bytes dropped by the console rate limit (%u bytes/s)",
		       vm->cfg->name, (unsigned long)dropped, RATE_BYTES_PER_S);
	spin_lock(&out_lock);
	emit((int)vm->id, vm->cfg->name, vm->cfg->color, c->line.buf, len, complete);
	spin_unlock(&out_lock);
	conbuf_clear(&c->line);
}

void console_guest_write(struct vm *vm, const char *buf, size_t len)
{
	struct vm_console *c = &vm->con;

	spin_lock(&c->lock);
	for (size_t i = 0; i < len; i++)
		if (conbuf_put(&c->line, buf[i]))
			flush_line(vm, true);
	c->last_byte = arch_time_now();
	c->last_byte_run = vm_run_ticks(vm, c->last_byte);
	spin_unlock(&c->lock);
}

void console_guest_putc(struct vm *vm, char c)
{
	console_guest_write(vm, &c, 1);
}

void console_guest_flush(struct vm *vm)
{
	spin_lock(&vm->con.lock);
	if (vm->con.line.len)
		flush_line(vm, true);
	spin_unlock(&vm->con.lock);
}

unsigned console_input_waiting(struct vm *vm)
{
	/* No lock: the UART asks on every status read, and a count that is
	 * a moment old is what a real receiver shows too. */
	return __atomic_load_n(&vm->con.inq_count, __ATOMIC_RELAXED);
}

const unsigned *console_input_counter(struct vm *vm)
{
	return &vm->con.inq_count;
}

/* With the VM's console lock held. */
static int pop_input(struct vm_console *c)
{
	int ch;

	if (!c->inq_count)
		return -1;
	ch = c->inq[c->inq_head];
	c->inq_head = (c->inq_head + 1) % VM_INQ;
	__atomic_store_n(&c->inq_count, c->inq_count - 1, __ATOMIC_RELAXED);
	return ch;
}

int console_take_input(struct vm *vm)
{
	/* Nearly always nothing was typed: a load instead of the lock. */
	if (!console_input_waiting(vm))
		return -1;
	spin_lock(&vm->con.lock);
	int ch = pop_input(&vm->con);
	spin_unlock(&vm->con.lock);
	return ch;
}

size_t console_read_input(struct vm *vm, char *buf, size_t len)
{
	size_t n = 0;
	int ch;

	if (!console_input_waiting(vm))
		return 0;
	spin_lock(&vm->con.lock);
	while (n < len && (ch = pop_input(&vm->con)) >= 0)
		buf[n++] = (char)ch;
	spin_unlock(&vm->con.lock);
	/* The UART shows the same queue: its data-ready interrupt may have
	 * to go down. */
	if (n)
		vdev_irq_input(vm);
	return n;
}

static void give_input(struct vm *vm, uint8_t ch)
{
	struct vm_console *c = &vm->con;
	bool kept;

	spin_lock(&c->lock);
	kept = c->inq_count < VM_INQ;
	if (kept) {
		c->inq[(c->inq_head + c->inq_count) % VM_INQ] = ch;
		__atomic_store_n(&c->inq_count, c->inq_count + 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&c->lock);
	if (!kept)
		hv_log("guest %s is not reading its console: input dropped", vm->cfg->name);
	vdev_irq_input(vm);
}

static void say_focus(void)
{
	if (router.focus == INPUT_MONITOR) {
		hv_log("focus: monitor (type help; Ctrl-] h for keys)");
		monitor_prompt();
	} else {
		hv_log("focus: %s", vms[router.focus].cfg->name);
	}
}

void console_set_focus(int focus)
{
	router.focus = focus;
	say_focus();
}

int console_focus(void)
{
	return router.focus;
}

static void route_key(uint8_t ch)
{
	struct input_event ev = input_feed(&router, ch);

	switch (ev.kind) {
	case INPUT_TO_GUEST:
		give_input(&vms[ev.target], ev.c);
		break;
	case INPUT_TO_MONITOR:
		monitor_key(ev.c);
		break;
	case INPUT_FOCUS:
		say_focus();
		break;
	case INPUT_HELP:
		hv_log("%s", input_help());
		break;
	case INPUT_NONE:
		break;
	}
}

/* With the VM's console lock held: has its partial line waited long enough
 * to be a prompt? Quiet time counts while the guest runs, so a guest that
 * was preempted mid-line is not cut; a guest with nothing to run (waiting
 * for a key, or stopped) counts the clock's time. */
static bool line_is_quiet(const struct vm *vm, uint64_t now)
{
	uint64_t quiet = QUIET_US * sched_ticks_per_us;

	if (now - vm->con.last_byte < quiet)
		return false;
	return !vm_runnable(vm) || vm_run_ticks(vm, now) - vm->con.last_byte_run >= quiet;
}

void console_poll(uint64_t now)
{
	int ch;

	while (in_getc && (ch = in_getc()) >= 0)
		route_key((uint8_t)ch);
	/* Partial lines that have gone quiet: a prompt waiting for input. */
	for (unsigned i = 0; i < nvms; i++) {
		struct vm_console *c = &vms[i].con;

		if (!c->line.len)
			continue;
		spin_lock(&c->lock);
		if (c->line.len && line_is_quiet(&vms[i], now))
			flush_line(&vms[i], false);
		spin_unlock(&c->lock);
	}
}

/* The console's entry on its hart's deadline list: a poll, then the next
 * one a period later. */
static struct deadline_list *poll_list;
static struct deadline poll_dl;

static void poll_due(struct deadline *d, uint64_t now)
{
	console_poll(now);
	deadline_arm(poll_list, d, now + CONSOLE_POLL_US * sched_ticks_per_us);
}

void console_start_polling(struct deadline_list *l, uint64_t now)
{
	input_init(&router, nvms);
	hv_log("keys go to %s; Ctrl-] n: next guest, Ctrl-] m: monitor, Ctrl-] h: help",
	       nvms ? vms[0].cfg->name : "the monitor");
	poll_list = l;
	deadline_init(&poll_dl, poll_due);
	deadline_arm(l, &poll_dl, now);
}

void hv_log(const char *fmt, ...)
{
	char line[320];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	console_route_line("septa", "1", line, (size_t)n);
}
