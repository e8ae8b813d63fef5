/* Config text -> model: comments, sections, key = value lines and each
 * value on its own. Rules that span keys live in cfg_check.c. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cfg_model.h"

#define LINE_MAX_LEN 512

#define GLOBAL_KEYS "platform, harts, ram, timeslice"
#define GUEST_KEYS                                                                                 \
	"image, memory, vcpus, harts, color, timeslice, console, on-fault, restart-limit, "        \
	"restart-delay, restart-window, fault-dump, bootargs, devices, initrd, disk, rng"
#define CHANNEL_KEYS "size, members, writers, address, interrupt"
#define SIZE_HINT    "write bytes or a number with K, M or G (e.g. 16M, 0x100000)"
#define TIME_HINT    "write a number with us, ms or s (e.g. 10ms)"
#define NUM_HINT     "write a decimal or 0x hex number"

/* Limits that are policy, not hardware: generous, but they catch typos. */
#define RAM_MIN		      (16 * CFG_MIB)
#define RAM_MAX		      (64 * CFG_GIB)
#define SLICE_MIN_US	      100u
#define SLICE_MAX_US	      10000000u
#define MEM_MAX		      RAM_MAX /* one guest can never need more than the largest machine */
#define RESTART_LIMIT_MAX     1000u
#define RESTART_DELAY_MAX_US  10000000u
#define RESTART_WINDOW_MAX_US 3600000000ull

struct parse {
	struct cfg_model *m;
	struct cfg_guest_model *g;   /* the open [guest] section, or NULL */
	struct cfg_channel_model *c; /* the open [channel] section, or NULL */
	struct cfg_diag *d;
	int line;
};

