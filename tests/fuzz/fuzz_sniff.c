/*
 * libFuzzer target: file_sniff on the input written to a temp file, then
 * on the same file announced longer than it is (always damaged); and
 * file_content_disposition on the input as a file name (one header line of
 * printable ASCII whatever the name).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "files/sniff.h"
#include "files/store.h"

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static char dir[] = "/tmp/cousilab-fuzz-sniff-XXXXXX";
static char path[64];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static void write_input(const uint8_t *data, size_t size)
{
	if (!*path) {
		CHECK(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/upload", dir);
		atexit(cleanup);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_input(data, size);
	enum file_type t = file_sniff(path, size);
	CHECK(t >= FILE_UNKNOWN && t <= FILE_CORRUPT);
	CHECK((t == FILE_EMPTY) == (size == 0));
	CHECK(file_type_info(t)->label_fr);
	CHECK(file_sniff(path, size + 1) == FILE_CORRUPT);

	char *name = xmalloc(size + 1);
	memcpy(name, data, size);
	name[size] = '\0';
	struct arena *a = arena_new();
	const char *cd = file_content_disposition(a, name, size % 2);
	for (const char *p = cd; *p; p++)
		CHECK(*p >= 0x20 && *p < 0x7f);
	arena_free(a);
	free(name);
	return 0;
}
