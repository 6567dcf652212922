/* Whole positioned reads and writes: pread/pwrite retried until every
 * byte is through, as files of the store and scratch files need. */
#ifndef COUSILAB_IO_H
#define COUSILAB_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads exactly n bytes at off of fd into p. Returns false on an error
 * (errno set) or end of file. No allocation. */
bool io_read_at(int fd, void *p, size_t n, off_t off);

/* Writes exactly n bytes of p at off of fd. Returns false on an error
 * (errno set). No allocation. */
bool io_write_at(int fd, const void *p, size_t n, off_t off);

#endif