static const struct {
	const char *name, *sgr;
} colors[] = {
    {"black", "30"},	    {"red", "31"},
    {"green", "32"},	    {"yellow", "33"},
    {"blue", "34"},	    {"magenta", "35"},
    {"cyan", "36"},	    {"white", "37"},
    {"bright-black", "90"}, {"bright-red", "91"},
    {"bright-green", "92"}, {"bright-yellow", "93"},
    {"bright-blue", "94"},  {"bright-magenta", "95"},
    {"bright-cyan", "96"},  {"bright-white", "97"},
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int fail(struct parse *p, const char *fmt, const char *a, const char *b)
{
	return cfg_fail(p->d, p->m->path, p->line, fmt, a, b);
}

static const char *where(struct parse *p, char *buf, size_t n)
{
	if (p->g)
		snprintf(buf, n, "[guest %s]", p->g->name);
	else
		snprintf(buf, n, "the global section");
	return buf;
}

/* A key may be set once per section; *seen is its line, 0 if not yet set. */
static int once(struct parse *p, int *seen, const char *key)
{
	char w[48];

	if (*seen)
		return cfg_fail(p->d, p->m->path, p->line,
				"duplicate key '%s' in %s (first set on line %d); keep one of them",
				key, where(p, w, sizeof w), *seen);
	*seen = p->line;
	return 0;
}

static int range_u32(struct parse *p, const char *key, const char *val, uint32_t lo, uint32_t hi,
		     uint32_t *out)
{
	uint64_t v;

	if (cfg_parse_u64(val, &v))
		return cfg_fail(p->d, p->m->path, p->line, "bad number '%s' for %s; %s", val, key,
				NUM_HINT);
	if (v < lo || v > hi)
		return cfg_fail(p->d, p->m->path, p->line,
				"value out of range: %s = %s; use %u to %u", key, val, lo, hi);
	*out = (uint32_t)v;
	return 0;
}

static int timeslice(struct parse *p, const char *val, uint32_t *out)
{
	uint64_t us;

	if (cfg_parse_time_us(val, &us))
		return fail(p, "bad time '%s' for timeslice; %s", val, TIME_HINT);
	if (us < SLICE_MIN_US || us > SLICE_MAX_US)
		return fail(p, "value out of range: timeslice = %s; use 100us to 10s", val, NULL);
	*out = (uint32_t)us;
	return 0;
}

/* platform = qemu-virt, the only one. */
static int set_platform(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_model *m = obj;

	(void)key;
	if (strcmp(val, BOARD_NAME))
		return fail(p, "unknown platform '%s'; the only platform is %s", val, BOARD_NAME);
	snprintf(m->platform, sizeof m->platform, "%s", val);
	return 0;
}

/* ram = SIZE, whole MiB because QEMU's -m takes MiB. */
static int set_ram(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_model *m = obj;
	uint64_t v;

	(void)key;
	if (cfg_parse_size(val, &v))
		return fail(p, "bad size '%s' for ram; %s", val, SIZE_HINT);
	if (v < RAM_MIN || v > RAM_MAX)
		return fail(p, "value out of range: ram = %s; use 16M to 64G", val, NULL);
	if (v % CFG_MIB)
		return fail(p,
			    "ram = %s is not a whole number of MiB; QEMU's -m takes MiB, "
			    "e.g. ram = 512M",
			    val, NULL);
	m->ram_size = v;
	return 0;
}

/* memory = SIZE [@ HOSTADDR [identity]] */
static int set_memory(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_guest_model *g = obj;
	char *at = strchr(val, '@');
	char *size = val, *addr = NULL, *word;
	uint64_t v;

	(void)key;
	if (at) {
		*at = 0;
		size = trim(val);
		addr = trim(at + 1);
		/* A word after the address: identity is the only one. */
		if ((word = strpbrk(addr, " \t"))) {
			*word = 0;
			word = trim(word + 1);
			if (strcmp(word, "identity"))
				return fail(p,
					    "unexpected '%s' after the address in memory; the only "
					    "word allowed there is identity (memory = %s @ ADDR "
					    "identity)",
					    word, size);
			g->identity = true;
		}
	} else if ((word = strpbrk(val, " \t")) && !strcmp(trim(word), "identity")) {
		*word = 0;
		return fail(p,
			    "memory = %s identity needs a host address: the guest sees its RAM "
			    "where it is; write memory = %s @ 0x90000000 identity",
			    trim(val), trim(val));
	}
	if (cfg_parse_size(size, &v))
		return fail(p, "bad size '%s' for memory; %s; place it with SIZE @ HOSTADDR", size,
			    SIZE_HINT);
	if (v % CFG_PAGE || v < CFG_MIN_GUEST_MEM)
		return fail(p,
			    "memory = %s is not a multiple of 4 KiB of at least 64K; use e.g. 16M",
			    size, NULL);
	if (v > MEM_MAX)
		return fail(p, "value out of range: memory = %s; use 64K to 64G", size, NULL);
	g->mem_size = v;
	if (!addr)
		return 0;
	if (cfg_parse_u64(addr, &v))
		return fail(p,
			    "bad host address '%s' after '@' in memory; %s (e.g. 16M @ 0x90000000)",
			    addr, NUM_HINT);
	if (v % CFG_PAGE) {
		char hint[32];

		snprintf(hint, sizeof hint, "%#llx",
			 (unsigned long long)cfg_align_up(v, CFG_GUEST_ALIGN));
		return fail(p,
			    "memory placed at %s is not 4 KiB aligned; use a 2 MiB aligned address "
			    "such as %s",
			    addr, hint);
	}
	g->fixed = true;
	g->fixed_hpa = v;
	return 0;
}

/* The next item of the comma-separated list at *s, trimmed, moving *s past
 * it; NULL once the list is used up. */
static char *next_item(char **s)
{
	char *item = *s, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma)
		*comma = 0;
	*s = comma ? comma + 1 : NULL;
	return trim(item);
}

/* harts = 0, 1, 1: the physical hart of each vCPU in turn. */
static int set_harts(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_guest_model *g = obj;
	char *s;

	(void)key;
	while ((s = next_item(&val))) {
		uint64_t h;

		if (g->nharts == CFG_MAX_VCPUS)
			return cfg_fail(p->d, p->m->path, p->line,
					"too many harts in the list; a guest has at most %d vCPUs, "
					"one hart each",
					CFG_MAX_VCPUS);
		if (cfg_parse_u64(s, &h))
			return fail(p,
				    "bad hart number '%s' in harts; write a comma-separated list "
				    "such as harts = 0, 1",
				    s, NULL);
		if (h >= CFG_MAX_HARTS)
			return cfg_fail(p->d, p->m->path, p->line,
					"value out of range: hart %s; harts are numbered 0 to %d",
					s, CFG_MAX_HARTS - 1);
		g->harts[g->nharts++] = (uint32_t)h;
	}
	return 0;
}

