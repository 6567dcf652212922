#include "files/owner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	const char *kind;
	files_read_check check;
} owners[FILES_OWNER_KINDS_MAX];
static size_t owners_count;

void files_owner_register(const char *kind, files_read_check check)
{
	if (owners_count == FILES_OWNER_KINDS_MAX || files_owner_check(kind)) {
		fprintf(stderr, "cousilab: file owner kind %s registered twice or one too many\n",
			kind);
		abort();
	}
	owners[owners_count].kind = kind;
	owners[owners_count++].check = check;
}

files_read_check files_owner_check(const char *kind)
{
	for (size_t i = 0; kind && i < owners_count; i++)
		if (strcmp(owners[i].kind, kind) == 0)
			return owners[i].check;
	return NULL;
}
