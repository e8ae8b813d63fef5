/* Reading a whole file into memory, for configs, board dtbs and images. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cfg_model.h"

int cfg_read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return -1;
	for (;;) {
		if (n + 1 >= cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			b = nb;
		}
		size_t got = fread(b + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		free(b);
		fclose(f);
		errno = e ? e : EIO;
		return -1;
	}
	fclose(f);
	/* Configs are parsed as C strings; the extra NUL costs nothing. */
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}