/* devices = NAME, NAME: board device nodes (as under /soc in the board's
 * device tree); cfg_grant_devices() looks them up. */
static int set_devices(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_guest_model *g = obj;
	char *s;

	(void)key;
	while ((s = next_item(&val))) {
		if (g->ndevices == CFG_MAX_DEVICES)
			return cfg_fail(p->d, p->m->path, p->line,
					"too many devices in the list; a guest may be granted at "
					"most %d",
					CFG_MAX_DEVICES);
		if (!*s || strlen(s) >= CFG_DEV_NAME_MAX ||
		    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789@_-.") != strlen(s))
			return fail(p,
				    "bad device name '%s' in devices; write node names from the "
				    "board's /soc, such as devices = rtc@101000",
				    s, NULL);
		strcpy(g->devices[g->ndevices++], s);
	}
	return 0;
}

static int set_color(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_guest_model *g = obj;

	(void)key;
	for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++) {
		if (!strcmp(val, colors[i].name)) {
			g->color = colors[i].sgr;
			g->color_name = colors[i].name;
			return 0;
		}
	}
	return fail(p,
		    "unknown color '%s'; use black, red, green, yellow, blue, magenta, cyan or "
		    "white, optionally as bright-%s",
		    val, "NAME");
}

/* Keys whose value is one word out of a short list. */
struct word {
	const char *name;
	unsigned value;
};

static int set_word(struct parse *p, const char *key, const char *val, const struct word *w,
		    size_t n, const char *choices, unsigned *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(val, w[i].name)) {
			*out = w[i].value;
			return 0;
		}
	}
	return cfg_fail(p->d, p->m->path, p->line, "unknown %s '%s'; use %s", key, val, choices);
}

static const struct word consoles[] = {
    {"uart", CFG_CONSOLE_UART},
    {"none", CFG_CONSOLE_NONE},
};
static const struct word fault_policies[] = {
    {"stop", CFG_FAULT_STOP},
    {"restart", CFG_FAULT_RESTART},
    {"halt", CFG_FAULT_HALT},
};
static const struct word yes_no[] = {
    {"yes", 1},
    {"no", 0},
};
#define NWORDS(w) (sizeof(w) / sizeof((w)[0]))

/* key = TIME up to max_us, where a bare 0 needs no unit; zero says what 0
 * means and max_text how the limit reads. */
static int time_or_zero(struct parse *p, const char *key, const char *val, uint64_t max_us,
			const char *max_text, const char *zero, uint64_t *us)
{
	if (!strcmp(val, "0"))
		*us = 0;
	else if (cfg_parse_time_us(val, us))
		return cfg_fail(p->d, p->m->path, p->line, "bad time '%s' for %s; %s, or 0 for %s",
				val, key, TIME_HINT, zero);
	if (*us > max_us)
		return cfg_fail(p->d, p->m->path, p->line,
				"value out of range: %s = %s; use 0 to %s", key, val, max_text);
	return 0;
}

/* bootargs = "text" or bootargs = text (the rest of the line). Quotes keep
 * leading and trailing spaces and a '#'; there are no escapes, so the text
 * cannot hold a '"' itself. */
static int set_bootargs(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_guest_model *g = obj;
	size_t n = strlen(val);

	(void)key;
	if (val[0] == '"') {
		const char *close = strchr(val + 1, '"');

		if (!close)
			return fail(p, "bootargs %s has no closing '\"'; write bootargs = \"TEXT\"",
				    val, NULL);
		if (close[1])
			return fail(p, "unexpected '%s' after the closing quote of bootargs; %s",
				    close + 1, "put all of it inside the quotes");
		val++;
		n = (size_t)(close - val);
	} else if (strchr(val, '"')) {
		return fail(p, "bootargs %s holds a '\"'; quote the whole text and leave out %s",
			    val, "the quote characters inside it");
	}
	if (n >= sizeof g->bootargs)
		return cfg_fail(p->d, p->m->path, p->line,
				"bootargs is %zu characters long; use at most %d", n,
				CFG_BOOTARGS_MAX - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)val[i];

		if (c < 0x20 || c > 0x7e)
			return cfg_fail(p->d, p->m->path, p->line,
					"bootargs has a non-printable character (byte %#x at "
					"position %zu); use printable ASCII only",
					c, i + 1);
	}
	memcpy(g->bootargs, val, n);
	g->bootargs[n] = 0;
	return 0;
}

