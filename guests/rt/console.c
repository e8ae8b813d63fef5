/* picolibc's stdout and stderr, written to the SBI console a line at a time
 * (one DBCN call per line when DBCN exists, one legacy call per byte if not). */
#include <stdbool.h>
#include <stdio.h>
#include "internal.h"
#include "sbi.h"

#define CONSOLE_BUF 128

static char line[CONSOLE_BUF];
static unsigned int line_len;
static bool have_dbcn;

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

static int console_flush(FILE *file)
{
	(void)file;
	console_emit(line, line_len);
	line_len = 0;
	return 0;
}

static int console_put(char ch, FILE *file)
{
	line[line_len++] = ch;
	if (ch == '\n' || line_len == CONSOLE_BUF)
		console_flush(file);
	return (unsigned char)ch;
}

void rt_console_newline(void)
{
	if (line_len)
		console_put('\n', stdout);
}

/* picolibc (tinystdio) declares the standard streams as FILE *const and
 * leaves defining them to the application. */
static FILE console = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE);
FILE *const stdout = &console;
FILE *const stderr = &console;
