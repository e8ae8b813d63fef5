/* Numbers, sizes and times as written in configs, and sizes as printed back
 * to people. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_model.h"

/* Reads the leading decimal or 0x-hex number of s; *end is what follows.
 * Leading zeros stay decimal: "010" is ten, not octal eight. */
static int lead_u64(const char *s, uint64_t *out, const char **end)
{
	int base = 10;
	char *e;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		if (!isxdigit((unsigned char)s[2]))
			return -1;
	} else if (!isdigit((unsigned char)s[0])) {
		return -1;
	}
	errno = 0;
	unsigned long long v = strtoull(s, &e, base);

	if (errno == ERANGE)
		return -1;
	*out = v;
	*end = e;
	return 0;
}

int cfg_parse_u64(const char *s, uint64_t *out)
{
	const char *end;

	if (lead_u64(s, out, &end))
		return -1;
	return *end ? -1 : 0;
}

int cfg_parse_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v, mult = 1;

	if (lead_u64(s, &v, &end))
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		mult = CFG_KIB;
		end++;
		break;
	case 'M':
		mult = CFG_MIB;
		end++;
		break;
	case 'G':
		mult = CFG_GIB;
		end++;
		break;
	}
	/* Tolerate 16MB, 16MiB and 4096B: all mean powers of two here. */
	if (mult != 1 && (!strcasecmp(end, "iB") || !strcasecmp(end, "B")))
		end += strlen(end);
	else if (mult == 1 && !strcasecmp(end, "B"))
		end++;
	if (*end)
		return -1;
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int cfg_parse_time_us(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v, mult;

	if (lead_u64(s, &v, &end))
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (!strcmp(end, "us"))
		mult = 1;
	else if (!strcmp(end, "ms"))
		mult = 1000;
	else if (!strcmp(end, "s"))
		mult = 1000000;
	else
		return -1; /* a bare number has no obvious unit: ask for one */
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

void cfg_fmt_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;

	/* The largest unit the size reaches; exact sizes print as integers so
	 * they add up by eye, others with one decimal. */
	while (u < 4 && bytes >> (10 * (u + 1)))
		u++;
	if ((bytes & ((1ULL << (10 * u)) - 1)) == 0)
		snprintf(buf, n, "%llu %s", (unsigned long long)(bytes >> (10 * u)), unit[u]);
	else
		snprintf(buf, n, "%.1f %s", (double)bytes / (double)(1ULL << (10 * u)), unit[u]);
}

void cfg_fmt_time(char *buf, size_t n, uint64_t us)
{
	if (us && us % 1000000 == 0)
		snprintf(buf, n, "%llu s", (unsigned long long)(us / 1000000));
	else if (us && us % 1000 == 0)
		snprintf(buf, n, "%llu ms", (unsigned long long)(us / 1000));
	else
		snprintf(buf, n, "%llu us", (unsigned long long)us);
}
