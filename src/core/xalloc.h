/* Allocation that never returns NULL: running out of memory is an outage,
 * not a request error, and every input is size-limited before it gets here. */
#ifndef COUSILAB_XALLOC_H
#define COUSILAB_XALLOC_H

#include <stddef.h>

/* Each returns memory the caller owns and frees with free(); aborts on OOM. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
