/* The first error of a septa-cfg run, recorded with its file and line so the
 * steps never print or exit themselves. */
#include <stdarg.h>
#include <stdio.h>

#include "cfg_model.h"

int cfg_fail(struct cfg_diag *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* Later errors are usually echoes of the first one: keep only it. */
	if (d->status)
		return -1;
	d->status = CFG_EXIT_CONFIG;
	n = snprintf(d->msg, sizeof d->msg, "%s:%d: ", file, line > 0 ? line : 1);
	if (n < 0 || (size_t)n >= sizeof d->msg)
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->msg + n, sizeof d->msg - n, fmt, ap);
	va_end(ap);
	return -1;
}

int cfg_fail_io(struct cfg_diag *d, const char *fmt, ...)
{
	va_list ap;

	if (d->status)
		return -1;
	d->status = CFG_EXIT_IO;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return -1;
}
