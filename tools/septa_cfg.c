/* septa-cfg: the host-side config compiler. Reads a partition config,
 * validates it against the board dtb and the guest images, and writes the
 * hypervisor's tables (build), a memory map (map) or QEMU flags (qemu-args). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg_model.h"

static const char usage[] =
    "usage: septa-cfg qemu-args CONF\n"
    "       septa-cfg build CONF --board BOARD.dtb --guests-dir DIR [--guests-dir DIR...] "
    "--out OUTDIR\n"
    "       septa-cfg map CONF --board BOARD.dtb --guests-dir DIR [--guests-dir DIR...]\n"
    "\n"
    "  qemu-args  print the -smp and -m flags the config asks of QEMU\n"
    "  build      validate everything, write OUTDIR/septa_config.c and OUTDIR/hv_layout.ld\n"
    "  map        validate everything, print the memory map\n"
    "\n"
    "Exit status: 0 ok, 1 internal or I/O error, 2 config or usage error.\n"
    "The config language is described in doc/config.md.\n";

struct args {
	const char *cmd, *conf, *board, *out;
	const char *dirs[CFG_MAX_GUEST_DIRS];
	int ndirs;
};

static int bad_usage(const char *why, const char *what)
{
	fprintf(stderr, "septa-cfg: %s%s\n%s", why, what ? what : "", usage);
	return CFG_EXIT_CONFIG;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof *a);
	if (argc < 3)
		return bad_usage("missing command or config file", NULL);
	a->cmd = argv[1];
	a->conf = argv[2];
	for (int i = 3; i < argc; i++) {
		const char *opt = argv[i];

		if (i + 1 >= argc)
			return bad_usage("missing value after ", opt);
		if (!strcmp(opt, "--board"))
			a->board = argv[++i];
		else if (!strcmp(opt, "--out"))
			a->out = argv[++i];
		else if (!strcmp(opt, "--guests-dir") && a->ndirs < CFG_MAX_GUEST_DIRS)
			a->dirs[a->ndirs++] = argv[++i];
		else
			return bad_usage("unknown or repeated option ", opt);
	}
	if (strcmp(a->cmd, "qemu-args") && strcmp(a->cmd, "build") && strcmp(a->cmd, "map"))
		return bad_usage("unknown command ", a->cmd);
	if (strcmp(a->cmd, "qemu-args") && (!a->board || !a->ndirs))
		return bad_usage(a->cmd, " needs --board and --guests-dir");
	if (!strcmp(a->cmd, "build") && !a->out)
		return bad_usage("build needs --out", NULL);
	return 0;
}

/* The parse stage's input: the config file, read whole. */
static int parse_file(const char *conf, struct cfg_model *m, struct cfg_diag *d)
{
	uint8_t *text;
	size_t len;
	int rc;

	if (cfg_read_file(conf, &text, &len))
		return cfg_fail_io(d, "septa-cfg: cannot read %s: %s", conf, strerror(errno));
	rc = cfg_parse((const char *)text, conf, m, d);
	free(text);
	return rc;
}

/* Writes dir/name via a temporary file; the caller renames it into place
 * once every output is complete, so a failed run leaves no half files. */
static int write_tmp(const char *tmp, int (*emit)(FILE *, const struct cfg_model *),
		     const struct cfg_model *m, struct cfg_diag *d)
{
	FILE *f = fopen(tmp, "w");

	if (!f)
		return cfg_fail_io(d, "septa-cfg: cannot write %s: %s", tmp, strerror(errno));
	if (emit(f, m) | fclose(f)) {
		unlink(tmp);
		return cfg_fail_io(d, "septa-cfg: cannot write %s: %s", tmp, strerror(errno));
	}
	return 0;
}

static int mkdirs(const char *path)
{
	char buf[CFG_PATH_MAX];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777) && errno != EEXIST ? -1 : 0;
}

static int write_outputs(const char *out, const struct cfg_model *m, struct cfg_diag *d)
{
	static const char *const names[2] = {"septa_config.c", "hv_layout.ld"};
	int (*const emit[2])(FILE *, const struct cfg_model *) = {cfg_emit_c, cfg_emit_ld};
	char tmp[2][CFG_PATH_MAX + 32], dst[2][CFG_PATH_MAX + 32];

	if (mkdirs(out))
		return cfg_fail_io(d, "septa-cfg: cannot create %s: %s", out, strerror(errno));
	for (int i = 0; i < 2; i++) {
		snprintf(tmp[i], sizeof tmp[i], "%s/.%s.tmp", out, names[i]);
		snprintf(dst[i], sizeof dst[i], "%s/%s", out, names[i]);
		if (write_tmp(tmp[i], emit[i], m, d)) {
			if (i)
				unlink(tmp[0]);
			return -1;
		}
	}
	for (int i = 0; i < 2; i++)
		if (rename(tmp[i], dst[i]))
			return cfg_fail_io(d, "septa-cfg: cannot rename %s to %s: %s", tmp[i],
					   dst[i], strerror(errno));
	return 0;
}

/* The emit stage: what the command asks for. */
static int emit(const struct args *a, const struct cfg_model *m, struct cfg_diag *d)
{
	if (!strcmp(a->cmd, "qemu-args"))
		return cfg_emit_qemu_args(stdout, m) ? cfg_fail_io(d, "septa-cfg: stdout") : 0;
	if (!strcmp(a->cmd, "map")) {
		cfg_map_print(stdout, m);
		return 0;
	}
	cfg_dma_warning(stderr, m, "septa-cfg: warning: ");
	return write_outputs(a->out, m, d);
}

/* The whole compiler, each stage once and in order: parse, check, layout
 * (guest-physical and host-physical, loading images and building dtbs as
 * it goes), emit. qemu-args needs neither board nor images, so it skips
 * the board half of check and the layout. */
static int cfg_build(const struct args *a, struct cfg_model *m, struct cfg_diag *d)
{
	const struct cfg_image_source src = cfg_disk_source(a->dirs, a->ndirs);
	bool layout = strcmp(a->cmd, "qemu-args") != 0;
	struct cfg_board b;

	if (parse_file(a->conf, m, d) || cfg_check(m, layout ? a->board : NULL, &b, d))
		return -1;
	if (layout && cfg_layout(m, &b, &src, d))
		return -1;
	return emit(a, m, d);
}

int main(int argc, char **argv)
{
	static struct cfg_model m; /* large: keep it off the stack */
	struct cfg_diag d = {0};
	struct args a;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return CFG_EXIT_OK;
	}
	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	rc = cfg_build(&a, &m, &d);
	cfg_model_free(&m);
	if (rc) {
		fprintf(stderr, "%s\n", d.msg);
		return d.status ? d.status : CFG_EXIT_IO;
	}
	return CFG_EXIT_OK;
}
