/* An append-only scratch file of byte strings, read back by location: big,
 * rarely written data that a process needs in O(1) without holding it in
 * its heap. The file is unlinked from the start (it vanishes with the
 * process); its pages live in the kernel's page cache, which is shared,
 * reclaimable and outside the process's RSS. */
#ifndef COUSILAB_BLOBFILE_H
#define COUSILAB_BLOBFILE_H

#include <stddef.h>
#include <stdint.h>

struct blobfile;

/* Where a string lives: its offset and length packed in one non-negative
 * int64 (fits a JSON integer). Up to 16 MB per string, 512 GB per file. */
typedef int64_t blob_loc;

enum { BLOB_LEN_BITS = 24 };

/* Returns a new empty file in dir, made if missing (owned by the caller, blobfile_close),
 * or NULL with errno set. Allocates. */
struct blobfile *blobfile_open(const char *dir);

void blobfile_close(struct blobfile *f);

/* Appends n bytes. Returns their location, or -1 (errno set: EFBIG for a
 * string over 16 MB, or the write's error). Not thread-safe: one writer at
 * a time, readers may run meanwhile. */
blob_loc blobfile_put(struct blobfile *f, const void *data, size_t n);

/* Returns the string at loc as a NUL-terminated heap copy (caller frees)
 * with its length in *n, or NULL. Thread-safe (pread). */
char *blobfile_get(const struct blobfile *f, blob_loc loc, size_t *n);

/* Returns the length of the string at loc. Pure. */
size_t blob_len(blob_loc loc);

/* Returns the bytes appended so far. */
uint64_t blobfile_size(const struct blobfile *f);

#endif