/* image = and initrd = : a name or a path, kept as written. */
static int set_path(struct parse *p, const char *key, const char *val, char out[CFG_PATH_MAX])
{
	if (strlen(val) >= CFG_PATH_MAX)
		return cfg_fail(
		    p->d, p->m->path, p->line,
		    "%s path '%.40s...' is too long; move the file closer to the config", key, val);
	strcpy(out, val);
	return 0;
}

/* disk = PATH [readonly]: a raw image QEMU serves on a virtio-mmio slot.
 * The path goes into QEMU's option list and the run line, where a comma or
 * a space would split it. */
static int set_disk(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_guest_model *g = obj;
	char *word = strpbrk(val, " \t");

	(void)key;
	if (word) {
		*word = 0;
		word = trim(word + 1);
		if (strcmp(word, "readonly"))
			return fail(p,
				    "unexpected '%s' after the disk's path; write disk = PATH, or "
				    "disk = PATH readonly",
				    word, NULL);
		g->disk_ro = true;
	}
	if (strpbrk(val, ",\"'"))
		return fail(p,
			    "disk path '%s' holds a comma or a quote, which QEMU's options cannot "
			    "carry; rename the file",
			    val, NULL);
	return set_path(p, "disk", val, g->disk);
}

static bool good_name(const char *s);

/* members = a, b and writers = a: guest names, checked against the guests
 * by cfg_check_channels() (a guest may come after the channel). */
static int set_names(struct parse *p, const char *key, char *val,
		     char out[CFG_CHAN_MEMBERS][CFG_NAME_MAX], uint32_t *n)
{
	char *s;

	while ((s = next_item(&val))) {
		if (!good_name(s))
			return fail(p,
				    "bad guest name '%s' in %s; write guest names separated by "
				    "commas, such as members = alpha, beta",
				    s, key);
		for (uint32_t i = 0; i < *n; i++)
			if (!strcmp(out[i], s))
				return fail(p, "guest '%s' is named twice in %s; name it once", s,
					    key);
		if (*n == CFG_CHAN_MEMBERS)
			return cfg_fail(p->d, p->m->path, p->line,
					"too many guests in %s; a channel has at most %d members",
					key, CFG_CHAN_MEMBERS);
		strcpy(out[(*n)++], s);
	}
	return 0;
}

static int set_members(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_channel_model *c = obj;

	return set_names(p, key, val, c->members, &c->nmembers);
}

static int set_writers(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_channel_model *c = obj;

	return set_names(p, key, val, c->writers, &c->nwriters);
}

/* A channel's size = SIZE: whole pages, since G-stage maps it, up to 1G. */
static int set_chan_size(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_channel_model *c = obj;

	(void)key;
	if (cfg_parse_size(val, &c->size))
		return fail(p, "bad size '%s' for size; %s", val, SIZE_HINT);
	if (!c->size || c->size % CFG_PAGE || c->size > CFG_GIB)
		return fail(p,
			    "channel size = %s is not a multiple of 4 KiB up to 1G; use "
			    "e.g. size = 8K",
			    val, NULL);
	return 0;
}

/* A channel's address = GPA: page aligned, and below 256 GiB (38 bits), a
 * policy limit well inside Sv39x4's 41-bit guest-physical space. */
static int set_chan_address(struct parse *p, void *obj, const char *key, char *val)
{
	struct cfg_channel_model *c = obj;

	(void)key;
	if (cfg_parse_u64(val, &c->address))
		return fail(p, "bad number '%s' for address; %s", val, NUM_HINT);
	if (c->address % CFG_PAGE || c->address >> 38)
		return fail(p,
			    "channel address = %s is not 4 KiB aligned below 256 GiB; use "
			    "e.g. address = 0xa0000000",
			    val, NULL);
	return 0;
}

/* The keys of each section, one row each. A row names where the value and
 * the line it was set on live (offsets into the section's struct: the
 * model, a guest or a channel) and what kind of value it takes; set_key()
 * does the rest, so each kind's checks and messages exist once. */
