/* Unit tests of the guest SBI (arch/riscv/vsbi*.c) through vsbi_handle(),
 * as a guest's ecall reaches it: register decoding, results in a0/a1, sepc,
 * and each extension's checks. core/vm_mem.c is linked for real, over a
 * host buffer standing in for the guest's RAM, and so is core/vcpu.c (HSM,
 * IPIs, fences, timers) over stubbed arch and scheduler hooks; the console
 * and vm_stop are stubs below that record their calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch_hooks.h"
#include "cpu.h"
#include "console.h"
#include "hv.h"
#include "sched.h"
#include "vcpu.h"
#include "vm.h"
#include "vsbi.h"
#include "vsbi_base.h"

#define RAM_GPA		0x80000000UL
#define RAM_SIZE	0x10000UL
#define PC		0x80000400UL
#define JUNK		0xa5a5a5a500000000UL /* register contents before a call */
#define DBCN_WRITE	0
#define DBCN_READ	1
#define DBCN_WRITE_BYTE 2
#define HSM_GET_STATUS	2

static uint8_t ram[RAM_SIZE];
static struct cfg_guest guest;
static struct vm vm;
static struct arch_vcpu av;

/* What the stubs saw. */
static struct {
	unsigned writes, putcs, getcs, stops, timers, reboots, logs;
	struct vm *vm;
	char out[64];
	size_t out_len;
	char putc;
	const char *in; /* bytes console_read_input hands out */
	const char *why;
	struct vcpu *timer_vcpu;
	uint64_t deadline;
} seen;

void console_guest_write(struct vm *v, const char *buf, size_t len)
{
	unsigned sum = 0;

	seen.writes++;
	seen.vm = v;
	seen.out_len = len;
	for (size_t i = 0; i < len; i++) /* every byte must be readable */
		sum += (unsigned char)buf[i];
	(void)sum;
	memcpy(seen.out, buf, len < sizeof(seen.out) ? len : sizeof(seen.out));
}

void console_guest_putc(struct vm *v, char c)
{
	seen.putcs++;
	seen.vm = v;
	seen.putc = c;
}

size_t console_read_input(struct vm *v, char *buf, size_t len)
{
	size_t n = 0;

	seen.getcs++;
	seen.vm = v;
	while (seen.in && *seen.in && n < len)
		buf[n++] = *seen.in++;
	return n;
}

void vm_reboot(struct vm *v, const char *why)
{
	seen.reboots++;
	seen.vm = v;
	seen.why = why;
}

void hv_log(const char *fmt, ...)
{
	(void)fmt;
	seen.logs++;
}

void vm_stop(struct vm *v, const char *why)
{
	seen.stops++;
	seen.vm = v;
	seen.why = why;
}

/* Arch and scheduler hooks core/vcpu.c calls. vCPU 0 (the caller) is on
 * hart 0, vCPU 1 on hart 1. */
struct hart harts[CFG_MAX_HARTS];
struct cpu_features cpu_features; /* .sstc: what the leaf path looks at */
uint64_t sched_ticks_per_us = 10;
static unsigned kicks, resets, ipis_raised, flushes;
static uint64_t now_ticks;
static bool irq_pending;

void arch_vcpu_timer_set(struct vcpu *v, uint64_t guest_deadline)
{
	seen.timers++;
	seen.timer_vcpu = v;
	seen.deadline = guest_deadline;
}
uint64_t arch_time_now(void)
{
	return now_ticks;
}
bool arch_vcpu_irq_pending(struct vcpu *v)
{
	(void)v;
	return irq_pending;
}
void arch_vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	(void)v, (void)pc, (void)a0, (void)a1;
	resets++;
}
/* As arch/riscv/vcpu.c does it for the vCPU under test. */
void arch_vcpu_set_entry(struct vcpu *v, uint64_t pc, uint64_t a0, uint64_t a1)
{
	if (v->arch != &av)
		return;
	av.sepc = pc;
	av.gpr[REG_A0] = a0;
	av.gpr[REG_A1] = a1;
	av.redirected = true;
}
unsigned arch_this_hart(void)
{
	return 0;
}
void arch_hart_kick(unsigned hartid)
{
	assert_int_equal(hartid, 1);
	kicks++;
}
void arch_vcpu_raise_ipi(struct vcpu *v)
{
	(void)v;
	ipis_raised++;
}
void arch_vcpu_flush(struct vcpu *v, bool fence_i, bool vma)
{
	(void)v, (void)fence_i, (void)vma;
	flushes++;
}
void sched_wake(struct vcpu *v, bool front)
{
	(void)front;
	v->state = VCPU_RUNNABLE;
}
void sched_remove(struct vcpu *v)
{
	(void)v;
}
void sched_give_reload_turns(struct vm *v)
{
	(void)v;
}
void arch_vcpu_timer_fire(struct vcpu *v)
{
	(void)v;
}
void vm_vcpu_up(struct vm *v)
{
	(void)v;
}
void vm_vcpu_down(struct vm *v)
{
	(void)v;
}
/* The doorbell's checks are core/chan.c's: the fake records the ring. */
static unsigned long rung_chan, rung_member;
static unsigned rings;
int chan_ring(struct vm *vm, unsigned long channel, unsigned long member)
{
	(void)vm;
	if (channel == 7)
		return HV_EDENIED;
	rung_chan = channel, rung_member = member;
	rings++;
	return 0;
}
bool vdev_irq_pending(struct vcpu *v)
{
	(void)v;
	return false;
}
void arch_vcpu_set_ext_irq(struct vcpu *v, bool level)
{
	(void)v, (void)level;
}

