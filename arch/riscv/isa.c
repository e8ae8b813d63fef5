/* riscv,isa string parsing: "rv64" + single letters, then "_"-separated
 * multi-letter extensions. */
#include <stdbool.h>
#include <string.h>

#include "cpu.h"

bool isa_has_letter(const char *isa, char c)
{
	if (strncmp(isa, "rv32", 4) && strncmp(isa, "rv64", 4))
		return false;
	for (const char *p = isa + 4; *p && *p != '_'; p++)
		if (*p == c)
			return true;
	return false;
}

bool isa_has_ext(const char *isa, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strchr(isa, '_'); p; p = strchr(p + 1, '_'))
		if (!strncmp(p + 1, name, n) && (p[1 + n] == '_' || p[1 + n] == '\0'))
			return true;
	return false;
}