enum section { SEC_GLOBAL, SEC_GUEST, SEC_CHANNEL };

enum kind {
	K_U32,	  /* a number in [lo, hi] */
	K_SLICE,  /* timeslice: a time from 100us to 10s */
	K_TIME0,  /* a time up to hi us, or 0 (which means zero) */
	K_PATH,	  /* a name or path, kept as written */
	K_WORD,	  /* one of words; choices lists them for the message */
	K_CUSTOM, /* set() parses it */
};

struct key {
	enum section sec;
	const char *name;
	enum kind kind;
	size_t line;	     /* offset of the int *_line */
	size_t at, size;     /* offset and size of the value */
	uint64_t lo, hi;     /* K_U32's range; K_TIME0's hi */
	const char *choices; /* K_WORD: how the words read; K_TIME0: how hi reads */
	const char *zero;    /* K_TIME0: what 0 means */
	const struct word *words;
	size_t nwords;
	int (*set)(struct parse *p, void *obj, const char *key, char *val);
};

#define AT(type, line_, field)                                                                     \
	.line = offsetof(type, line_), .at = offsetof(type, field),                                \
	.size = sizeof(((type *)0)->field)
#define GLOBAL_AT(line, field)	AT(struct cfg_model, line, field)
#define GLOBAL(field)		GLOBAL_AT(field##_line, field)
#define GUEST_AT(line, field)	AT(struct cfg_guest_model, line, field)
#define GUEST(field)		GUEST_AT(field##_line, field)
#define CHANNEL_AT(line, field) AT(struct cfg_channel_model, line, field)
#define WORDS(w)		.words = (w), .nwords = NWORDS(w)

static const struct key keys[] = {
    {SEC_GLOBAL, "platform", K_CUSTOM, GLOBAL(platform), .set = set_platform},
    {SEC_GLOBAL, "harts", K_U32, GLOBAL(harts), .lo = 1, .hi = CFG_MAX_HARTS},
    {SEC_GLOBAL, "ram", K_CUSTOM, GLOBAL_AT(ram_line, ram_size), .set = set_ram},
    {SEC_GLOBAL, "timeslice", K_SLICE, GLOBAL_AT(timeslice_line, timeslice_us)},

    {SEC_GUEST, "image", K_PATH, GUEST(image)},
    {SEC_GUEST, "initrd", K_PATH, GUEST(initrd)},
    {SEC_GUEST, "memory", K_CUSTOM, GUEST_AT(mem_line, mem_size), .set = set_memory},
    {SEC_GUEST, "vcpus", K_U32, GUEST_AT(vcpus_line, nvcpus), .lo = 1, .hi = CFG_MAX_VCPUS},
    {SEC_GUEST, "harts", K_CUSTOM, GUEST(harts), .set = set_harts},
    {SEC_GUEST, "devices", K_CUSTOM, GUEST(devices), .set = set_devices},
    {SEC_GUEST, "color", K_CUSTOM, GUEST(color), .set = set_color},
    {SEC_GUEST, "timeslice", K_SLICE, GUEST_AT(timeslice_line, timeslice_us)},
    {SEC_GUEST, "console", K_WORD, GUEST(console),
     .choices = "uart (a virtual 16550 UART) or none (output dropped)", WORDS(consoles)},
    {SEC_GUEST, "on-fault", K_WORD, GUEST(on_fault),
     .choices = "stop (this guest only), restart or halt (the whole machine)",
     WORDS(fault_policies)},
    {SEC_GUEST, "restart-limit", K_U32, GUEST(restart_limit), .lo = 0, .hi = RESTART_LIMIT_MAX},
    {SEC_GUEST, "restart-delay", K_TIME0, GUEST_AT(restart_delay_line, restart_delay_us),
     .hi = RESTART_DELAY_MAX_US, .choices = "10s", .zero = "no back-off"},
    {SEC_GUEST, "restart-window", K_TIME0, GUEST_AT(restart_window_line, restart_window_us),
     .hi = RESTART_WINDOW_MAX_US, .choices = "3600s", .zero = "never"},
    {SEC_GUEST, "fault-dump", K_WORD, GUEST(fault_dump), .choices = "yes or no", WORDS(yes_no)},
    {SEC_GUEST, "bootargs", K_CUSTOM, GUEST(bootargs), .set = set_bootargs},
    {SEC_GUEST, "disk", K_CUSTOM, GUEST(disk), .set = set_disk},
    {SEC_GUEST, "rng", K_WORD, GUEST(rng), .choices = "yes or no", WORDS(yes_no)},

    {SEC_CHANNEL, "size", K_CUSTOM, CHANNEL_AT(size_line, size), .set = set_chan_size},
    {SEC_CHANNEL, "members", K_CUSTOM, CHANNEL_AT(members_line, members), .set = set_members},
    {SEC_CHANNEL, "writers", K_CUSTOM, CHANNEL_AT(writers_line, writers), .set = set_writers},
    {SEC_CHANNEL, "address", K_CUSTOM, CHANNEL_AT(address_line, address), .set = set_chan_address},
    {SEC_CHANNEL, "interrupt", K_U32, CHANNEL_AT(irq_line, irq), .lo = 1, .hi = CFG_VPLIC_NDEV},
};

