/* The compute kernel: table-driven CRC-32 over a buffer of a few hundred
 * KiB.  It traps nowhere, so whatever it costs more under septa is what
 * running under two-stage translation costs ordinary work. */
#include "bench.h"

static uint32_t table[256];
static uint8_t buf[CRC_BYTES];
/* The last result, kept so the compiler cannot drop the work, and printed
 * so that native and septa runs can be seen to compute the same thing. */
static volatile uint32_t last;

void crc_init(void)
{
	uint32_t x = 0x12345678;

	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	/* xorshift32: the same bytes on every run. */
	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

static uint32_t crc32(const uint8_t *p, size_t len)
{
	uint32_t c = 0xffffffff;

	while (len--)
		c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

uint64_t crc_probe(enum unit u)
{
	uint64_t t0 = bench_read(u);

	last = crc32(buf, sizeof(buf));
	return bench_read(u) - t0;
}

uint32_t crc_value(void)
{
	return last;
}
