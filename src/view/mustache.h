/* Mustache templates (spec v1.x without lambdas), compiled once at startup.
 *
 * A set is filled by one thread, then only read: any number of threads may
 * call mustache_render and mustache_has on it at once, as long as nobody
 * adds to it or frees it meanwhile. Rendering keeps all its state on the
 * caller's stack and allocates only through the output buffer. */
#ifndef COUSILAB_MUSTACHE_H
#define COUSILAB_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct buf;

/* Named compiled templates; immutable after loading, thread-safe to render. */
struct mustache_set;

/* Returns a new empty set; the caller owns it and frees it with
 * mustache_set_free. Allocates; aborts on out-of-memory. */
struct mustache_set *mustache_set_new(void);

/* Compiles src[0..len) under name (copied; "/" allowed), replacing any
 * template of that name. Returns 0, or -1 with "name:line: message" in
 * err[0..errlen) (err may be NULL) and the set unchanged. Allocates the
 * compiled form, owned by the set. Not thread-safe. */
int mustache_set_add(struct mustache_set *set, const char *name, const char *src, size_t len,
		     char *err, size_t errlen);

/* Loads every *.mustache file under dir, recursively, in name order; a
 * template's name is its path relative to dir without ".mustache"
 * ("partials/head", "mail/confirm.txt"). Entries starting with "." are
 * skipped. Returns a new set the caller frees with mustache_set_free, or
 * NULL with err set on the first failure (unreadable entry, compile error).
 * Allocates. */
struct mustache_set *mustache_set_load_dir(const char *dir, char *err, size_t errlen);

/* Returns true when the set holds a template called name. Allocates nothing. */
bool mustache_has(const struct mustache_set *set, const char *name);

/* Appends the rendering of template name with data (may be NULL) to out.
 * Returns 0, or -1 if name is unknown (out untouched). Missing partials
 * render as empty; nesting past 32 partials, or past 128 sections and
 * partials, silently stops rendering that branch. A runaway template is
 * cut short after about 8M steps (fewer when deeply nested) or 64 MiB of
 * output, still returning 0. Allocates only through out, which is
 * NUL-terminated afterwards. */
int mustache_render(const struct mustache_set *set, const char *name, const json_t *data,
		    struct buf *out);

/* Where the rendering of a tag named in a hole list would have gone. */
struct mustache_hole {
	size_t offset; /* in the output buffer */
	size_t name;   /* index in mustache_holes.names */
};

/* The tags a rendering leaves empty, to be filled later per request: a
 * partial ("partials/account") or a variable ("csrf"), by its name as
 * written in the template. Their places are recorded next to the output,
 * never marked inside it, so no text a template prints can pose as one. */
struct mustache_holes {
	const char *const *names;
	size_t n_names;
	struct mustache_hole *at; /* heap, in output order; free with mustache_holes_free */
	size_t count, cap;
};

/* Like mustache_render, except that the tags named in holes->names print
 * nothing and are appended to holes->at instead (allocated, owned by
 * holes). Returns 0, or -1 if name is unknown (out and holes untouched). */
int mustache_render_holes(const struct mustache_set *set, const char *name, const json_t *data,
			  struct buf *out, struct mustache_holes *holes);

/* Frees holes->at and empties it; the names stay. */
void mustache_holes_free(struct mustache_holes *holes);

/* Frees the set and every template in it; NULL is accepted. */
void mustache_set_free(struct mustache_set *set);

#endif
