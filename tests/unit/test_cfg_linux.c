/* Unit tests of Linux guests in septa-cfg: the RISC-V Image header, where
 * the kernel and an initrd land in guest RAM, and what is refused. */
#include <libfdt.h>

#include "test_cfg_util.h"

/* A fake Image: the 64-byte header and some bytes after it. */
static uint8_t *fake_image(uint64_t text_offset, uint64_t image_size, size_t len)
{
	uint8_t *f = calloc(1, len);

	assert_non_null(f);
	for (int i = 0; i < 8; i++) {
		f[0x08 + i] = (uint8_t)(text_offset >> (8 * i));
		f[0x10 + i] = (uint8_t)(image_size >> (8 * i));
	}
	memcpy(f + 0x30, "RISCV\0\0\0", 8);
	memcpy(f + 0x38, "RSC\x05", 4);
	f[len - 1] = 0x5a;
	return f;
}

static void reads_the_header(void **state)
{
	struct linux_image li;
	struct cfg_image img;
	char why[160];
	uint8_t *f = fake_image(0x200000, 0x300000, 0x1000);

	(void)state;
	assert_int_equal(linux_image_read(f, 0x1000, &li, why, sizeof why), 1);
	assert_int_equal(li.text_offset, 0x200000);
	assert_int_equal(li.image_size, 0x300000);
	assert_int_equal(linux_image_flatten(f, &li, 0x80000000, &img), 0);
	assert_int_equal(img.gpa, 0x80200000);
	assert_int_equal(img.entry, 0x80200000);
	assert_int_equal(img.size, 0x1000);
	assert_int_equal(img.end, 0x80500000); /* bss included */
	assert_int_equal(img.data[0xfff], 0x5a);
	free(img.data);

	/* Only the newer magic: still an Image. */
	memset(f + 0x30, 0, 8);
	assert_int_equal(linux_image_read(f, 0x1000, &li, why, sizeof why), 1);
	/* Neither magic: not an Image, so the caller tries ELF. */
	memset(f + 0x38, 0, 4);
	assert_int_equal(linux_image_read(f, 0x1000, &li, why, sizeof why), 0);
	assert_int_equal(linux_image_read((const uint8_t *)"\x7f"
							   "ELF",
					  4, &li, why, sizeof why),
			 0);
	free(f);
}

static void refuses_broken_headers(void **state)
{
	struct linux_image li;
	char why[160];
	uint8_t *f = fake_image(0x200000, 0x800, 0x1000);

	(void)state;
	assert_int_equal(linux_image_read(f, 0x1000, &li, why, sizeof why), -1);
	assert_non_null(strstr(why, "image_size 0x800 is smaller than the file"));
	free(f);
	f = fake_image(0x200100, 0x300000, 0x1000);
	assert_int_equal(linux_image_read(f, 0x1000, &li, why, sizeof why), -1);
	assert_non_null(strstr(why, "text_offset 0x200100 is not a multiple of 4 KiB"));
	free(f);
	/* image_size 0 (kernels before the field): the file's length. */
	f = fake_image(0x200000, 0, 0x1000);
	assert_int_equal(linux_image_read(f, 0x1000, &li, why, sizeof why), 1);
	assert_int_equal(li.image_size, 0x1000);
	free(f);
}

static void places_the_initrd_above_the_tree(void **state)
{
	uint64_t dtb, initrd;

	(void)state;
	/* 16 MiB of RAM, a 2000-byte tree, a 10000-byte initrd. */
	assert_int_equal(cfg_place_initrd(0x80000000, 0x81000000, 2000, 10000, &dtb, &initrd), 0);
	assert_int_equal(initrd, 0x81000000 - 0x3000); /* 10000 rounds up to 3 pages */
	assert_int_equal(dtb, initrd - 0x1000);
	/* A tree that would leave no slack in its page gets another. */
	assert_int_equal(cfg_place_initrd(0x80000000, 0x81000000, 4000, 4096, &dtb, &initrd), 0);
	assert_int_equal(initrd, 0x81000000 - 0x1000);
	assert_int_equal(dtb, initrd - 0x2000);
	/* Too big for RAM at all. */
	assert_int_equal(cfg_place_initrd(0x80000000, 0x80100000, 2000, 0x100000, &dtb, &initrd),
			 -1);
}

static const char linux_conf[] = "harts = 2\nram = 512M\n"
				 "[guest l]\n"
				 "image = linux\n"
				 "initrd = linux\n"
				 "memory = %s\n"
				 "bootargs = console=ttyS0\n";

static int compile(const char *memory, const char *dir, struct cfg_model *m, struct cfg_diag *d)
{
	char text[256];
	const char *dirs[] = {dir};
	struct cfg_board b = test_board();

	snprintf(text, sizeof text, linux_conf, memory);
	assert_int_equal(parse_check(text, m, d), 0);
	return test_check_layout(m, &b, dirs, 1, d);
}