/* Stores v into a value of size bytes: bool, uint32_t or uint64_t (and the
 * enums, which are int-sized). */
static void store(void *at, size_t size, uint64_t v)
{
	if (size == sizeof(bool))
		*(bool *)at = v;
	else if (size == sizeof(uint32_t))
		*(uint32_t *)at = (uint32_t)v;
	else
		*(uint64_t *)at = v;
}

/* Sets one key of the row k in obj, the open section's struct. */
static int set_key(struct parse *p, const struct key *k, void *obj, char *val)
{
	char *base = obj;
	uint32_t u32 = 0;
	uint64_t v = 0;
	unsigned w = 0;

	if (once(p, (int *)(base + k->line), k->name))
		return -1;
	switch (k->kind) {
	case K_U32:
		if (range_u32(p, k->name, val, (uint32_t)k->lo, (uint32_t)k->hi, &u32))
			return -1;
		store(base + k->at, k->size, u32);
		return 0;
	case K_SLICE:
		return timeslice(p, val, (uint32_t *)(base + k->at));
	case K_TIME0:
		if (time_or_zero(p, k->name, val, k->hi, k->choices, k->zero, &v))
			return -1;
		store(base + k->at, k->size, v);
		return 0;
	case K_PATH:
		return set_path(p, k->name, val, base + k->at);
	case K_WORD:
		if (set_word(p, k->name, val, k->words, k->nwords, k->choices, &w))
			return -1;
		store(base + k->at, k->size, w);
		return 0;
	case K_CUSTOM:
		break;
	}
	return k->set(p, obj, k->name, val);
}

