/* septa-cfg's in-memory model of one partition config, and the API of each
 * stage that fills it: parse, check, layout (with the images and dtbs), emit. */
#ifndef SEPTA_CFG_MODEL_H
#define SEPTA_CFG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "cfg_table.h"
#include "vplic.h"

#define CFG_MSG_MAX		 1024
#define CFG_PATH_MAX		 512
#define CFG_MAX_GUEST_DIRS	 4
#define CFG_KIB			 0x400ULL
#define CFG_MIB			 0x100000ULL
#define CFG_GIB			 0x40000000ULL
#define CFG_PAGE		 0x1000ULL
#define CFG_GUEST_ALIGN		 0x200000ULL /* automatic placement: 2 MiB, one G-stage megapage */
#define CFG_MIN_GUEST_MEM	 (64 * CFG_KIB)
#define CFG_DEFAULT_TIMESLICE_US 10000u
#define CFG_BOOTARGS_MAX	 256 /* /chosen/bootargs, including the NUL */
/* Bytes kept free after a device tree that an initrd follows: the hypervisor
 * adds /chosen/septa,restarts at every start, in place. */
#define CFG_DTB_SLACK		     256
#define CFG_DEV_NAME_MAX	     40 /* a device node's name, including the NUL */
#define CFG_BOARD_DEVS_MAX	     32 /* devices under the board's /soc that we keep */
#define CFG_DEFAULT_RESTART_LIMIT    5u
#define CFG_DEFAULT_RESTART_DELAY_US 100000u

/* The virtual PLIC models sources 1..VPLIC_SOURCES-1 (core/include/vplic.h);
 * the virtual UART's and PLIC's windows are BOARD_VUART_* and BOARD_VPLIC_*
 * in board.h, which the hypervisor uses too. */
#define CFG_VPLIC_NDEV ((uint32_t)VPLIC_SOURCES - 1u)

/* Exit statuses of septa-cfg. */
enum { CFG_EXIT_OK = 0, CFG_EXIT_IO = 1, CFG_EXIT_CONFIG = 2 };

/* The first error of a run. Steps return -1 after filling it, so nothing
 * deep inside prints or exits; main prints msg and exits with status. */
struct cfg_diag {
	int status; /* 0, CFG_EXIT_CONFIG or CFG_EXIT_IO */
	char msg[CFG_MSG_MAX];
};

