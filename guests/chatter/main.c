/* chatter: prints long lines (over 200 characters, its own name repeated)
 * as fast as it can. Two copies on two harts write at the same time; septa
 * must keep every line whole. Each line reaches septa in pieces (the
 * runtime flushes every 128 bytes), so the hypervisor has to join them.
 * The name comes from /chosen/septa,name.
 *
 * bootargs: "lines=N" (default LINES); "pause_us=N" sends the first 100
 * characters of each line on their own and waits N us of guest time
 * (spinning, so the hart's timeslice may end there) before the rest. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rt.h"

#define LINES	60
#define BODY	220 /* "<name>-" repeated up to this many characters */
#define FIRST	100 /* the first piece with pause_us */
#define LINE_SZ 256

const char rt_guest_name[] = "chatter";

static const char *guest_name(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const char *name = node < 0 ? NULL : fdt_getprop(fdt, node, "septa,name", NULL);

	return name ? name : rt_guest_name;
}

/* A number after key= in the bootargs, or dflt. */
static long arg(const void *fdt, const char *key, long dflt)
{
	const char *at = strstr(rt_bootargs(fdt), key);

	return at ? atol(at + strlen(key)) : dflt;
}

static void spin_us(long us)
{
	uint64_t end = rt_time() + rt_ms_to_time(1) * (uint64_t)us / 1000;

	while (rt_time() < end)
		;
}

int main(unsigned long hartid, const void *fdt)
{
	const char *name = guest_name(fdt);
	long lines = arg(fdt, "lines=", LINES), pause = arg(fdt, "pause_us=", 0);
	char body[BODY + 1], line[LINE_SZ];
	size_t n = strlen(name), len = 0;

	(void)hartid;
	if (pause && rt_timer_init(fdt))
		pause = 0;
	/* Whole copies only, so a test can check each line piece by piece;
	 * with the number and "end" a line stays under septa's 256. */
	while (len + n + 1 <= BODY) {
		memcpy(body + len, name, n);
		body[len + n] = '-';
		len += n + 1;
	}
	body[len] = '\0';
	for (long i = 1; i <= lines; i++) {
		snprintf(line, sizeof(line), "%s %04ld %s end\n", name, i, body);
		if (pause) {
			printf("%.*s", FIRST, line);
			fflush(stdout);
			spin_us(pause);
			fputs(line + FIRST, stdout);
		} else {
			fputs(line, stdout);
		}
	}
	printf("chatter: %ld lines done\n", lines);
	return 0;
}
