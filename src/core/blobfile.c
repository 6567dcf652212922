#include "core/blobfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io.h"
#include "core/xalloc.h"

struct blobfile {
	int fd;
	uint64_t size;
};

#define LEN_MASK ((INT64_C(1) << BLOB_LEN_BITS) - 1)
#define OFFSET_MAX (INT64_C(1) << (62 - BLOB_LEN_BITS))

/* Returns an unnamed read-write file in dir, or -1: O_TMPFILE where the
 * filesystem has it, else a named one unlinked at once. */
static int unnamed_file(const char *dir)
{
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd;
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/blob-XXXXXX", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

struct blobfile *blobfile_open(const char *dir)
{
	int fd = unnamed_file(dir);
	if (fd < 0)
		return NULL;
	struct blobfile *f = xcalloc(1, sizeof(*f));
	f->fd = fd;
	return f;
}

void blobfile_close(struct blobfile *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f);
}

blob_loc blobfile_put(struct blobfile *f, const void *data, size_t n)
{
	if (n > (size_t)LEN_MASK || f->size + n >= (uint64_t)OFFSET_MAX) {
		errno = EFBIG;
		return -1;
	}
	if (!io_write_at(f->fd, data, n, (off_t)f->size))
		return -1; /* nothing counted: the next put overwrites it */
	blob_loc loc = (blob_loc)(f->size << BLOB_LEN_BITS) | (blob_loc)n;
	f->size += n;
	return loc;
}

size_t blob_len(blob_loc loc)
{
	return (size_t)(loc & LEN_MASK);
}

char *blobfile_get(const struct blobfile *f, blob_loc loc, size_t *n)
{
	*n = blob_len(loc);
	off_t offset = (off_t)(loc >> BLOB_LEN_BITS);
	char *out = xmalloc(*n + 1);
	if (!io_read_at(f->fd, out, *n, offset)) {
		free(out);
		return NULL;
	}
	out[*n] = '\0';
	return out;
}

uint64_t blobfile_size(const struct blobfile *f)
{
	return f->size;
}
