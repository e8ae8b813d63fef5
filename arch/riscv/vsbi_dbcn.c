/* SBI DBCN (debug console): the guest's console, through the same per-guest
 * line buffer as the legacy calls. Buffers are guest-physical and must lie
 * wholly in the guest's own RAM. */
#include "core_services.h"
#include "vsbi.h"

#define DBCN_WRITE	0
#define DBCN_READ	1
#define DBCN_WRITE_BYTE 2

/* Bytes taken per write call. The spec lets a write take fewer bytes than
 * asked and return how many it took; the cap keeps one call well inside a
 * slice, so a guest cannot hold its hart (and its hart mates) with one
 * huge buffer. */
#define DBCN_WRITE_MAX 1024

static int dbcn_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	unsigned long len = c->arg[0];
	char *buf;

	switch (c->fid) {
	case DBCN_WRITE:
	case DBCN_READ:
		/* RV64: the whole address is in base_lo; base_hi must be 0. */
		if (c->arg[2] || !(buf = vm_gpa_to_ptr(v->vm, c->arg[1], len)))
			return HV_EINVAL;
		if (c->fid == DBCN_WRITE) {
			if (len > DBCN_WRITE_MAX)
				len = DBCN_WRITE_MAX;
			console_guest_write(v->vm, buf, len);
			*value = len;
			return 0;
		}
		*value = console_read_input(v->vm, buf, len);
		return 0;
	case DBCN_WRITE_BYTE:
		console_guest_putc(v->vm, (char)c->arg[0]);
		*value = 0;
		return 0;
	default:
		return HV_ENOTSUP;
	}
}

const struct vsbi_ext vsbi_dbcn = {
    .ext_lo = SBI_EXT_DBCN, .ext_hi = SBI_EXT_DBCN, .handle = dbcn_handle};
