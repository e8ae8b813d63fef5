/* RISC-V Linux `Image` files (Documentation/riscv/boot-image-header.rst):
 * recognising the header, and the flat image the hypervisor copies in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_model.h"

/* Offsets in the 64-byte header. */
#define HDR_TEXT_OFFSET 0x08
#define HDR_IMAGE_SIZE	0x10
#define HDR_MAGIC	0x30 /* "RISCV\0\0\0", deprecated but still written */
#define HDR_MAGIC2	0x38 /* "RSC\x05" */
#define HDR_SIZE	0x40

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int linux_image_read(const uint8_t *buf, size_t len, struct linux_image *li, char *why,
		     size_t whylen)
{
	memset(li, 0, sizeof *li);
	if (len < HDR_SIZE ||
	    (memcmp(buf + HDR_MAGIC2, "RSC\x05", 4) && memcmp(buf + HDR_MAGIC, "RISCV\0\0\0", 8)))
		return 0;
	li->text_offset = le64(buf + HDR_TEXT_OFFSET);
	li->image_size = le64(buf + HDR_IMAGE_SIZE);
	li->file_size = len;
	/* Kernels before the field existed wrote 0: the file is all there is. */
	if (!li->image_size)
		li->image_size = len;
	if (li->image_size < len)
		return WHY("its header's image_size %#llx is smaller than the file (%#zx bytes)",
			   (unsigned long long)li->image_size, len);
	if (li->text_offset % CFG_PAGE)
		return WHY("its header's text_offset %#llx is not a multiple of 4 KiB",
			   (unsigned long long)li->text_offset);
	if (li->text_offset > CFG_GIB || li->image_size > 64 * CFG_GIB)
		return WHY("its header's text_offset %#llx or image_size %#llx is absurd",
			   (unsigned long long)li->text_offset, (unsigned long long)li->image_size);
	return 1;
}

int linux_image_flatten(const uint8_t *buf, const struct linux_image *li, uint64_t gpa_base,
			struct cfg_image *img)
{
	memset(img, 0, sizeof *img);
	img->gpa = gpa_base + li->text_offset;
	img->entry = img->gpa; /* the header's first instruction jumps to the kernel */
	img->size = li->file_size;
	img->end = img->gpa + li->image_size; /* bss: zero, as guest RAM starts */
	img->data = malloc(img->size ? img->size : 1);
	if (!img->data)
		return -1;
	memcpy(img->data, buf, img->size);
	return 0;
}