static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	memset(ram, 0xee, sizeof(ram));
	guest = (struct cfg_guest){.name = "g",
				   .gpa_base = RAM_GPA,
				   .hpa_base = (uint64_t)(uintptr_t)ram,
				   .mem_size = RAM_SIZE,
				   .nvcpus = 2};
	memset(&vm, 0, sizeof(vm));
	memset(harts, 0, sizeof(harts));
	vm.cfg = &guest;
	vm.nvcpus = 2;
	for (unsigned i = 0; i < vm.nvcpus; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].hart = i;
		vm.vcpus[i].timer_deadline = VCPU_NO_DEADLINE;
		vcpu_init_deadlines(&vm.vcpus[i]);
	}
	vm.vcpus[0].state = VCPU_RUNNABLE;
	vm.vcpus[0].hsm = VCPU_HSM_STARTED;
	vm.vcpus[1].state = VCPU_STOPPED;
	vm.vcpus[1].hsm = VCPU_HSM_STOPPED;
	kicks = resets = ipis_raised = flushes = 0;
	memset(&av, 0, sizeof(av));
	for (int i = 1; i < 32; i++)
		av.gpr[i] = JUNK + (uint64_t)i;
	av.sepc = PC;
	av.vcpu = &vm.vcpus[0];
	vm.vcpus[0].arch = &av;
	now_ticks = 1000;
	irq_pending = false;
	return 0;
}

/* One ecall from vCPU 0: a7 = ext, a6 = fid, a0..a2 = args. Checks it
 * returns to the guest past the ecall with no register but a0/a1 changed. */
static void ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
		  unsigned long a2)
{
	struct arch_vcpu before;

	av.gpr[REG_A7] = ext;
	av.gpr[REG_A6] = fid;
	av.gpr[REG_A0] = a0;
	av.gpr[REG_A1] = a1;
	av.gpr[REG_A2] = a2;
	before = av;
	assert_int_equal(vsbi_handle(&vm.vcpus[0], &av), VCPU_EXIT_HANDLED);
	assert_int_equal(av.sepc, before.sepc + 4);
	for (int i = 0; i < 32; i++)
		if (i != REG_A0 && i != REG_A1)
			assert_int_equal(av.gpr[i], before.gpr[i]);
	assert_int_equal(av.sstatus, before.sstatus);
	assert_int_equal(av.hstatus, before.hstatus);
}

/* The SBI v0.2+ result pair. */
static void expect_ret(long error, unsigned long value)
{
	assert_int_equal((long)av.gpr[REG_A0], error);
	assert_int_equal(av.gpr[REG_A1], value);
}

static void nothing_called(void)
{
	assert_int_equal(seen.writes + seen.putcs + seen.getcs + seen.stops + seen.timers, 0);
}

static void base_versions_and_ids(void **state)
{
	(void)state;
	ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);
	expect_ret(SBI_SUCCESS, 0x02000000);
	assert_int_equal(av.sepc, PC + 4);
	ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0);
	expect_ret(SBI_SUCCESS, VSBI_IMPL_ID);
	ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0);
	expect_ret(SBI_SUCCESS, VSBI_IMPL_VERSION);
	assert_int_equal(av.sepc, PC + 12); /* each call steps over one ecall */
	for (unsigned long fid = SBI_BASE_GET_MVENDORID; fid <= SBI_BASE_GET_MIMPID; fid++) {
		ecall(SBI_EXT_BASE, fid, 0, 0, 0);
		expect_ret(SBI_SUCCESS, 0);
	}
	ecall(SBI_EXT_BASE, 7, 0, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	ecall(SBI_EXT_BASE, 0x1000000UL, 0, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	nothing_called();
}

static void base_probe(void **state)
{
	static const unsigned long offered[] = {
	    SBI_EXT_BASE,
	    SBI_EXT_TIME,
	    SBI_EXT_DBCN,
	    SBI_EXT_SRST,
	    SBI_EXT_HSM,
	    SBI_EXT_IPI,
	    SBI_EXT_RFENCE,
	    SBI_EXT_LEGACY_SET_TIMER,
	    SBI_EXT_LEGACY_PUTCHAR,
	    SBI_EXT_LEGACY_GETCHAR,
	};
	static const unsigned long absent[] = {
	    0x12345678, 0x03, 0x08, 0x11, SBI_EXT_TIME + 1, ~0UL,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(offered); i++) {
		ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, offered[i], 0, 0);
		expect_ret(SBI_SUCCESS, 1);
	}
	for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
		ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, absent[i], 0, 0);
		expect_ret(SBI_SUCCESS, 0);
	}
}

