/* SBI v0.1 legacy calls still in use by small guests: set_timer,
 * console_putchar, console_getchar. */
#include "core_services.h"
#include "vsbi.h"

static int legacy_handle(struct vcpu *v, const struct vsbi_call *c, unsigned long *value)
{
	switch (c->ext) {
	case SBI_EXT_LEGACY_SET_TIMER:
		vcpu_set_timer(v, c->arg[0]);
		*value = 0;
		return 0;
	case SBI_EXT_LEGACY_PUTCHAR:
		console_guest_putc(v->vm, (char)c->arg[0]);
		*value = 0;
		return 0;
	case SBI_EXT_LEGACY_GETCHAR: {
		char ch;

		/* -1 when nothing waits, as the legacy spec has it. */
		*value = console_read_input(v->vm, &ch, 1) ? (unsigned char)ch : (unsigned long)-1L;
		return 0;
	}
	default:
		return HV_ENOTSUP;
	}
}

const struct vsbi_ext vsbi_legacy = {.ext_lo = SBI_EXT_LEGACY_SET_TIMER,
				     .ext_hi = SBI_EXT_LEGACY_GETCHAR,
				     .legacy = true,
				     .handle = legacy_handle};