/* The whole pipeline with an Image and an initrd found by name. */
static void compiles_a_linux_guest(void **state)
{
	static struct cfg_model m;
	struct cfg_diag d = {0};
	char dir[] = "/tmp/septa-cfg-linux-XXXXXX", cmd[160];
	uint8_t *img = fake_image(0x200000, 0x600000, 0x2000);
	uint8_t initrd[0x1800];

	(void)state;
	memset(initrd, 0xab, sizeof initrd);
	assert_non_null(mkdtemp(dir));
	test_write(dir, "linux.Image", img, 0x2000);
	test_write(dir, "linux.initrd", initrd, sizeof initrd);

	assert_int_equal(compile("16M", dir, &m, &d), 0);
	struct cfg_guest_model *g = &m.guests[0];

	assert_true(g->linux_image);
	assert_int_equal(g->img.gpa, 0x80200000);
	assert_int_equal(g->img.end, 0x80800000);
	assert_int_equal(g->initrd_size, sizeof initrd);
	assert_int_equal(g->initrd_gpa, 0x81000000 - 0x2000);
	assert_true(g->dtb_gpa < g->initrd_gpa);
	assert_int_equal(g->dtb_size, 0x81000000 - g->dtb_gpa);
	/* The initrd's bytes in the blob, and the tree pointing at them. */
	assert_int_equal(g->dtb[g->initrd_gpa - g->dtb_gpa], 0xab);
	assert_int_equal(g->dtb[g->dtb_size - 0x800 - 1], 0xab);
	assert_int_equal(g->dtb[g->dtb_size - 0x800], 0);
	int chosen = fdt_path_offset(g->dtb, "/chosen");
	const void *p;
	fdt64_t v;
	int len;

	assert_true(chosen >= 0);
	assert_int_equal(fdt_totalsize(g->dtb), g->fdt_size);
	p = fdt_getprop(g->dtb, chosen, "linux,initrd-start", &len);
	assert_non_null(p);
	assert_int_equal(len, 8);
	memcpy(&v, p, sizeof v); /* properties are only 4-byte aligned */
	assert_int_equal(fdt64_to_cpu(v), g->initrd_gpa);
	p = fdt_getprop(g->dtb, chosen, "linux,initrd-end", &len);
	assert_non_null(p);
	memcpy(&v, p, sizeof v);
	assert_int_equal(fdt64_to_cpu(v), g->initrd_gpa + sizeof initrd);
	cfg_model_free(&m);

	/* image_size past the device tree: refused on the memory line. */
	assert_int_equal(compile("6M", dir, &m, &d), -1);
	expect_msg(&d, "t.conf:6: image ", "linux.Image: Linux Image needs 0x80200000..0x80800000",
		   "raise memory to at least 9 MiB", NULL);
	cfg_model_free(&m);
	/* The initrd in the way of image_size: refused on the initrd line. */
	assert_int_equal(compile("8M", dir, &m, &d), -1);
	expect_msg(&d, "t.conf:5: initrd ", "linux.initrd at 0x807fe000..0x807ff800 overlaps image",
		   "raise memory to at least 9 MiB", NULL);
	cfg_model_free(&m);

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(img);
}

static void resolves_images_and_initrds(void **state)
{
	char out[256], looked[256];
	const char *dirs[] = {"/nonexistent-a"};

	(void)state;
	assert_int_equal(
	    cfg_resolve_image("c/x.conf", "linux", dirs, 1, out, sizeof out, looked, sizeof looked),
	    -1);
	assert_string_equal(looked, "/nonexistent-a/linux.elf, /nonexistent-a/linux.Image");
	assert_int_equal(cfg_resolve_image("c/x.conf", "k.Image", dirs, 1, out, sizeof out, looked,
					   sizeof looked),
			 -1);
	assert_string_equal(out, "c/k.Image");
	assert_int_equal(cfg_resolve_initrd("c/x.conf", "linux", dirs, 1, out, sizeof out, looked,
					    sizeof looked),
			 -1);
	assert_string_equal(looked, "/nonexistent-a/linux.initrd");
	assert_int_equal(cfg_resolve_initrd("c/x.conf", "../r.cpio.gz", dirs, 1, out, sizeof out,
					    looked, sizeof looked),
			 -1);
	assert_string_equal(out, "c/../r.cpio.gz");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_the_header),
	    cmocka_unit_test(refuses_broken_headers),
	    cmocka_unit_test(places_the_initrd_above_the_tree),
	    cmocka_unit_test(compiles_a_linux_guest),
	    cmocka_unit_test(resolves_images_and_initrds),
	};

	return cmocka_run_group_tests_name("septa-cfg linux", tests, NULL, NULL);
}
