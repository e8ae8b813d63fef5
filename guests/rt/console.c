/* picolibc's stdout and stderr, written to the SBI console a line at a time
 * (one DBCN call per line when DBCN exists, one legacy call per byte if not).
 * Every hart collects its own line, and a whole line goes out under a lock,
 * so lines from two harts never mix within a line. */
#include <stdbool.h>
#include <stdio.h>
#include "internal.h"
#include "layout.h"
#include "rt.h"
#include "sbi.h"

#define CONSOLE_BUF 128

/* Each hart touches only its own line; the lock orders the emitting. */
static char line[RT_MAX_HARTS][CONSOLE_BUF];
static unsigned int line_len[RT_MAX_HARTS];
static bool have_dbcn;
/* The hart that is emitting a line, or -1.  In .data: a hart may print
 * before another has cleared .bss (never in practice, but cheap to get right). */
static long emit_owner __attribute__((section(".data"))) = -1;

void rt_console_init(void)
{
	have_dbcn = sbi_probe_extension(SBI_EXT_DBCN) != 0;
}

static void console_emit(const char *buf, unsigned long len)
{
	/* DBCN may take fewer bytes than offered; a call that makes no progress
	 * sends the rest down the legacy path instead of spinning. */
	while (have_dbcn && len) {
		struct sbiret ret = sbi_debug_console_write(buf, len);

		if (ret.error || ret.value <= 0 || (unsigned long)ret.value > len)
			break;
		buf += ret.value;
		len -= (unsigned long)ret.value;
	}
	while (len--)
		sbi_console_putchar(*buf++);
}

/*
 * Emits one hart's line with interrupts masked (a handler that prints would
 * otherwise land inside the line).  A hart that already holds the lock, which
 * only a fault inside console_emit can cause, goes ahead without it rather
 * than deadlock on itself while reporting that fault.
 */
static void console_emit_locked(const char *buf, unsigned long len)
{
	long me = (long)rt_hartid(), free = -1;
	unsigned long sie = csr_read(sstatus) & SSTATUS_SIE;
	bool nested = __atomic_load_n(&emit_owner, __ATOMIC_RELAXED) == me;

	rt_irq_disable();
	while (!nested && !__atomic_compare_exchange_n(&emit_owner, &free, me, false,
						       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		free = -1;
	console_emit(buf, len);
	if (!nested)
		__atomic_store_n(&emit_owner, -1, __ATOMIC_RELEASE);
	csr_set(sstatus, sie);
}

static int console_flush(FILE *file)
{
	unsigned long me = rt_hartid();

	(void)file;
	if (line_len[me])
		console_emit_locked(line[me], line_len[me]);
	line_len[me] = 0;
	return 0;
}

static int console_put(char ch, FILE *file)
{
	unsigned long me = rt_hartid();

	line[me][line_len[me]++] = ch;
	if (ch == '\n' || line_len[me] == CONSOLE_BUF)
		console_flush(file);
	return (unsigned char)ch;
}

void rt_console_newline(void)
{
	if (line_len[rt_hartid()])
		console_put('\n', stdout);
}

/* picolibc (tinystdio) declares the standard streams as FILE *const and
 * leaves defining them to the application.  Its FDEV_SETUP_STREAM streams
 * keep no per-call state in the FILE, so harts may share this one. */
static FILE console = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE);
FILE *const stdout = &console;
FILE *const stderr = &console;
