/* Things every part of the hypervisor uses: error codes, logging, panic,
 * and a few helpers. */
#ifndef SEPTA_HV_H
#define SEPTA_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Inside the hypervisor a call returns 0 or one of these; only vsbi.c turns
 * them into SBI error codes for a guest. */
#define HV_EINVAL    (-1) /* bad argument */
#define HV_ENOMEM    (-2) /* out of a static pool */
#define HV_ERANGE    (-3) /* address or length outside what the caller owns */
#define HV_ENOTSUP   (-4) /* not offered */
#define HV_EALREADY  (-5) /* already in the requested state */
#define HV_EDENIED   (-6) /* not the caller's to touch */
#define HV_ETIMEDOUT (-7) /* another hart did not answer in time */

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)

/* One tagged line on the console: "[septa] ...". */
void hv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A broken invariant or a failed boot step: say what, then stop the machine. */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