static const struct key *find_key(enum section sec, const char *name)
{
	for (size_t i = 0; i < NWORDS(keys); i++)
		if (keys[i].sec == sec && !strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* key = value in the open section: its row, or why there is none. */
static int set_any(struct parse *p, const char *key, char *val)
{
	enum section sec = p->c ? SEC_CHANNEL : p->g ? SEC_GUEST : SEC_GLOBAL;
	void *obj = p->c ? (void *)p->c : p->g ? (void *)p->g : (void *)p->m;
	const struct key *k = find_key(sec, key);

	if (k)
		return set_key(p, k, obj, val);
	if (sec == SEC_CHANNEL)
		return cfg_fail(p->d, p->m->path, p->line,
				"unknown key '%s' in [channel %s]; known keys are " CHANNEL_KEYS,
				key, p->c->name);
	if (sec == SEC_GLOBAL)
		return fail(p,
			    "unknown key '%s' in the global section; known keys are " GLOBAL_KEYS,
			    key, NULL);
	if (!strcmp(key, "platform") || !strcmp(key, "ram"))
		return cfg_fail(p->d, p->m->path, p->line,
				"unknown key '%s' in [guest %s]; known keys are " GUEST_KEYS
				" (global keys such as %s go before the first [guest])",
				key, p->g->name, key);
	return cfg_fail(p->d, p->m->path, p->line,
			"unknown key '%s' in [guest %s]; known keys are " GUEST_KEYS, key,
			p->g->name);
}

static bool good_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n >= CFG_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

/* [channel NAME] */
static int channel_section(struct parse *p, char *name)
{
	struct cfg_model *m = p->m;

	if (!good_name(name))
		return fail(p, "bad channel name '%s'; use 1 to 15 letters, digits, '-' or '_'",
			    name, NULL);
	for (uint32_t i = 0; i < m->nchannels; i++)
		if (!strcmp(m->channels[i].name, name))
			return cfg_fail(p->d, m->path, p->line,
					"two channels named '%s' (the first on line %d); give each "
					"channel its own name",
					name, m->channels[i].line);
	if (m->nchannels == CFG_MAX_CHANNELS)
		return cfg_fail(p->d, m->path, p->line,
				"too many channels: at most %d; remove [channel %s] or another one",
				CFG_MAX_CHANNELS, name);
	p->g = NULL;
	p->c = &m->channels[m->nchannels++];
	strcpy(p->c->name, name);
	p->c->line = p->line;
	return 0;
}

static bool is_section(const char *inner, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(inner, word, n) && (!inner[n] || isspace((unsigned char)inner[n]));
}

/* [guest NAME] or [channel NAME] */
static int section(struct parse *p, char *s)
{
	struct cfg_model *m = p->m;
	size_t n = strlen(s);
	char *inner, *name;

	if (s[n - 1] != ']')
		return fail(p, "section header '%s' has no closing ']'; write [guest NAME]", s,
			    NULL);
	s[n - 1] = 0;
	inner = trim(s + 1);
	if (is_section(inner, "channel"))
		return channel_section(p, trim(inner + 7));
	if (!is_section(inner, "guest"))
		return fail(p,
			    "unknown section '[%s]'; the sections are [guest NAME] and "
			    "[channel NAME]",
			    inner, NULL);
	name = trim(inner + 5);
	if (!good_name(name))
		return fail(p, "bad guest name '%s'; use 1 to 15 letters, digits, '-' or '_'", name,
			    NULL);
	for (uint32_t i = 0; i < m->nguests; i++)
		if (!strcmp(m->guests[i].name, name))
			return cfg_fail(p->d, m->path, p->line,
					"two guests named '%s' (the first on line %d); give each "
					"guest its own name",
					name, m->guests[i].line);
	if (m->nguests == CFG_MAX_GUESTS)
		return cfg_fail(p->d, m->path, p->line,
				"too many guests: at most %d; remove [guest %s] or another one",
				CFG_MAX_GUESTS, name);
	p->c = NULL;
	p->g = &m->guests[m->nguests++];
	strcpy(p->g->name, name);
	p->g->line = p->line;
	return 0;
}

/* '#' starts a comment, except inside "double quotes" (bootargs). */
static void strip_comment(char *s)
{
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == '#' && !quoted) {
			*s = 0;
			return;
		}
	}
}

static int assignment(struct parse *p, char *s)
{
	char *eq = strchr(s, '=');
	char *key, *val;

	if (!eq)
		return fail(p, "missing '=' in '%s'; write key = value", s, NULL);
	*eq = 0;
	key = trim(s);
	val = trim(eq + 1);
	if (!*key)
		return fail(p, "missing key before '= %s'; write key = value", val, NULL);
	if (!*val)
		return fail(p, "missing value after '%s ='; write key = value", key, NULL);
	return set_any(p, key, val);
}

int cfg_parse(const char *text, const char *path, struct cfg_model *m, struct cfg_diag *d)
{
	struct parse p = {.m = m, .d = d};
	const char *t = text;

	memset(m, 0, sizeof *m);
	m->path = path;
	m->ram_base = BOARD_RAM_BASE;
	m->timeslice_us = CFG_DEFAULT_TIMESLICE_US;
	strcpy(m->platform, BOARD_NAME);

	while (*t) {
		const char *eol = strchr(t, '\n');
		size_t len = eol ? (size_t)(eol - t) : strlen(t);
		char buf[LINE_MAX_LEN], *s;

		p.line++;
		if (len >= sizeof buf)
			return cfg_fail(d, path, p.line, "line is longer than %d characters; %s",
					LINE_MAX_LEN - 1, "shorten it");
		memcpy(buf, t, len);
		buf[len] = 0;
		t += len + (eol ? 1 : 0);
		strip_comment(buf);
		s = trim(buf);
		if (!*s)
			continue;
		if ((*s == '[' ? section(&p, s) : assignment(&p, s)))
			return -1;
	}
	m->nlines = p.line ? p.line : 1;
	return 0;
}
