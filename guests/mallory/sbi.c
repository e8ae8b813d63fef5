/* mallory's SBI attacks: buffers outside its RAM, harts it does not have,
 * extensions and functions septa does not offer, and a console write big
 * enough to keep septa busy. Each expects one SBI error code. */
#include <stdio.h>

#include "mallory.h"
#include "rt.h"

#define FID_DBCN_WRITE 0
#define FID_DBCN_READ  1

static void expect(unsigned n, const struct step *s, struct sbiret r, long want, const char *what)
{
	if (r.error == want)
		say_contained(n, s->name, "%s: error %ld as expected", what, r.error);
	else
		say_breach(n, s->name, "%s: error %ld value %ld, expected error %ld", what, r.error,
			   r.value, want);
}

/* DBCN buffers. arg picks the buffer; every one of them is at least partly
 * outside our RAM, so septa must refuse before it touches a byte. */
enum { BUF_ZERO, BUF_STRADDLE, BUF_LEN_MAX, BUF_WRAP, BUF_HI_HALF, BUF_HV };

static void dbcn_buffer(unsigned n, const struct step *s, const struct target *t, unsigned long fid)
{
	uint64_t end = t->ram_base + t->ram_size;
	unsigned long len = 16, base = 0, hi = 0;
	char what[96];

	switch (s->arg) {
	case BUF_ZERO:
		base = 0;
		break;
	case BUF_STRADDLE:
		base = end - 8; /* 8 bytes ours, 8 the next guest's (host side) */
		break;
	case BUF_LEN_MAX:
		base = t->ram_base;
		len = ~0UL;
		break;
	case BUF_WRAP:
		/* base + len wraps around to 0x10: small if summed naively. */
		base = t->ram_base + 0x1000;
		len = 0x10 - base;
		break;
	case BUF_HI_HALF:
		base = t->ram_base;
		hi = 1; /* RV64 has no high half: must be 0 */
		break;
	default:
		base = 0x80200000UL;
		if (base >= t->ram_base && base - t->ram_base < t->ram_size)
			base = end;
		break;
	}
	snprintf(what, sizeof(what), "%s base 0x%lx len 0x%lx hi %lu",
		 fid == FID_DBCN_WRITE ? "write" : "read", base, len, hi);
	expect(n, s, sbi_ecall(SBI_EXT_DBCN, fid, len, base, hi), SBI_ERR_INVALID_PARAM, what);
}

static void dbcn_write(unsigned n, const struct step *s, const struct target *t)
{
	dbcn_buffer(n, s, t, FID_DBCN_WRITE);
}

static void dbcn_read(unsigned n, const struct step *s, const struct target *t)
{
	dbcn_buffer(n, s, t, FID_DBCN_READ);
}

/* One call with a legal but huge buffer of carriage returns, which the
 * console drops without printing: how long does septa stay away from the
 * hart? Longer than a slice starves whoever shares it. */
#define FLOOD_BYTES (512 * 1024)
#define SLICE_US    10000
static char flood[FLOOD_BYTES];

static void dbcn_flood(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	for (unsigned i = 0; i < FLOOD_BYTES; i++)
		flood[i] = '\r';
	uint64_t t0 = rt_time();
	struct sbiret r = sbi_ecall(SBI_EXT_DBCN, FID_DBCN_WRITE, FLOOD_BYTES,
				    (unsigned long)(uintptr_t)flood, 0);
	unsigned long us = (unsigned long)rt_time_to_us(rt_time() - t0);
	if (us <= SLICE_US)
		say_contained(n, s->name, "%d bytes in one write: error %ld, %ld written, %lu us",
			      FLOOD_BYTES, r.error, r.value, us);
	else
		say_breach(n, s->name,
			   "one %d-byte write held the hart %lu us, longer than a %d us slice",
			   FLOOD_BYTES, us, SLICE_US);
}

/* Hart masks and ids. arg: what to name. */
static void hsm_start(unsigned n, const struct step *s, const struct target *t)
{
	char what[64];

	snprintf(what, sizeof(what), "hart_start(%ld)", (long)s->arg);
	expect(n, s, sbi_hart_start(s->arg, t->ram_base, 0), SBI_ERR_INVALID_PARAM, what);
}

static void hsm_status(unsigned n, const struct step *s, const struct target *t)
{
	(void)t;
	expect(n, s, sbi_hart_get_status(s->arg), SBI_ERR_INVALID_PARAM, "hart_get_status");
}

/* arg: mask in the low 32 bits, base in the high 32 (all ones: -1). */
static void masks(uint64_t arg, unsigned long *mask, unsigned long *base)
{
	*mask = (unsigned long)(uint32_t)arg;
	*base = (arg >> 32) == 0xffffffffUL ? ~0UL : (unsigned long)(arg >> 32);
}

static void ipi_mask(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long mask, base;
	char what[64];

	(void)t;
	masks(s->arg, &mask, &base);
	snprintf(what, sizeof(what), "send_ipi mask 0x%lx base %ld", mask, (long)base);
	expect(n, s, sbi_send_ipi(mask, base), SBI_ERR_INVALID_PARAM, what);
}

static void rfence_mask(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long mask, base;
	char what[64];

	(void)t;
	masks(s->arg, &mask, &base);
	snprintf(what, sizeof(what), "remote_sfence_vma mask 0x%lx base %ld", mask, (long)base);
	expect(n, s, sbi_remote_sfence_vma(mask, base, 0, ~0UL), SBI_ERR_INVALID_PARAM, what);
}