static void unknown_extension(void **state)
{
	(void)state;
	ecall(0x12345678, 0, 0, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	ecall(0x504D55, 0, 1, 0, 0); /* PMU: not offered */
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	ecall(0x535553, 0, 0, 0, 0); /* SUSP: not offered */
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	nothing_called();
}

static void unknown_function(void **state)
{
	(void)state;
	ecall(SBI_EXT_TIME, 1, 123, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	ecall(SBI_EXT_DBCN, 3, 1, RAM_GPA, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	ecall(SBI_EXT_SRST, 1, SBI_SRST_SHUTDOWN, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	ecall(SBI_EXT_HSM, 4, 1, PC, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	nothing_called();
}

static void time_set_timer(void **state)
{
	(void)state;
	ecall(SBI_EXT_TIME, 0, 0x123456789abcUL, 0, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.timers, 1);
	assert_ptr_equal(seen.timer_vcpu, &vm.vcpus[0]);
	assert_int_equal(seen.deadline, 0x123456789abcUL);
	/* "No timer" is all ones. */
	ecall(SBI_EXT_TIME, 0, UINT64_MAX, 0, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.timers, 2);
	assert_int_equal(seen.deadline, UINT64_MAX);
}

static void dbcn_write_in_ram(void **state)
{
	(void)state;
	memcpy(ram + 0x100, "hello, world", 12);
	ecall(SBI_EXT_DBCN, DBCN_WRITE, 12, RAM_GPA + 0x100, 0);
	expect_ret(SBI_SUCCESS, 12);
	assert_int_equal(seen.writes, 1);
	assert_ptr_equal(seen.vm, &vm);
	assert_int_equal(seen.out_len, 12);
	assert_memory_equal(seen.out, "hello, world", 12);

	/* The last bytes of RAM, and all of it. */
	memcpy(ram + RAM_SIZE - 3, "end", 3);
	ecall(SBI_EXT_DBCN, DBCN_WRITE, 3, RAM_GPA + RAM_SIZE - 3, 0);
	expect_ret(SBI_SUCCESS, 3);
	assert_int_equal(seen.writes, 2);
	assert_memory_equal(seen.out, "end", 3);
	/* All of RAM is a valid buffer, but one call takes at most 1 KiB and
	 * says so: a huge write must not hold the hart for long. */
	ecall(SBI_EXT_DBCN, DBCN_WRITE, RAM_SIZE, RAM_GPA, 0);
	expect_ret(SBI_SUCCESS, 1024);
	assert_int_equal(seen.writes, 3);
	assert_int_equal(seen.out_len, 1024);
}

static void dbcn_write_bad_buffer(void **state)
{
	static const struct {
		unsigned long len, lo, hi;
	} bad[] = {
	    {4, 0x1000, 0},			   /* outside RAM */
	    {4, RAM_GPA - 2, 0},		   /* starts below */
	    {4, RAM_GPA + RAM_SIZE - 2, 0},	   /* runs past the end */
	    {1, RAM_GPA + RAM_SIZE, 0},		   /* just past */
	    {RAM_SIZE + 1, RAM_GPA, 0},		   /* one too long */
	    {4, RAM_GPA + 0x100, 1},		   /* base_hi set */
	    {4, RAM_GPA + 0x100, ~0UL},		   /* base_hi set */
	    {UINT64_MAX, RAM_GPA + 0x100, 0},	   /* end wraps into RAM */
	    {0x20, UINT64_MAX - 0xf, 0},	   /* wraps to 0x10 */
	    {RAM_GPA + 0x20, UINT64_MAX - 0xf, 0}, /* wraps into RAM */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ecall(SBI_EXT_DBCN, DBCN_WRITE, bad[i].len, bad[i].lo, bad[i].hi);
		expect_ret(SBI_ERR_INVALID_PARAM, 0);
		ecall(SBI_EXT_DBCN, DBCN_READ, bad[i].len, bad[i].lo, bad[i].hi);
		expect_ret(SBI_ERR_INVALID_PARAM, 0);
	}
	nothing_called();
}

static void dbcn_read_and_write_byte(void **state)
{
	(void)state;
	seen.in = "ab";
	ecall(SBI_EXT_DBCN, DBCN_READ, 8, RAM_GPA + 0x200, 0);
	expect_ret(SBI_SUCCESS, 2);
	assert_memory_equal(ram + 0x200, "ab", 2);
	assert_int_equal(ram[0x202], 0xee); /* nothing past what was read */
	assert_int_equal(ram[0x1ff], 0xee);
	/* Nothing typed: 0 bytes. */
	ecall(SBI_EXT_DBCN, DBCN_READ, 8, RAM_GPA + 0x200, 0);
	expect_ret(SBI_SUCCESS, 0);
	/* No more than asked for. */
	seen.in = "xyz";
	ecall(SBI_EXT_DBCN, DBCN_READ, 1, RAM_GPA + 0x300, 0);
	expect_ret(SBI_SUCCESS, 1);
	assert_int_equal(ram[0x300], 'x');
	assert_int_equal(ram[0x301], 0xee);
	assert_string_equal(seen.in, "yz");

	ecall(SBI_EXT_DBCN, DBCN_WRITE_BYTE, 'Q', 0, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.putcs, 1);
	assert_int_equal(seen.putc, 'Q');
	assert_ptr_equal(seen.vm, &vm);
	assert_int_equal(seen.writes, 0);
}

static void srst(void **state)
{
	(void)state;
	ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.stops, 1);
	assert_ptr_equal(seen.vm, &vm);
	assert_non_null(seen.why);
	assert_null(strstr(seen.why, "failure"));

	ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.stops, 2);
	assert_non_null(strstr(seen.why, "failure"));

	/* Cold and warm reboot restart the guest; they do not stop it. */
	ecall(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.reboots, 1);
	assert_non_null(strstr(seen.why, "cold reboot"));
	ecall(SBI_EXT_SRST, 0, SBI_SRST_WARM_REBOOT, SBI_SRST_REASON_NONE, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(seen.reboots, 2);
	assert_non_null(strstr(seen.why, "warm reboot"));
	assert_int_equal(seen.stops, 2);

	/* Reserved types and reasons: refused, the VM keeps running. */
	ecall(SBI_EXT_SRST, 0, 3, SBI_SRST_REASON_NONE, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	ecall(SBI_EXT_SRST, 0, 0x10000000, SBI_SRST_REASON_NONE, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, 2, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	assert_int_equal(seen.stops, 2);
	assert_int_equal(seen.reboots, 2);
}

static void hsm_get_status(void **state)
{
	(void)state;
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, 0, 0, 0);
	expect_ret(SBI_SUCCESS, SBI_HSM_STARTED);
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, 1, 0, 0);
	expect_ret(SBI_SUCCESS, SBI_HSM_STOPPED);
	vm.vcpus[1].hsm = VCPU_HSM_SUSPENDED;
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, 1, 0, 0);
	expect_ret(SBI_SUCCESS, SBI_HSM_SUSPENDED);
	/* Hart ids past the guest's vCPUs, though vcpus[] has room. */
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, 2, 0, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, CFG_MAX_VCPUS, 0, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, ~0UL, 0, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
}

/* v0.1 calls: one value in a0, a1 (like every other register) preserved. */
static void legacy_calls(void **state)
{
	(void)state;
	ecall(SBI_EXT_LEGACY_PUTCHAR, 0, 'k', JUNK + 11, 0);
	assert_int_equal(av.gpr[REG_A0], 0);
	assert_int_equal(av.gpr[REG_A1], JUNK + 11);
	assert_int_equal(seen.putcs, 1);
	assert_int_equal(seen.putc, 'k');
	assert_ptr_equal(seen.vm, &vm);

	ecall(SBI_EXT_LEGACY_SET_TIMER, 0, 0xabcdef, JUNK + 11, 0);
	assert_int_equal(av.gpr[REG_A0], 0);
	assert_int_equal(av.gpr[REG_A1], JUNK + 11);
	assert_int_equal(seen.timers, 1);
	assert_int_equal(seen.deadline, 0xabcdef);

	seen.in = "z";
	ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, JUNK + 11, 0);
	assert_int_equal(av.gpr[REG_A0], 'z');
	assert_int_equal(av.gpr[REG_A1], JUNK + 11);
	ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, JUNK + 11, 0);
	assert_int_equal((long)av.gpr[REG_A0], -1);
	assert_int_equal(av.gpr[REG_A1], JUNK + 11);
	assert_int_equal(av.sepc, PC + 16);
}

/* The legacy range is 0x00..0x0F; the ones not offered (send_ipi,
 * remote_fence_i, shutdown, ...) must still answer in a0 only. */
static void legacy_unoffered_keeps_a1(void **state)
{
	(void)state;
	for (unsigned long ext = 0x03; ext <= 0x0f; ext++) {
		ecall(ext, 0, 0, JUNK + 11, 0);
		assert_int_equal((long)av.gpr[REG_A0], SBI_ERR_NOT_SUPPORTED);
		assert_int_equal(av.gpr[REG_A1], JUNK + 11);
	}
	nothing_called();
}

/* hart_start: vCPU 1 goes START_PENDING and hart 1 is kicked; its hart
 * then starts it; a second start is refused; bad ids and addresses too. */
static void hsm_start(void **state)
{
	(void)state;
	ecall(SBI_EXT_HSM, 0, 1, RAM_GPA + 0x100, 0x1234);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(vm.vcpus[1].hsm, VCPU_HSM_START_PENDING);
	assert_int_equal(kicks, 1);
	assert_int_equal(vm.vcpus[1].start_arg, 0x1234);
	ecall(SBI_EXT_HSM, 0, 1, RAM_GPA, 0);
	expect_ret(SBI_ERR_ALREADY_AVAILABLE, 0);
	vcpu_process_requests(&vm.vcpus[1]); /* what hart 1 does next */
	assert_int_equal(vm.vcpus[1].hsm, VCPU_HSM_STARTED);
	assert_int_equal(vm.vcpus[1].state, VCPU_RUNNABLE);
	assert_int_equal(resets, 1);
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, 1, 0, 0);
	expect_ret(SBI_SUCCESS, SBI_HSM_STARTED);
	ecall(SBI_EXT_HSM, 0, 0, RAM_GPA, 0);
	expect_ret(SBI_ERR_ALREADY_AVAILABLE, 0);
	ecall(SBI_EXT_HSM, 0, 2, RAM_GPA, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	vm.vcpus[1].hsm = VCPU_HSM_STOPPED;
	ecall(SBI_EXT_HSM, 0, 1, RAM_GPA + RAM_SIZE, 0); /* outside its RAM */
	expect_ret(SBI_ERR_INVALID_ADDRESS, 0);
	ecall(SBI_EXT_HSM, 0, 1, 0x1000, 0);
	expect_ret(SBI_ERR_INVALID_ADDRESS, 0);
	assert_int_equal(vm.vcpus[1].hsm, VCPU_HSM_STOPPED);
}

/* IPIs: hart masks are checked against the guest's own vCPUs. */
static void ipi_masks(void **state)
{
	(void)state;
	ecall(SBI_EXT_IPI, 0, 0x2, 0, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(vm.vcpus[1].requests, VCPU_REQ_IPI);
	assert_int_equal(kicks, 1);
	vcpu_process_requests(&vm.vcpus[1]);
	assert_int_equal(ipis_raised, 1);
	ecall(SBI_EXT_IPI, 0, 0x1, 1, 0); /* base 1, bit 0: vCPU 1 */
	expect_ret(SBI_SUCCESS, 0);
	ecall(SBI_EXT_IPI, 0, 0, ~0UL, 0); /* base -1: every vCPU */
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(vm.vcpus[0].requests, VCPU_REQ_IPI);
	/* Harts the guest does not have. */
	static const unsigned long bad[][2] = {
	    {0x4, 0}, {0x1, 2}, {0x3, 1}, {1, 63}, {0x1, 64}, {~0UL, 0}, {0x8000000000000000UL, 0}};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		vm.vcpus[0].requests = vm.vcpus[1].requests = 0;
		ecall(SBI_EXT_IPI, 0, bad[i][0], bad[i][1], 0);
		expect_ret(SBI_ERR_INVALID_PARAM, 0);
		assert_int_equal(vm.vcpus[0].requests | vm.vcpus[1].requests, 0);
	}
	ecall(SBI_EXT_IPI, 1, 0x1, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
}

/* RFENCE: the remote vCPU is asked; the caller waits off its hart's queue
 * (its hart runs others meanwhile) until that vCPU's hart took the request
 * and told it so; hfence variants are not offered. */
static void rfence(void **state)
{
	(void)state;
	ecall(SBI_EXT_RFENCE, 0, 0x3, 0, 0); /* fence.i on both */
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(vm.vcpus[0].state, VCPU_FENCING);
	assert_int_equal(deadline_next(&harts[0].deadlines),
			 now_ticks + VCPU_FENCE_TIMEOUT_US * sched_ticks_per_us);
	assert_int_equal(vm.vcpus[0].requests, VCPU_REQ_FENCE_I); /* flushes before it runs */
	assert_int_equal(vm.vcpus[1].requests, VCPU_REQ_FENCE_I);
	vcpu_process_requests(&vm.vcpus[1]); /* hart 1 takes it ... */
	assert_int_equal(flushes, 1);
	assert_int_equal(vm.vcpus[0].requests & VCPU_REQ_FENCE_ACK, VCPU_REQ_FENCE_ACK);
	assert_int_equal(vm.vcpus[0].state, VCPU_FENCING);
	vcpu_process_requests(&vm.vcpus[0]); /* ... and the caller's hart sees it */
	assert_int_equal(vm.vcpus[0].state, VCPU_RUNNABLE);
	assert_int_equal(vm.vcpus[0].fence_wait, 0);
	/* Done in time: its limit is off the hart's list. */
	assert_int_equal(deadline_next(&harts[0].deadlines), DEADLINE_NONE);
	assert_int_equal(flushes, 2);

	/* Only itself: nothing to wait for. */
	ecall(SBI_EXT_RFENCE, 1, 0x1, 0, 0); /* sfence.vma */
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(vm.vcpus[0].state, VCPU_RUNNABLE);
	ecall(SBI_EXT_RFENCE, 2, 0x1, 0, 0); /* sfence.vma.asid */
	expect_ret(SBI_SUCCESS, 0);
	ecall(SBI_EXT_RFENCE, 1, 0x4, 0, 0);
	expect_ret(SBI_ERR_INVALID_PARAM, 0);
	for (unsigned long fid = 3; fid <= 6; fid++) {
		ecall(SBI_EXT_RFENCE, fid, 0x1, 0, 0);
		expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	}
}

/* A hart that never takes the fence: the caller does not wait past the
 * limit, which is on its hart's deadline list; then the call fails with a
 * report, and the caller runs again. */
static void rfence_bounded(void **state)
{
	uint64_t limit = VCPU_FENCE_TIMEOUT_US * sched_ticks_per_us;
	struct deadline_list *hart0 = &harts[0].deadlines;

	(void)state;
	ecall(SBI_EXT_RFENCE, 1, 0x2, 0, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(vm.vcpus[0].state, VCPU_FENCING);
	assert_int_equal(deadline_next(hart0), now_ticks + limit);
	now_ticks += limit - 1;
	deadline_run_due(hart0, now_ticks);
	assert_int_equal(vm.vcpus[0].state, VCPU_FENCING);
	assert_int_equal(seen.logs, 0);
	now_ticks += 1;
	deadline_run_due(hart0, now_ticks);
	assert_int_equal(vm.vcpus[0].state, VCPU_RUNNABLE);
	assert_int_equal((long)av.gpr[REG_A0], SBI_ERR_FAILED);
	assert_int_equal(seen.logs, 1);
	assert_int_equal(deadline_next(hart0), DEADLINE_NONE);
	/* The target takes it late: nobody waits any more, nothing breaks. */
	vcpu_process_requests(&vm.vcpus[1]);
	assert_int_equal(vm.vcpus[0].requests & VCPU_REQ_FENCE_ACK, 0);
}

/* A hart_start the last run asked for, taken by its hart only after the
 * guest restarted (vm->run moved on), must not start the vCPU in the new
 * run with the old address. One asked for in this run does. */
static void hsm_start_from_old_run(void **state)
{
	(void)state;
	ecall(SBI_EXT_HSM, 0, 1, RAM_GPA + 0x100, 0x1234);
	expect_ret(SBI_SUCCESS, 0);
	vm.run++; /* the guest restarted before hart 1 took the request */
	vm.vcpus[1].hsm = VCPU_HSM_STOPPED;
	vcpu_process_requests(&vm.vcpus[1]);
	assert_int_equal(vm.vcpus[1].state, VCPU_STOPPED);
	assert_int_equal(vm.vcpus[1].hsm, VCPU_HSM_STOPPED);
	assert_int_equal(resets, 0);

	ecall(SBI_EXT_HSM, 0, 1, RAM_GPA + 0x200, 0x5678);
	expect_ret(SBI_SUCCESS, 0);
	vcpu_process_requests(&vm.vcpus[1]);
	assert_int_equal(vm.vcpus[1].state, VCPU_RUNNABLE);
	assert_int_equal(vm.vcpus[1].hsm, VCPU_HSM_STARTED);
	assert_int_equal(resets, 1);
}

/* A non-retentive suspend that finds an interrupt pending resumes at once:
 * at resume_addr with a0 = hart id and a1 = opaque, which the SBI return
 * must not then overwrite or step past. */
static void hsm_suspend_resumes_at_once(void **state)
{
	(void)state;
	irq_pending = true;
	av.gpr[REG_A7] = SBI_EXT_HSM;
	av.gpr[REG_A6] = 3;
	av.gpr[REG_A0] = 0x80000000UL; /* non-retentive */
	av.gpr[REG_A1] = RAM_GPA + 0x300;
	av.gpr[REG_A2] = 0xfeed;
	assert_int_equal(vsbi_handle(&vm.vcpus[0], &av), VCPU_EXIT_HANDLED);
	assert_int_equal(av.sepc, RAM_GPA + 0x300);
	assert_int_equal(av.gpr[REG_A0], 0);
	assert_int_equal(av.gpr[REG_A1], 0xfeed);
	assert_int_equal(vm.vcpus[0].hsm, VCPU_HSM_STARTED);
	/* The next call answers as usual. */
	ecall(SBI_EXT_HSM, HSM_GET_STATUS, 0, 0, 0);
	expect_ret(SBI_SUCCESS, SBI_HSM_STARTED);
}

/* The trap fast path answers only calls that need no scheduler: BASE
 * always, TIME only when the hardware delivers guest timers. */
static void fast_path(void **state)
{
	(void)state;
	av.gpr[REG_A7] = SBI_EXT_BASE;
	av.gpr[REG_A6] = SBI_BASE_GET_SPEC_VERSION;
	assert_int_equal(vsbi_fast(&av, PC), 1);
	assert_int_equal(av.gpr[REG_A0], 0);
	assert_int_equal(av.gpr[REG_A1], 0x02000000);
	assert_int_equal(av.sepc, PC + 4);
	assert_int_equal(vm.vcpus[0].stats.traps[VCPU_TRAP_SBI], 1);

	av.sepc = PC;
	av.gpr[REG_A7] = SBI_EXT_TIME;
	av.gpr[REG_A6] = 0;
	av.gpr[REG_A0] = 777;
	cpu_features.sstc = false;
	assert_int_equal(vsbi_fast(&av, PC), 0);
	assert_int_equal(seen.timers, 0);
	assert_int_equal(av.sepc, PC);
	cpu_features.sstc = true;
	assert_int_equal(vsbi_fast(&av, PC), 1);
	assert_int_equal(seen.deadline, 777);
	cpu_features.sstc = false;

	av.sepc = PC;
	seen.timers = 0;
	static const unsigned long slow[] = {SBI_EXT_DBCN, SBI_EXT_HSM,	   SBI_EXT_SRST,
					     SBI_EXT_IPI,  SBI_EXT_RFENCE, SBI_EXT_LEGACY_PUTCHAR,
					     0x12345678};
	for (size_t i = 0; i < ARRAY_SIZE(slow); i++) {
		av.gpr[REG_A7] = slow[i];
		assert_int_equal(vsbi_fast(&av, PC), 0);
	}
	assert_int_equal(av.sepc, PC);
	nothing_called();
}

/* The leaf path answers BASE's constants and probe_extension, in its own
 * return registers (error, value), touching nothing of the vCPU but the
 * call count; everything else goes on to the next path untouched. */
static void leaf_path(void **state)
{
	static const struct {
		unsigned long fid, a0, value;
	} answered[] = {
	    {SBI_BASE_GET_SPEC_VERSION, 0, 0x02000000},
	    {SBI_BASE_GET_IMPL_ID, 0, VSBI_IMPL_ID},
	    {SBI_BASE_GET_IMPL_VERSION, 0, VSBI_IMPL_VERSION},
	    {SBI_BASE_GET_MVENDORID, 0, 0},
	    {SBI_BASE_GET_MARCHID, 0, 0},
	    {SBI_BASE_GET_MIMPID, 0, 0},
	    {SBI_BASE_PROBE_EXT, SBI_EXT_TIME, 1},
	    {SBI_BASE_PROBE_EXT, 0x12345678, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(answered); i++) {
		av.sepc = 0;
		av.gpr[REG_A0] = answered[i].a0;
		av.gpr[REG_A1] = 0xdead;
		av.gpr[REG_A7] = SBI_EXT_BASE;
		av.gpr[REG_A6] = answered[i].fid;
		vsbi_leaf_ret r = vsbi_leaf(&av);
		assert_int_equal((long)(uint64_t)r, SBI_SUCCESS);
		assert_int_equal((uint64_t)(r >> 64), answered[i].value);
		assert_int_equal(av.gpr[REG_A1], 0xdead);
		assert_int_equal(av.sepc, 0);
	}
	assert_int_equal(vm.vcpus[0].stats.traps[VCPU_TRAP_SBI], ARRAY_SIZE(answered));

	static const unsigned long other[][2] = {
	    {SBI_EXT_BASE, 99},		 {SBI_EXT_TIME, 0}, {SBI_EXT_DBCN, 0},
	    {SBI_EXT_LEGACY_PUTCHAR, 0}, {0x12345678, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(other); i++) {
		av.gpr[REG_A7] = other[i][0];
		av.gpr[REG_A6] = other[i][1];
		assert_int_not_equal((long)(uint64_t)vsbi_leaf(&av), SBI_SUCCESS);
	}
	assert_int_equal(vm.vcpus[0].stats.traps[VCPU_TRAP_SBI], ARRAY_SIZE(answered));
	nothing_called();
}

/* set_timer on the leaf path (Sstc only) must leave the vCPU as the
 * dispatcher's path does: the same host deadline, vstimecmp loaded. */
static void leaf_set_timer_matches_slow_path(void **state)
{
	static const uint64_t deadlines[] = {0, 12345, UINT64_MAX - 100, UINT64_MAX};

	(void)state;
	vm.time_base = 1000;
	for (size_t i = 0; i < ARRAY_SIZE(deadlines); i++) {
		av.gpr[REG_A7] = SBI_EXT_TIME;
		av.gpr[REG_A6] = 0;
		av.gpr[REG_A0] = deadlines[i];
		cpu_features.sstc = false;
		assert_int_not_equal((long)(uint64_t)vsbi_leaf(&av), SBI_SUCCESS);
		cpu_features.sstc = true;
		vm.vcpus[0].timer_deadline = 7;
		vsbi_leaf_ret r = vsbi_leaf(&av);
		assert_int_equal((long)(uint64_t)r, SBI_SUCCESS);
		assert_int_equal((uint64_t)(r >> 64), 0);
		uint64_t leaf = vm.vcpus[0].timer_deadline;
		assert_int_equal(av.vstimecmp, deadlines[i]);

		vm.vcpus[0].timer_deadline = 7;
		ecall(SBI_EXT_TIME, 0, deadlines[i], 0, 0);
		expect_ret(SBI_SUCCESS, 0);
		assert_int_equal(vm.vcpus[0].timer_deadline, leaf);
		assert_int_equal(seen.deadline, deadlines[i]);
	}
	assert_int_equal(vm.vcpus[0].timer_deadline, UINT64_MAX);
	cpu_features.sstc = false;
}

/* probe_extension answers from a list of its own (the leaf path cannot
 * call vsbi_find()): it must say yes exactly for the extensions the
 * dispatcher has. Every id in and around each extension's range, and the
 * whole legacy range. */
static void probe_list_matches_table(void **state)
{
	static const unsigned long ids[] = {
	    SBI_EXT_BASE,	 SBI_EXT_TIME,
	    SBI_EXT_IPI,	 SBI_EXT_RFENCE,
	    SBI_EXT_HSM,	 SBI_EXT_SRST,
	    SBI_EXT_DBCN,	 SEPTA_CHAN_EID,
	    0x12345678,		 ~0UL,
	    0x0A000000,		 0x504D55 /* PMU */,
	    0x535553 /* SUSP */, 0x43505043 /* CPPC */,
	};

	(void)state;
	for (unsigned long id = 0; id < 0x20; id++)
		assert_int_equal(vsbi_ext_offered(id), vsbi_find(id) != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		for (long d = -1; d <= 1; d++)
			assert_int_equal(vsbi_ext_offered(ids[i] + (unsigned long)d),
					 vsbi_find(ids[i] + (unsigned long)d) != NULL);
}

/* The doorbell passes a0/a1 through as (channel, member) and core's
 * refusal back as an SBI error; other fids are not supported. */
static void chan_doorbell(void **state)
{
	(void)state;
	rings = 0;
	ecall(SEPTA_CHAN_EID, 0, 2, 1, 0);
	expect_ret(SBI_SUCCESS, 0);
	assert_int_equal(rings, 1);
	assert_int_equal(rung_chan, 2);
	assert_int_equal(rung_member, 1);
	ecall(SEPTA_CHAN_EID, 0, 7, 0, 0);
	expect_ret(SBI_ERR_DENIED, 0);
	ecall(SEPTA_CHAN_EID, 1, 0, 0, 0);
	expect_ret(SBI_ERR_NOT_SUPPORTED, 0);
	assert_int_equal(rings, 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(base_versions_and_ids),
	    T(base_probe),
	    T(unknown_extension),
	    T(unknown_function),
	    T(time_set_timer),
	    T(dbcn_write_in_ram),
	    T(dbcn_write_bad_buffer),
	    T(dbcn_read_and_write_byte),
	    T(srst),
	    T(hsm_get_status),
	    T(hsm_start),
	    T(ipi_masks),
	    T(chan_doorbell),
	    T(rfence),
	    T(rfence_bounded),
	    T(hsm_start_from_old_run),
	    T(hsm_suspend_resumes_at_once),
	    T(fast_path),
	    T(leaf_path),
	    T(probe_list_matches_table),
	    T(leaf_set_timer_matches_slow_path),
	    T(legacy_calls),
	    T(legacy_unoffered_keeps_a1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