/* Records "file:line: <fmt>" as a config error (status 2); returns -1. */
int cfg_fail(struct cfg_diag *d, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records an internal or I/O error (status 1) with no line; returns -1. */
int cfg_fail_io(struct cfg_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A guest image flattened from its ELF load segments. */
struct cfg_image {
	uint8_t *data; /* malloc'd, size bytes, gaps zero-filled */
	uint64_t size;
	uint64_t gpa;	/* lowest p_paddr */
	uint64_t entry; /* e_entry */
	uint64_t end;	/* highest p_paddr + p_memsz (bss included) */
};

/* One [guest NAME] section. *_line is the line a key was set on, 0 when the
 * key was not given (the default applies). */
/* A device under the board's /soc: what a guest may be granted. */
struct cfg_board_dev {
	char name[CFG_DEV_NAME_MAX]; /* node name, e.g. "rtc@101000" */
	char compat[64];	     /* its first compatible string */
	uint64_t base, size;	     /* its first reg entry */
	uint32_t nirqs;		     /* its interrupts (one cell each, on the PLIC) */
	uint32_t irqs[CFG_DEV_IRQS];
};

/* A channel a guest is a member of, as its device tree describes it. */
struct cfg_channel_model;
struct cfg_guest_chan {
	const struct cfg_channel_model *ch;
	uint32_t channel; /* index in m->channels */
	uint32_t member;  /* the guest's place in its members list */
	bool writable;
};

/* One [channel NAME] section. */
struct cfg_channel_model {
	char name[CFG_NAME_MAX];
	int line;
	uint64_t size;
	int size_line;
	char members[CFG_CHAN_MEMBERS][CFG_NAME_MAX];
	uint32_t nmembers;
	int members_line;
	char writers[CFG_CHAN_MEMBERS][CFG_NAME_MAX];
	uint32_t nwriters;
	int writers_line;
	uint64_t address; /* guest-physical, when pinned */
	int address_line;
	uint32_t irq; /* doorbell source, when pinned */
	int irq_line;

	/* Filled by cfg_check_channels() and cfg_layout(). */
	uint32_t guest[CFG_CHAN_MEMBERS]; /* member i is m->guests[guest[i]] */
	bool writable[CFG_CHAN_MEMBERS];
	uint64_t gpa; /* the same in every member */
	uint64_t hpa;
};

struct cfg_guest_model {
	char name[CFG_NAME_MAX];
	int line; /* of the [guest NAME] header */
	char image[CFG_PATH_MAX];
	int image_line;
	uint64_t mem_size;
	bool fixed;	    /* memory = SIZE @ HOSTADDR */
	uint64_t fixed_hpa; /* HOSTADDR */
	bool identity;	    /* memory = SIZE @ HOSTADDR identity: guest-physical = host */
	int mem_line;
	uint32_t nvcpus;
	int vcpus_line;
	uint32_t nharts;
	uint32_t harts[CFG_MAX_VCPUS];
	int harts_line;
	const char *color;	/* ANSI SGR code ("36") or NULL */
	const char *color_name; /* as written in the config */
	int color_line;
	uint32_t timeslice_us;
	int timeslice_line;
	enum cfg_console console; /* default CFG_CONSOLE_UART */
	int console_line;
	enum cfg_on_fault on_fault; /* default CFG_FAULT_STOP */
	int on_fault_line;
	uint32_t restart_limit; /* defaults set by cfg_check_model() */
	int restart_limit_line;
	uint32_t restart_delay_us;
	int restart_delay_line;
	uint64_t restart_window_us; /* 0: the restart count is never forgotten */
	int restart_window_line;
	bool fault_dump;
	int fault_dump_line;
	char initrd[CFG_PATH_MAX]; /* "" when not given */
	int initrd_line;
	char bootargs[CFG_BOOTARGS_MAX]; /* "" when not given */
	int bootargs_line;
	char devices[CFG_MAX_DEVICES][CFG_DEV_NAME_MAX]; /* board node names, as written */
	uint32_t ndevices;
	int devices_line;
	const struct cfg_board_dev *dev[CFG_MAX_DEVICES]; /* found by cfg_check_board() */
	char disk[CFG_PATH_MAX];      /* disk = PATH [readonly]; "" when not given */
	char disk_path[CFG_PATH_MAX]; /* found by cfg_resolve_disks() */
	bool disk_ro;
	int disk_line;
	bool rng; /* rng = yes */
	int rng_line;
	/* The virtio-mmio slots (QEMU's virtio-mmio-bus.N) chosen for them by
	 * cfg_check_model(), -1 for none; also named in devices[]. */
	int disk_slot, rng_slot;
	/* The channels it is a member of, set by cfg_check_channels(). */
	uint32_t nchans;
	struct cfg_guest_chan chans[CFG_MAX_CHANNELS];

	/* Filled by cfg_layout(). */
	char image_path[CFG_PATH_MAX];
	struct cfg_image img;
	bool linux_image; /* image is a Linux Image, not an ELF */
	uint64_t text_offset;
	char initrd_path[CFG_PATH_MAX];
	uint64_t initrd_size; /* bytes of the file */
	uint64_t initrd_gpa;  /* 0: no initrd */
	uint8_t *dtb;	      /* the device tree, then the initrd if any: one blob */
	uint64_t dtb_size;    /* of that blob */
	uint64_t fdt_size;    /* of the device tree alone */
	uint64_t dtb_gpa;
	uint64_t gpa_base;
	uint64_t hpa_base;
};

struct cfg_model {
	const char *path; /* the config file as given on the command line */
	int nlines;
	char platform[32];
	int platform_line;
	uint32_t harts;
	int harts_line;
	uint64_t ram_base;
	uint64_t ram_size;
	int ram_line;
	uint32_t timeslice_us;
	int timeslice_line;
	uint32_t nguests;
	struct cfg_guest_model guests[CFG_MAX_GUESTS];
	uint32_t nchannels;
	struct cfg_channel_model channels[CFG_MAX_CHANNELS];
	uint64_t hv_base;
	uint64_t hv_limit;
};

/* What the board's device tree says (read by board_dt.c). */
struct cfg_board {
	const char *path;
	uint32_t harts;
	uint64_t ram_base;
	uint64_t ram_size;
	uint32_t timebase;
	char isa[256]; /* riscv,isa of /cpus/cpu@0 */
	struct cfg_board_dev devs[CFG_BOARD_DEVS_MAX];
	uint32_t ndevs;
};

/* cfg_units.c: numbers, sizes and times. Each parser takes the whole string
 * and returns 0, or -1 if it is not of that form or overflows. */
int cfg_parse_u64(const char *s, uint64_t *out);
int cfg_parse_size(const char *s, uint64_t *out);	/* 4096, 0x1000, 64K, 16M, 1G, 16MiB */
int cfg_parse_time_us(const char *s, uint64_t *out);	/* 500us, 10ms, 1s */
void cfg_fmt_size(char *buf, size_t n, uint64_t bytes); /* "16 MiB", "1540 KiB", "12 B" */
void cfg_fmt_time(char *buf, size_t n, uint64_t us);	/* "10 ms" */
static inline uint64_t cfg_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* cfg_parse.c: text -> model, syntax and per-key values only. */
int cfg_parse(const char *text, const char *path, struct cfg_model *m, struct cfg_diag *d);
/* cfg_check.c: the check stage, entered once: cfg_check_model(), the disks
 * (cfg_resolve_disks()), then, when board_path is given (not for
 * qemu-args), the board read from it into b and cfg_check_against(). */
int cfg_check(struct cfg_model *m, const char *board_path, struct cfg_board *b, struct cfg_diag *d);
/* cfg_check.c: the config against a board already read: cfg_check_board(),
 * cfg_grant_devices(), cfg_check_channels(). */
int cfg_check_against(struct cfg_model *m, const struct cfg_board *b, struct cfg_diag *d);
/* cfg_check.c: cross-key rules and defaults (required keys, harts lists). */
int cfg_check_model(struct cfg_model *m, struct cfg_diag *d);
/* cfg_check.c: the config against the board's device tree. */
int cfg_check_board(const struct cfg_model *m, const struct cfg_board *b, struct cfg_diag *d);
/* cfg_check.c: finds each guest's `devices` on the board (g->dev) and checks
 * that septa does not keep them and that no two guests share one. */
int cfg_grant_devices(struct cfg_model *m, const struct cfg_board *b, struct cfg_diag *d);

/* cfg_check.c: channels: members known and at least two, writers among
 * them, size, the guest-physical window (pinned or the next in
 * BOARD_CHAN_BASE's), no overlap with another channel or with a guest's
 * RAM, devices or virtual PLIC and UART, and a doorbell source free in
 * every member's virtual PLIC. Needs cfg_grant_devices() first. */
int cfg_check_channels(struct cfg_model *m, struct cfg_diag *d);

/* cfg_check.c: can the device do DMA (virtio-mmio)? */
bool cfg_dev_dma(const struct cfg_board_dev *dev);
/* cfg_check.c: one line per granted DMA-capable device, each starting with
 * prefix: without an IOMMU it reaches all memory. Returns how many. */
int cfg_dma_warning(FILE *f, const struct cfg_model *m, const char *prefix);

/* board_dt.c: reads board facts from a flattened device tree. On error
 * writes why into d as an I/O-class error. */
int board_read(const void *fdt, size_t len, const char *path, struct cfg_board *b,
	       struct cfg_diag *d);

/* elf_image.c: the load segments of an ELF64 RISC-V executable. */
#define ELF_MAX_SEGS 16
struct elf_seg {
	uint64_t paddr, filesz, memsz, offset;
};
struct elf_info {
	uint64_t entry;
	unsigned nseg;
	struct elf_seg seg[ELF_MAX_SEGS];
};
/* Validates buf as an ELF64 little-endian RISC-V ET_EXEC and lists its
 * PT_LOAD segments; on error writes the reason (no file:line) to why. */
int elf_read(const uint8_t *buf, size_t len, struct elf_info *info, char *why, size_t whylen);
/* Flattens the segments: gpa = lowest p_paddr, bytes up to the highest
 * p_paddr + p_filesz, gaps zero. Returns -1 only when out of memory. */
int elf_flatten(const uint8_t *buf, const struct elf_info *info, struct cfg_image *img);

/* linux_image.c: RISC-V Linux Image files, loaded at RAM base + text_offset. */
struct linux_image {
	uint64_t text_offset; /* from the start of RAM */
	uint64_t image_size;  /* in memory, bss included */
	uint64_t file_size;
};
/* Returns 1 for a Linux Image (header filled), 0 when buf has no Image magic
 * (so it is something else), -1 for a broken header with the reason in why. */
int linux_image_read(const uint8_t *buf, size_t len, struct linux_image *li, char *why,
		     size_t whylen);
/* The file at gpa_base + text_offset, entry there; -1 only when out of memory. */
int linux_image_flatten(const uint8_t *buf, const struct linux_image *li, uint64_t gpa_base,
			struct cfg_image *img);

/* guest_dtb.c: one guest's device tree (malloc'd into *out). */
int guest_dtb_build(const struct cfg_guest_model *g, const struct cfg_board *b, uint8_t **out,
		    uint64_t *size);
/* Copies a riscv,isa string without the single-letter 'h' extension. */
void guest_dtb_isa_without_h(const char *isa, char *out, size_t n);

/* cfg_image.c: finding and loading a guest's image. */
/* image = NAME (no '/', no ".elf") is DIR/NAME.elf for the first of dirs
 * that has it; anything else is a path relative to the config's folder.
 * Returns 0 with the path in out, or -1 with the places tried in looked. */
int cfg_resolve_image(const char *conf_path, const char *image, const char *const *dirs, int ndirs,
		      char *out, size_t outlen, char *looked, size_t lookedlen);
/* initrd = NAME is DIR/NAME.initrd (make linux builds linux.initrd); else a
 * path as for images. */
int cfg_resolve_initrd(const char *conf_path, const char *initrd, const char *const *dirs,
		       int ndirs, char *out, size_t outlen, char *looked, size_t lookedlen);
/* Each guest's disk: a path relative to the config's folder (or absolute)
 * that must name a readable file; sets g->disk_path. */
int cfg_resolve_disks(struct cfg_model *m, struct cfg_diag *d);
/* Checks every load segment lies in [gpa_base, dtb_gpa) of guest g. */
int cfg_check_image(const struct cfg_model *m, const struct cfg_guest_model *g,
		    const struct elf_info *info, struct cfg_diag *d);

/* cfg_load.c: where images come from: files on disk for the tool, buffers
 * in memory for the fuzzer. fetch() sets g->image_path and hands back the
 * file's bytes (malloc'd, freed by the caller), or fills d and returns -1. */
struct cfg_image_source {
	int (*fetch)(const struct cfg_image_source *src, const struct cfg_model *m,
		     struct cfg_guest_model *g, uint8_t **buf, size_t *len, struct cfg_diag *d);
	/* The same for g->initrd (sets g->initrd_path); NULL: initrds refused. */
	int (*fetch_initrd)(const struct cfg_image_source *src, const struct cfg_model *m,
			    struct cfg_guest_model *g, uint8_t **buf, size_t *len,
			    struct cfg_diag *d);
	const char *const *dirs; /* for the disk source: the --guests-dir list */
	int ndirs;
	const void *ctx; /* for other sources */
};
/* The tool's source: cfg_resolve_image() and cfg_resolve_initrd() over dirs. */
struct cfg_image_source cfg_disk_source(const char *const *dirs, int ndirs);
/* cfg_load.c: fetches, reads and flattens g's image, checking it lies in
 * RAM below the device tree that cfg_layout() placed. */
int cfg_load_image(struct cfg_model *m, struct cfg_guest_model *g,
		   const struct cfg_image_source *src, struct cfg_diag *d);
/* cfg_load.c: frees every image and dtb. */
void cfg_model_free(struct cfg_model *m);

/* cfg_layout.c: the layout stage. Per guest its guest-physical RAM, device
 * tree and initrd (fetched from src) and its image (cfg_load_image()); then
 * host-physical placement (cfg_place()). */
int cfg_layout(struct cfg_model *m, const struct cfg_board *b, const struct cfg_image_source *src,
	       struct cfg_diag *d);
/* cfg_layout.c: where the device tree and an initrd of initrd_size bytes go at the top of
 * RAM [ram_lo, ram_hi): the tree (with CFG_DTB_SLACK spare bytes) first, the
 * initrd on the next page. -1 when they do not fit at all. */
int cfg_place_initrd(uint64_t ram_lo, uint64_t ram_hi, uint64_t fdt_size, uint64_t initrd_size,
		     uint64_t *dtb_gpa, uint64_t *initrd_gpa);
/* cfg_layout.c: hv_limit, every guest's hpa_base and every channel's hpa.
 * Needs the image and dtb sizes; cfg_layout() ends with it. */
int cfg_place(struct cfg_model *m, struct cfg_diag *d);

/* cfg_io.c: whole files in and out. */
int cfg_read_file(const char *path, uint8_t **buf, size_t *len); /* NUL-terminated; -1 + errno */

/* cfg_emit.c: the generated outputs; -1 on a write error. */
int cfg_emit_c(FILE *f, const struct cfg_model *m);
int cfg_emit_ld(FILE *f, const struct cfg_model *m);
int cfg_emit_qemu_args(FILE *f, const struct cfg_model *m);

/* cfg_map.c: the human-readable memory map. */
void cfg_map_print(FILE *f, const struct cfg_model *m);

#endif
