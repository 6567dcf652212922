/* Per-request arena: bump allocation in chunks, freed all at once.
 * Not thread-safe: one arena belongs to one request (one thread). */
#ifndef COUSILAB_ARENA_H
#define COUSILAB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns a new empty arena; the caller owns it and frees it with arena_free.
 * Allocates; aborts on out-of-memory like every allocator here. */
struct arena *arena_new(void);

/* Runs the registered cleanups (newest first), then frees every block. */
void arena_free(struct arena *a);

/* Returns n zeroed bytes, 16-byte aligned, owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);

/* Returns a NUL-terminated copy of s[0..n), owned by the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Returns a NUL-terminated copy of s, owned by the arena. */
char *arena_strdup(struct arena *a, const char *s);

/* Returns a formatted string owned by the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Registers fn(ctx) to run when the arena is freed (temp files, json_t
 * references, pooled clients). Allocates a small record in the arena. */
void arena_on_free(struct arena *a, void (*fn)(void *ctx), void *ctx);

#endif
