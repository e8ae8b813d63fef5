/* Console routing. Lines are assembled per guest and printed whole under one
 * lock, so two harts never interleave inside a line. */
#include "console.h"

#include <stdarg.h>
#include <stdio.h>

#include "hv.h"
#include "spinlock.h"
#include "vm.h"

static void (*out_putc)(char c);
static int (*in_getc)(void);
static bool use_color;
static spinlock_t out_lock;

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

void console_route_line(const char *tag, const char *color, const char *line, size_t len)
{
	if (!out_putc)
		return;
	spin_lock(&out_lock);
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
	for (size_t i = 0; i < len; i++)
		out_putc(line[i]);
	/* The terminal is raw (QEMU's stdio), so end lines with CR LF. */
	put_str("\r\n");
	spin_unlock(&out_lock);
}

static void flush_line(struct vm *vm)
{
	console_route_line(vm->cfg->name, vm->cfg->color, vm->con.buf, vm->con.len);
	conbuf_clear(&vm->con);
}

/* A guest's vCPUs may sit on several harts; the buffer is shared, so the
 * vCPUs of one guest take the output lock to fill it too. */
static spinlock_t guest_lock[CFG_MAX_GUESTS];

void console_guest_putc(struct vm *vm, char c)
{
	console_guest_write(vm, &c, 1);
}

void console_guest_write(struct vm *vm, const char *buf, size_t len)
{
	spin_lock(&guest_lock[vm->id]);
	for (size_t i = 0; i < len; i++)
		if (conbuf_put(&vm->con, buf[i]))
			flush_line(vm);
	spin_unlock(&guest_lock[vm->id]);
}

void console_guest_flush(struct vm *vm)
{
	spin_lock(&guest_lock[vm->id]);
	if (vm->con.len)
		flush_line(vm);
	spin_unlock(&guest_lock[vm->id]);
}

int console_guest_getc(struct vm *vm)
{
	/* Until input focus exists, the first guest gets the keyboard. */
	if (vm->id != 0 || !in_getc)
		return -1;
	return in_getc();
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
