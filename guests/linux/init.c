/* /init of the Linux guest's initramfs: mounts the basics, then runs the
 * checks named by words on the kernel command line and prints one line each. */
#define _GNU_SOURCE /* sigabbrev_np */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/rtc.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The words /init acts on, in the order it runs them. Other words on the
 * command line are the kernel's own, and ignored here. */
static const char *const checks[] = {"uptime", "harts", "timers", "input",  "traps",   "rtc",
				     "disk",   "rng",	"chan",	  "reboot", "poweroff"};
#define NCHECKS (sizeof checks / sizeof checks[0])

#define TIMER_WAIT_MS 1000
/* A wait measured two ways may differ by the timer's granularity and the
 * time between the two reads, never by more. */
#define TIMER_SLACK_MS 20
/* A child that should die at once but has not after this long is stuck. */
#define TRAP_TIMEOUT_S 5
/* The chan word's messages each way, and the ring's slots: as the
 * bare-metal chan guest's (guests/chan/main.c), the other member. */
#define CHAN_MESSAGES  1000u
#define CHAN_SLOTS     32u
#define CHAN_GIVE_UP_S 60

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("init: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Mounts that are already there (EBUSY) are fine: the kernel may have
 * mounted devtmpfs itself. */
static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		say("cannot mount %s on %s: %s", type, dir, strerror(errno));
}

/* fds 0, 1 and 2 on the console, whatever the kernel handed us. */
static void open_console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return; /* keep what the kernel gave us, if anything */
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* Marks in want[] the checks named in /proc/cmdline. Reading the file,
 * rather than argv, sees every word whatever the kernel kept for itself. */
