/* panic(): the one way the hypervisor gives up. It says why on the console
 * and powers the machine off as a failure, so a run never hangs silently. */
#include <stdarg.h>
#include <stdio.h>

#include "arch_hooks.h"
#include "console.h"
#include "hv.h"

void panic(const char *fmt, ...)
{
	char line[200] = "PANIC: ";
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line + 7, sizeof(line) - 7, fmt, ap);
	va_end(ap);
	size_t len = 7 + (n < 0 ? 0 : (size_t)n);
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	console_route_line("septa", "1;31", line, len);
	arch_machine_off(true);
}
