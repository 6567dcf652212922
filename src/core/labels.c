#include "core/labels.h"

#include <string.h>

const char *label_find(const char *const pairs[][2], size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(pairs[i][0], code) == 0)
			return pairs[i][1];
	return NULL;
}

const char *label_or_code(const char *const pairs[][2], size_t n, const char *code)
{
	const char *label = label_find(pairs, n, code);
	return label ? label : code ? code : "";
}