static void read_cmdline(int *want)
{
	char buf[1024];
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(buf, sizeof buf, f)) {
		say("cannot read /proc/cmdline");
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	for (char *save, *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		for (unsigned i = 0; i < NCHECKS; i++)
			if (!strcmp(w, checks[i]))
				want[i] = 1;
}

static void check_harts(void)
{
	say("harts %ld", sysconf(_SC_NPROCESSORS_ONLN));
}

/* Up to n bytes of a file, or -1. */
static ssize_t read_some(const char *path, void *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t got = fd < 0 ? -1 : read(fd, buf, n);

	if (fd >= 0)
		close(fd);
	return got;
}

/* The big-endian 32-bit cell of a device tree property file; -1 when
 * there is none. */
static long cell_at(const char *full)
{
	unsigned char b[4];

	if (read_some(full, b, sizeof b) != 4)
		return -1;
	return (long)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

/* The same for a path under /sys/firmware/devicetree/base. */
static long dt_cell(const char *path)
{
	char full[256];

	snprintf(full, sizeof full, "/sys/firmware/devicetree/base/%s", path);
	return cell_at(full);
}

/* The timebase from the device tree. */
static uint64_t timebase_hz(void)
{
	long hz = dt_cell("cpus/timebase-frequency");

	return hz < 0 ? 0 : (uint64_t)hz;
}

static sigjmp_buf trap_jmp;

static void on_sigill(int sig)
{
	siglongjmp(trap_jmp, sig);
}

static uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* The kernel's clock through the system call itself, so that a vDSO which
 * reads the time CSR cannot hide the difference between the two. */
static uint64_t mono_ns(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void check_timers(void)
{
	uint64_t hz = timebase_hz(), t0, t1, n0, n1;
	struct sigaction sa = {.sa_handler = on_sigill}, old;
	struct timespec wait = {TIMER_WAIT_MS / 1000, (TIMER_WAIT_MS % 1000) * 1000000L};

	if (!hz) {
		say("timers no timebase-frequency in the device tree FAIL");
		return;
	}
	sigaction(SIGILL, &sa, &old);
	if (sigsetjmp(trap_jmp, 1)) {
		sigaction(SIGILL, &old, NULL);
		say("timers rdtime in user mode raised SIGILL FAIL");
		return;
	}
	n0 = mono_ns();
	t0 = rdtime();
	nanosleep(&wait, NULL);
	n1 = mono_ns();
	t1 = rdtime();
	sigaction(SIGILL, &old, NULL);

	uint64_t mono_ms = (n1 - n0) / 1000000u, time_ms = (t1 - t0) * 1000u / hz;
	uint64_t diff = mono_ms > time_ms ? mono_ms - time_ms : time_ms - mono_ms;
	int ok = diff <= TIMER_SLACK_MS && mono_ms >= TIMER_WAIT_MS;

	say("timers monotonic %llu ms rdtime %llu ms at %llu Hz %s", (unsigned long long)mono_ms,
	    (unsigned long long)time_ms, (unsigned long long)hz, ok ? "ok" : "FAIL");
}

/* One line from the console, without its end of line; 0 at end of file. */
static int read_line(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return 0;
	buf[strcspn(buf, "\r\n")] = 0;
	return 1;
}

static void check_input(void)
{
	char line[256];

	say("input: type a line");
	if (read_line(line, sizeof line))
		say("got '%s'", line);
	else
		say("input: end of file FAIL");
}

/* What each trap child runs in user mode; every one must die of SIGILL. */
static void trap_illegal(void)
{
	__asm__ volatile(".4byte 0x00000000"); /* all zeros: defined illegal */
}

static void trap_wfi(void)
{
	__asm__ volatile("wfi");
}

static void trap_csr(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, sstatus" : "=r"(v));
	(void)v;
}

static int run_trap(const char *name, void (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		say("trap %s cannot fork: %s FAIL", name, strerror(errno));
		return 0;
	}
	if (pid == 0) {
		alarm(TRAP_TIMEOUT_S); /* a trap that hangs shows up as SIGALRM */
		fn();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		say("trap %s waitpid: %s FAIL", name, strerror(errno));
		return 0;
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *abbrev = sigabbrev_np(sig);

		say("trap %s SIG%s %s", name, abbrev ? abbrev : "?", sig == SIGILL ? "ok" : "FAIL");
		return sig == SIGILL;
	}
	say("trap %s exit %d FAIL", name, WEXITSTATUS(status));
	return 0;
}

static void check_traps(void)
{
	int ok = run_trap("illegal", trap_illegal);

	ok &= run_trap("wfi", trap_wfi);
	ok &= run_trap("csr", trap_csr);
	say("traps %s", ok ? "ok" : "FAIL");
}

/* /chosen/septa,restarts from the device tree septa gave us: how many
 * times this guest has been started again (0 on the first boot). */
static unsigned restarts(void)
{
	unsigned char b[4];
	int fd = open("/sys/firmware/devicetree/base/chosen/septa,restarts", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, b, sizeof b) : -1;

	if (fd >= 0)
		close(fd);
	return n == 4 ? (unsigned)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : 0;
}

/* Only the first boot reboots: the one after it says it came back and goes
 * on, or the checklist would reboot for ever. */
static void check_reboot(void)
{
	unsigned n = restarts();

	if (n) {
		say("rebooted: septa restart %u", n);
		return;
	}
	say("reboot");
	sync();
	reboot(RB_AUTOBOOT);
	say("reboot returned: %s FAIL", strerror(errno));
}

static void check_poweroff(void)
{
	say("poweroff");
	sync();
	reboot(RB_POWER_OFF);
	say("poweroff returned: %s FAIL", strerror(errno));
}

/* The count of interrupts /proc/interrupts shows for the line whose name
 * holds `name` (summed over the CPUs), and in *irq its number on the
 * interrupt controller (the PLIC source, after the chip's name; the first
 * column is Linux's own numbering); -1 when there is no such line. */
static long irq_count(const char *name, int *irq)
{
	char buf[512];
	long total = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && total < 0 && fgets(buf, sizeof buf, f)) {
		char *p = buf, *end;

		if (!strstr(buf, name) || (*irq = (int)strtol(p, &end, 10), *end != ':'))
			continue;
		total = 0;
		for (p = end + 1;; p = end) {
			long n = strtol(p, &end, 10);

			if (end == p)
				break;
			total += n;
		}
		p += strcspn(p, "0123456789\n");
		*irq = (int)strtol(p, NULL, 10);
	}
	if (f)
		fclose(f);
	return total;
}

/* The goldfish RTC granted to this guest: an alarm a second ahead must
 * come back as its interrupt (read() on /dev/rtc0 waits for it). */
static void check_rtc(void)
{
	struct rtc_wkalrm alarm = {.enabled = 1};
	struct rtc_time now;
	unsigned long data;
	int irq = 0, fd = open("/dev/rtc0", O_RDONLY);
	long before = irq_count("rtc", &irq);

	say("rtc: device tree interrupts %ld", dt_cell("soc/rtc@101000/interrupts"));
	if (fd < 0 || ioctl(fd, RTC_RD_TIME, &now)) {
		say("rtc: cannot read /dev/rtc0: %s FAIL", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	time_t t = timegm(&(struct tm){.tm_sec = now.tm_sec,
				       .tm_min = now.tm_min,
				       .tm_hour = now.tm_hour,
				       .tm_mday = now.tm_mday,
				       .tm_mon = now.tm_mon,
				       .tm_year = now.tm_year}) +
		   2;
	struct tm *due = gmtime(&t);
	alarm.time = (struct rtc_time){.tm_sec = due->tm_sec,
				       .tm_min = due->tm_min,
				       .tm_hour = due->tm_hour,
				       .tm_mday = due->tm_mday,
				       .tm_mon = due->tm_mon,
				       .tm_year = due->tm_year};
	uint64_t t0 = mono_ns();
	if (ioctl(fd, RTC_WKALM_SET, &alarm) || read(fd, &data, sizeof data) != sizeof data) {
		say("rtc: alarm: %s FAIL", strerror(errno));
		close(fd);
		return;
	}
	uint64_t ms = (mono_ns() - t0) / 1000000;
	long after = irq_count("rtc", &irq);
	say("rtc: alarm after %llu ms, interrupt %d count %ld -> %ld %s", (unsigned long long)ms,
	    irq, before, after, after > before && before >= 0 ? "ok" : "FAIL");
	close(fd);
}

/* A virtio disk granted to this guest, which the test wrote beforehand:
 * its first line, a checksum of its first 64 KiB (FNV-1a), and the
 * interrupts its reads took. */
static void check_disk(void)
{
	static unsigned char buf[65536];
	int irq = 0, fd = open("/dev/vda", O_RDONLY);
	ssize_t got = 0, n;
	uint32_t h = 2166136261u;

	if (fd < 0) {
		say("disk: cannot open /dev/vda: %s FAIL", strerror(errno));
		return;
	}
	while (got < (ssize_t)sizeof buf && (n = read(fd, buf + got, sizeof buf - got)) > 0)
		got += n;
	close(fd);
	for (ssize_t i = 0; i < got; i++)
		h = (h ^ buf[i]) * 16777619u;
	char *nl = memchr(buf, '\n', got > 80 ? 80 : (size_t)got);
	if (nl)
		*nl = 0;
	/* Its virtio device (virtio0, under the transport's directory)
	 * names its line in /proc/interrupts. */
	char slot[PATH_MAX] = "virtio";
	if (realpath("/sys/block/vda/device", slot) && strrchr(slot, '/'))
		memmove(slot, strrchr(slot, '/') + 1, strlen(strrchr(slot, '/')));
	long count = irq_count(slot, &irq);
	say("disk: vda %zd bytes fnv %08x first line '%s'", got, h, nl ? (char *)buf : "");
	/* The disk's own device tree node: the virtio-mmio slot under it. */
	say("disk: device tree interrupts %ld, /proc/interrupts source %d count %ld",
	    cell_at("/sys/block/vda/device/../of_node/interrupts"), irq, count);
}

/* A virtio entropy device: /dev/hwrng gives bytes. */
static void check_rng(void)
{
	unsigned char b[16];
	ssize_t n = read_some("/dev/hwrng", b, sizeof b);

	say("rng: %zd bytes from /dev/hwrng %s", n, n == (ssize_t)sizeof b ? "ok" : "FAIL");
}

/* The chan guest's ring (guests/chan/main.c): member m produces into the
 * ring at m * size / 2, head written by the producer only, tail by the
 * consumer only, each on its own cache line. */
struct chan_msg {
	uint32_t seq, check;
};
struct chan_ring {
	uint32_t head, pad0[15];
	uint32_t tail, pad1[15];
	struct chan_msg slot[CHAN_SLOTS];
};

static uint32_t chan_check_of(uint32_t seq)
{
	return seq * 2654435761u ^ 0x5e9a;
}

/* The 64-bit value of two cells of a device tree property file. */
static uint64_t cells64_at(const char *path, int idx)
{
	unsigned char b[16];
	uint64_t v = 0;

	if (read_some(path, b, sizeof b) != (ssize_t)sizeof b)
		return 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[8 * idx + i];
	return v;
}

/* Moves what it can both ways; 1 when something moved, -1 on a broken
 * message. Acquire on the other side's index, release on ours, so the
 * slots are read after they were written and freed after they were read. */
static int chan_step(struct chan_ring *out, struct chan_ring *in, uint32_t *sent, uint32_t *got)
{
	int moved = 0;

	while (*sent < CHAN_MESSAGES &&
	       *sent - __atomic_load_n(&out->tail, __ATOMIC_ACQUIRE) < CHAN_SLOTS) {
		uint32_t seq = ++*sent;

		out->slot[(seq - 1) % CHAN_SLOTS] = (struct chan_msg){seq, chan_check_of(seq)};
		__atomic_store_n(&out->head, seq, __ATOMIC_RELEASE);
		moved = 1;
	}
	while (*got != __atomic_load_n(&in->head, __ATOMIC_ACQUIRE)) {
		struct chan_msg m = in->slot[*got % CHAN_SLOTS];

		if (m.seq != *got + 1 || m.check != chan_check_of(m.seq)) {
			say("chan: message %u out of order or broken: seq %u check 0x%x FAIL",
			    *got + 1, m.seq, m.check);
			return -1;
		}
		__atomic_store_n(&in->tail, ++*got, __ATOMIC_RELEASE);
		moved = 1;
	}
	return moved;
}

/* A septa channel from user space: its node's reg through /dev/mem, and
 * the chan guest's messages both ways, polling (a doorbell needs an SBI
 * call, which user space cannot make). */
static void check_chan(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	glob_t g;

	if (glob("/sys/firmware/devicetree/base/soc/channel@*", 0, NULL, &g) || g.gl_pathc < 1) {
		say("chan: no channel in my device tree FAIL");
		return;
	}
	snprintf(dir, sizeof dir, "%s", g.gl_pathv[0]);
	globfree(&g);
	snprintf(path, sizeof path, "%s/reg", dir);
	uint64_t base = cells64_at(path, 0), size = cells64_at(path, 1);
	snprintf(path, sizeof path, "%s/septa,member", dir);
	long me = cell_at(path);
	snprintf(path, sizeof path, "%s/septa,members", dir);
	long members = cell_at(path);
	say("chan: %s at 0x%llx size 0x%llx member %ld of %ld", strrchr(dir, '/') + 1,
	    (unsigned long long)base, (unsigned long long)size, me, members);
	if (members != 2 || me < 0 || me > 1 || size < 2 * sizeof(struct chan_ring)) {
		say("chan: need a channel of two members FAIL");
		return;
	}
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	void *p = fd < 0 ? MAP_FAILED
			 : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	if (p == MAP_FAILED) {
		say("chan: cannot map it through /dev/mem: %s FAIL", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	struct chan_ring *out = (struct chan_ring *)((char *)p + me * (size / 2));
	struct chan_ring *in = (struct chan_ring *)((char *)p + (1 - me) * (size / 2));
	uint32_t sent = 0, got = 0;
	time_t give_up = time(NULL) + CHAN_GIVE_UP_S;
	int r = 0;

	while ((sent < CHAN_MESSAGES || got < CHAN_MESSAGES) && r >= 0 && time(NULL) < give_up)
		r = chan_step(out, in, &sent, &got);
	say("chan: sent %u, received %u in order %s", sent, got,
	    sent == CHAN_MESSAGES && got == CHAN_MESSAGES ? "ok" : "FAIL");
	munmap(p, size);
	close(fd);
}

/* rdtime when /init began: the guest's time since it was started (under
 * septa) or since the machine was (natively), for make bench's boot row. */
static uint64_t started;

static struct timespec started_boot;

/* Both clocks: rdtime counts from our entry under septa but from the
 * machine's reset natively (the firmware's start included); BOOTTIME
 * counts from the kernel's own clock start on both. */
static void check_uptime(void)
{
	say("uptime %llu ticks at %llu Hz, boottime %llu us", (unsigned long long)started,
	    (unsigned long long)timebase_hz(),
	    (unsigned long long)started_boot.tv_sec * 1000000 +
		(unsigned long long)started_boot.tv_nsec / 1000);
}

static void (*const runs[])(void) = {check_uptime, check_harts,	 check_timers,	check_input,
				     check_traps,  check_rtc,	 check_disk,	check_rng,
				     check_chan,   check_reboot, check_poweroff};

int main(void)
{
	int want[NCHECKS] = {0};
	char words[128] = "";
	char line[256];

	started = rdtime();
	clock_gettime(CLOCK_BOOTTIME, &started_boot);
	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	mount_one("devtmpfs", "/dev", "devtmpfs");
	open_console();
	read_cmdline(want);
	for (unsigned i = 0; i < NCHECKS; i++)
		if (want[i]) {
			strcat(words, " ");
			strcat(words, checks[i]);
		}
	say("septa linux checklist:%s", words[0] ? words : " (none)");
	for (unsigned i = 0; i < NCHECKS; i++)
		if (want[i])
			runs[i]();
	say("done");
	/* pid 1 must never exit: echo what is typed, so the console stays
	 * something to talk to. */
	for (;;) {
		if (read_line(line, sizeof line))
			say("got '%s'", line);
		else
			pause();
	}
}
