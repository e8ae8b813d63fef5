/* ELF64 RISC-V executables: their PT_LOAD segments, and the flat image the
 * hypervisor copies into guest RAM. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_model.h"

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

int elf_read(const uint8_t *buf, size_t len, struct elf_info *info, char *why, size_t whylen)
{
	Elf64_Ehdr eh;
	bool entry_ok = false;

	memset(info, 0, sizeof *info);
	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG))
		return WHY("not an ELF file");
	if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
		return WHY("not a 64-bit little-endian ELF file");
	if (len < sizeof eh)
		return WHY("truncated ELF header");
	/* Copy out: buf has no alignment promise. The host is little-endian,
	 * like RISC-V. */
	memcpy(&eh, buf, sizeof eh);
	if (eh.e_machine != EM_RISCV)
		return WHY("ELF machine is %u, not RISC-V (%u)", eh.e_machine, EM_RISCV);
	if (eh.e_type != ET_EXEC)
		return WHY("not an executable (ELF type %u, want ET_EXEC); link it with a fixed "
			   "address",
			   eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return WHY("program headers are missing or truncated");
	info->entry = eh.e_entry;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset)
			return WHY("load segment %u is truncated or larger in the file than in "
				   "memory",
				   i);
		if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
			return WHY("load segment %u wraps around the address space", i);
		if (info->nseg == ELF_MAX_SEGS)
			return WHY("more than %d load segments", ELF_MAX_SEGS);
		info->seg[info->nseg++] = (struct elf_seg){
		    .paddr = ph.p_paddr,
		    .filesz = ph.p_filesz,
		    .memsz = ph.p_memsz,
		    .offset = ph.p_offset,
		};
		if (eh.e_entry >= ph.p_paddr && eh.e_entry < ph.p_paddr + ph.p_memsz)
			entry_ok = true;
	}
	if (!info->nseg)
		return WHY("no load segments");
	if (!entry_ok)
		return WHY("entry point %#llx is outside every load segment",
			   (unsigned long long)eh.e_entry);
	return 0;
}

int elf_flatten(const uint8_t *buf, const struct elf_info *info, struct cfg_image *img)
{
	uint64_t lo = UINT64_MAX, hi_file = 0, hi_mem = 0;

	for (unsigned i = 0; i < info->nseg; i++) {
		const struct elf_seg *s = &info->seg[i];

		if (s->paddr < lo)
			lo = s->paddr;
		if (s->paddr + s->filesz > hi_file)
			hi_file = s->paddr + s->filesz;
		if (s->paddr + s->memsz > hi_mem)
			hi_mem = s->paddr + s->memsz;
	}
	if (hi_file < lo)
		hi_file = lo; /* only bss: nothing to copy */
	memset(img, 0, sizeof *img);
	img->gpa = lo;
	img->size = hi_file - lo;
	img->end = hi_mem;
	img->entry = info->entry;
	/* bss past the last file byte is not stored: guest RAM starts zeroed. */
	img->data = calloc(1, img->size ? img->size : 1);
	if (!img->data)
		return -1;
	for (unsigned i = 0; i < info->nseg; i++) {
		const struct elf_seg *s = &info->seg[i];

		memcpy(img->data + (s->paddr - lo), buf + s->offset, s->filesz);
	}
	return 0;
}
