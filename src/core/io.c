#include "core/io.h"

#include <errno.h>
#include <unistd.h>

bool io_read_at(int fd, void *p, size_t n, off_t off)
{
	for (char *at = p; n;) {
		ssize_t r = pread(fd, at, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		at += r;
		n -= (size_t)r;
		off += r;
	}
	return true;
}

bool io_write_at(int fd, const void *p, size_t n, off_t off)
{
	for (const char *at = p; n;) {
		ssize_t r = pwrite(fd, at, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		at += r;
		n -= (size_t)r;
		off += r;
	}
	return true;
}