/* arg: extension id in the high 32 bits, function id in the low 32. */
static void unsupported(unsigned n, const struct step *s, const struct target *t)
{
	unsigned long ext = (unsigned long)(s->arg >> 32), fid = (uint32_t)s->arg;
	char what[64];

	(void)t;
	snprintf(what, sizeof(what), "extension 0x%lx function %lu", ext, fid);
	expect(n, s, sbi_ecall(ext, fid, 0, 0, 0), SBI_ERR_NOT_SUPPORTED, what);
}

/* Legacy calls 0x03-0x08 (clear_ipi ... shutdown) answer in a0 alone; the
 * legacy shutdown must not stop anything. */
static void legacy_unsupported(unsigned n, const struct step *s, const struct target *t)
{
	register unsigned long a0 __asm__("a0") = 0;
	register unsigned long a7 __asm__("a7") = s->arg;

	(void)t;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "memory");
	if ((long)a0 == SBI_ERR_NOT_SUPPORTED)
		say_contained(n, s->name, "legacy 0x%lx: %ld as expected", (unsigned long)s->arg,
			      (long)a0);
	else
		say_breach(n, s->name, "legacy 0x%lx returned %ld", (unsigned long)s->arg,
			   (long)a0);
}

/* SRST types septa must refuse without stopping anyone. */
static void srst_bad(unsigned n, const struct step *s, const struct target *t)
{
	char what[64];

	(void)t;
	snprintf(what, sizeof(what), "system_reset type 0x%lx", (unsigned long)s->arg);
	expect(n, s, sbi_system_reset((uint32_t)s->arg, 0),
	       s->arg >= 0xf0000000UL ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM, what);
}

/* The machine's ids are not a partition's business. */
static void machine_ids(unsigned n, const struct step *s, const struct target *t)
{
	long v = 0;

	(void)t;
	for (unsigned long fid = 4; fid <= 6; fid++)
		v |= sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0).value;
	if (v)
		say_breach(n, s->name, "mvendorid/marchid/mimpid leak: 0x%lx", v);
	else
		say_contained(n, s->name, "mvendorid, marchid and mimpid all read 0");
}

#define EXT_FID(e, f) (((uint64_t)(e) << 32) | (f))
#define MASK(m, b)    (((uint64_t)(uint32_t)(b) << 32) | (m))

const struct step sbi_steps[] = {
    {"dbcn-write-at-0", STEP_CONTAINED, dbcn_write, BUF_ZERO},
    {"dbcn-write-straddling-end", STEP_CONTAINED, dbcn_write, BUF_STRADDLE},
    {"dbcn-write-len-max", STEP_CONTAINED, dbcn_write, BUF_LEN_MAX},
    {"dbcn-write-wrapping", STEP_CONTAINED, dbcn_write, BUF_WRAP},
    {"dbcn-write-high-half", STEP_CONTAINED, dbcn_write, BUF_HI_HALF},
    {"dbcn-write-hypervisor", STEP_CONTAINED, dbcn_write, BUF_HV},
    {"dbcn-read-at-0", STEP_CONTAINED, dbcn_read, BUF_ZERO},
    {"dbcn-read-straddling-end", STEP_CONTAINED, dbcn_read, BUF_STRADDLE},
    {"dbcn-read-len-max", STEP_CONTAINED, dbcn_read, BUF_LEN_MAX},
    {"dbcn-read-wrapping", STEP_CONTAINED, dbcn_read, BUF_WRAP},
    {"dbcn-flood", STEP_CONTAINED, dbcn_flood, 0},
    {"hsm-start-hart-1", STEP_CONTAINED, hsm_start, 1},
    {"hsm-start-hart-8", STEP_CONTAINED, hsm_start, 8},
    {"hsm-start-hart-max", STEP_CONTAINED, hsm_start, ~0UL},
    {"hsm-status-hart-5", STEP_CONTAINED, hsm_status, 5},
    {"ipi-hart-1", STEP_CONTAINED, ipi_mask, MASK(0x2, 0)},
    {"ipi-base-1", STEP_CONTAINED, ipi_mask, MASK(0x1, 1)},
    {"ipi-mask-all-ones", STEP_CONTAINED, ipi_mask, MASK(0xffffffff, 0)},
    {"ipi-base-63", STEP_CONTAINED, ipi_mask, MASK(0x1, 63)},
    {"rfence-hart-1", STEP_CONTAINED, rfence_mask, MASK(0x2, 0)},
    {"rfence-base-7", STEP_CONTAINED, rfence_mask, MASK(0x1, 7)},
    {"unknown-extension", STEP_CONTAINED, unsupported, EXT_FID(0x12345678, 0)},
    {"unknown-base-fid", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_BASE, 99)},
    {"unknown-time-fid", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_TIME, 1)},
    {"unknown-ipi-fid", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_IPI, 1)},
    {"unknown-hsm-fid", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_HSM, 9)},
    {"unknown-srst-fid", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_SRST, 1)},
    {"unknown-dbcn-fid", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_DBCN, 3)},
    {"rfence-hfence-gvma", STEP_CONTAINED, unsupported, EXT_FID(SBI_EXT_RFENCE, 3)},
    {"pmu-extension", STEP_CONTAINED, unsupported, EXT_FID(0x504D55, 0)},
    {"legacy-send-ipi", STEP_CONTAINED, legacy_unsupported, 0x04},
    {"legacy-shutdown", STEP_CONTAINED, legacy_unsupported, 0x08},
    {"srst-reserved-type", STEP_CONTAINED, srst_bad, 3},
    {"srst-vendor-type", STEP_CONTAINED, srst_bad, 0xf0000000UL},
    {"machine-ids", STEP_CONTAINED, machine_ids, 0},
};
const unsigned n_sbi_steps = sizeof(sbi_steps) / sizeof(sbi_steps[0]);
