/* Mustache compiler and renderer.
 *
 * A template is compiled once into a flat op list held in its own arena;
 * sections know the index of their end, so rendering walks the list and
 * never looks at the source again. Rendering state (context stack,
 * indentation, depth counters) lives on the caller's stack, which is what
 * makes one set safe to render from many threads. */
#define _POSIX_C_SOURCE 200809L

#include "view/mustache.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/xalloc.h"

#define NONE SIZE_MAX

enum {
	MAX_PARTIALS = 32,     /* nested partials, as promised in the header */
	MAX_DEPTH = 128,       /* nested bodies + partials: C recursion */
	MAX_WORK = 1 << 23,    /* per render: fan-out recursion ... */
	MAX_OUTPUT = 64 << 20, /* ... or huge output must not hang a worker */
	MAX_DIR_DEPTH = 16,    /* stops symlinked directory loops */
	MAX_FILE = 16 << 20,
	MAX_QUOTE = 64, /* longest name quoted in an error message */
};

enum op_kind {
	OP_TEXT,
	OP_VAR, /* HTML-escaped */
	OP_RAW,
	OP_SECTION,
	OP_INVERTED,
	OP_END, /* its own op, so partial indentation can land on it */
	OP_PARTIAL,
};

struct op {
	enum op_kind kind;
	/* Starts a source line: gets the enclosing partials' indentation. */
	bool bol;
	/* OP_PARTIAL alone on its line: indent each line of the partial. */
	bool standalone;
	/* OP_TEXT: the text. OP_PARTIAL: the name, NUL-terminated.
	 * Others: the name as written, for close tags and messages. */
	const char *str;
	size_t len;
	const char *const *keys; /* dotted name parts; none for "." */
	size_t nkeys;
	/* Sections: index of their OP_END (of the parent while compiling). */
	size_t end;
	const char *indent; /* standalone OP_PARTIAL: blanks before it */
	size_t indent_len;
};

struct tmpl {
	struct arena *arena; /* owns this struct, name, source, ops */
	const char *name;
	const struct op *ops;
	size_t nops;
};

struct mustache_set {
	struct tmpl **items; /* sorted by name, for binary search */
	size_t n;
	size_t cap;
};

/* ---- compiling ---- */

struct tag {
	char sigil;       /* one of #^/!>=&{ or 0 */
	size_t start;     /* offset of the opening delimiter */
	size_t end;       /* offset just past the closing delimiter */
	const char *name; /* trimmed content */
	size_t name_len;
};

struct compiler {
	const char *name; /* template name, for messages */
	const char *src;  /* arena copy the text ops point into */
	size_t len;
	struct arena *arena;
	struct op *ops; /* scratch, copied into the arena on success */
	size_t nops;
	size_t cap;
	size_t open; /* innermost open section, or NONE */
	const char *otag;
	size_t olen;
	const char *ctag;
	size_t clen;
	bool at_bol; /* the next op starts a line */
	char *err;
	size_t errlen;
};

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
	return is_blank(ch) || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

static bool has_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_space(s[i]))
			return true;
	return false;
}

/* True for ".a", "a." and "a..b". */
static bool has_empty_part(const char *s, size_t n)
{
	if (s[0] == '.' || s[n - 1] == '.')
		return true;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return true;
	return false;
}

static int clip(size_t n)
{
	return n > MAX_QUOTE ? MAX_QUOTE : (int)n;
}

/* Returns the 1-based line of offset pos. */
static size_t line_of(const char *src, size_t pos)
{
	size_t line = 1;
	for (size_t i = 0; i < pos; i++)
		line += src[i] == '\n';
	return line;
}

/* Writes "name:line: message" into the caller's err; returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(const struct compiler *c, size_t pos,
						      const char *fmt, ...)
{
	if (!c->err || !c->errlen)
		return -1;
	int n = snprintf(c->err, c->errlen, "%s:%zu: ", c->name, line_of(c->src, pos));
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Returns the offset of needle in src[from..len), or NONE. */
static size_t find(const char *src, size_t from, size_t len, const char *needle, size_t n)
{
	for (size_t i = from; n <= len && i <= len - n; i++) {
		const char *p = memchr(src + i, needle[0], len - n + 1 - i);
		if (!p)
			return NONE;
		i = (size_t)(p - src);
		if (!memcmp(p, needle, n))
			return i;
	}
	return NONE;
}

/* Returns where the tag content starting at from ends: at closer + ctag
 * when closer is set (triple mustache, set delimiter), else at ctag. */
static size_t find_close(const struct compiler *c, size_t from, char closer)
{
	size_t i = find(c->src, from + (closer != 0), c->len, c->ctag, c->clen);
	while (closer && i != NONE && c->src[i - 1] != closer)
		i = find(c->src, i + 1, c->len, c->ctag, c->clen);
	return closer && i != NONE ? i - 1 : i;
}

/* Returns the tag type character at offset p, or 0 (plain variable). */
static char sigil_at(const struct compiler *c, size_t p)
{
	if (p >= c->len)
		return 0;
	switch (c->src[p]) {
	case '#':
	case '^':
	case '/':
	case '!':
	case '>':
	case '=':
	case '&':
	case '{': return c->src[p];
	default: return 0;
	}
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Fills t from the tag whose opening delimiter is at offset at.
 * Returns 0, or -1 with err set when the tag never closes. */
static int read_tag(const struct compiler *c, size_t at, struct tag *t)
{
	size_t p = at + c->olen;
	t->start = at;
	t->sigil = sigil_at(c, p);
	p += t->sigil != 0;
	char closer = t->sigil == '{' ? '}' : t->sigil == '=' ? '=' : 0;
	size_t q = find_close(c, p, closer);
	if (q == NONE)
		return fail(c, at, "unclosed tag");
	t->name = c->src + p;
	t->name_len = q - p;
	t->end = q + (closer != 0) + c->clen;
	trim(&t->name, &t->name_len);
	return 0;
}

static bool may_stand_alone(char sigil)
{
	return sigil && sigil != '&' && sigil != '{';
}

/* A standalone tag takes its whole line with it. Returns true when t is
 * alone on its line (after text_start, the end of the previous tag), with
 * *line_start where the line's whitespace begins and *next just past the
 * line ending. */
static bool standalone(const struct compiler *c, size_t text_start, const struct tag *t,
		       size_t *line_start, size_t *next)
{
	size_t b = t->start, e = t->end;
	while (b > text_start && is_blank(c->src[b - 1]))
		b--;
	if (b > 0 && c->src[b - 1] != '\n')
		return false;
	while (e < c->len && is_blank(c->src[e]))
		e++;
	if (e + 1 < c->len && c->src[e] == '\r' && c->src[e + 1] == '\n')
		e++;
	if (e < c->len && c->src[e] != '\n')
		return false;
	*line_start = b;
	*next = e < c->len ? e + 1 : e;
	return true;
}

/* Returns a zeroed op appended to the scratch list; valid until the next
 * push. Allocates (aborts on OOM). */
static struct op *push_op(struct compiler *c, enum op_kind kind)
{
	if (c->nops == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->ops = xrealloc(c->ops, c->cap * sizeof(*c->ops));
	}
	struct op *op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

/* Ops that output something claim the start of the line, unless their
 * line vanishes (standalone). */
static void claim_line(struct compiler *c, struct op *op, bool alone)
{
	op->bol = c->at_bol && !alone;
	c->at_bol = false;
}

/* One op per line, so that indentation only has to look at op->bol. */
static void emit_text(struct compiler *c, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(c->src + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - c->src) + 1 : to;
		struct op *op = push_op(c, OP_TEXT);
		op->str = c->src + from;
		op->len = end - from;
		op->bol = c->at_bol;
		c->at_bol = nl != NULL;
		from = end;
	}
}

/* Splits a non-empty dotted name into NUL-terminated keys in the arena.
 * Returns 0, or -1 with err set for a malformed name. */
static int parse_name(struct compiler *c, const struct tag *t, struct op *op)
{
	const char *s = t->name;
	size_t n = t->name_len;
	op->str = s;
	op->len = n;
	if (n == 1 && s[0] == '.')
		return 0;
	op->nkeys = 1;
	for (size_t i = 0; i < n; i++)
		op->nkeys += s[i] == '.';
	if (has_empty_part(s, n) || has_space(s, n))
		return fail(c, t->start, "invalid name \"%.*s\"", clip(n), s);
	const char **keys = arena_alloc(c->arena, op->nkeys * sizeof(*keys));
	for (size_t k = 0; k < op->nkeys; k++) {
		const char *dot = memchr(s, '.', n);
		size_t part = dot ? (size_t)(dot - s) : n;
		keys[k] = arena_strndup(c->arena, s, part);
		s += part + 1;
		n -= part + (dot != NULL);
	}
	op->keys = keys;
	return 0;
}

/* Each compile_* returns 0, or -1 with err set; none allocates beyond
 * the scratch op list and the template's arena. */
static int compile_var(struct compiler *c, const struct tag *t)
{
	struct op *op = push_op(c, t->sigil ? OP_RAW : OP_VAR);
	claim_line(c, op, false);
	return parse_name(c, t, op);
}

/* Open sections form a list threaded through op->end until they close. */
static int open_section(struct compiler *c, const struct tag *t, bool alone)
{
	struct op *op = push_op(c, t->sigil == '#' ? OP_SECTION : OP_INVERTED);
	claim_line(c, op, alone);
	op->end = c->open;
	c->open = c->nops - 1;
	return parse_name(c, t, op);
}

static int close_section(struct compiler *c, const struct tag *t, bool alone)
{
	if (c->open == NONE)
		return fail(c, t->start, "close tag \"%.*s\" without open section",
			    clip(t->name_len), t->name);
	struct op *open = &c->ops[c->open];
	if (open->len != t->name_len || memcmp(open->str, t->name, t->name_len))
		return fail(c, t->start, "close tag \"%.*s\" does not match \"%.*s\"",
			    clip(t->name_len), t->name, clip(open->len), open->str);
	c->open = open->end;
	open->end = c->nops;
	claim_line(c, push_op(c, OP_END), alone);
	return 0;
}

static int compile_partial(struct compiler *c, const struct tag *t, bool alone, size_t line_start)
{
	if (has_space(t->name, t->name_len))
		return fail(c, t->start, "invalid partial name \"%.*s\"", clip(t->name_len),
			    t->name);
	struct op *op = push_op(c, OP_PARTIAL);
	op->str = arena_strndup(c->arena, t->name, t->name_len);
	op->len = t->name_len;
	op->standalone = alone;
	if (alone) {
		op->indent = c->src + line_start;
		op->indent_len = t->start - line_start;
	}
	claim_line(c, op, alone);
	return 0;
}

/* "{{=<% %>=}}": two tokens without whitespace or '='. The delimiters
 * then point into the source copy. Returns 0, or -1 with err set. */
static int set_delimiters(struct compiler *c, const struct tag *t)
{
	const char *s = t->name;
	size_t n = t->name_len, i = 0, j;
	while (i < n && !is_space(s[i]))
		i++;
	for (j = i; j < n && is_space(s[j]); j++)
		;
	if (!i || j == n || has_space(s + j, n - j) || memchr(s, '=', n))
		return fail(c, t->start, "bad delimiter syntax \"%.*s\"", clip(n), s);
	c->otag = s;
	c->olen = i;
	c->ctag = s + j;
	c->clen = n - j;
	return 0;
}

static int compile_tag(struct compiler *c, const struct tag *t, bool alone, size_t line_start)
{
	if (!t->name_len && t->sigil == '=')
		return fail(c, t->start, "bad delimiter syntax \"\"");
	if (!t->name_len && t->sigil != '!')
		return fail(c, t->start, "empty tag name");
	switch (t->sigil) {
	case '!': return 0;
	case '=': return set_delimiters(c, t);
	case '#':
	case '^': return open_section(c, t, alone);
	case '/': return close_section(c, t, alone);
	case '>': return compile_partial(c, t, alone, line_start);
	default: return compile_var(c, t);
	}
}

/* Returns 0 with c->ops filled, or -1 with err set. */
static int compile(struct compiler *c)
{
	size_t pos = 0, at;
	while ((at = find(c->src, pos, c->len, c->otag, c->olen)) != NONE) {
		struct tag t = {0};
		if (read_tag(c, at, &t))
			return -1;
		size_t line_start = at, next = t.end;
		bool alone = may_stand_alone(t.sigil) && standalone(c, pos, &t, &line_start, &next);
		emit_text(c, pos, line_start);
		if (compile_tag(c, &t, alone, line_start))
			return -1;
		if (alone)
			c->at_bol = true;
		pos = next;
	}
	emit_text(c, pos, c->len);
	if (c->open == NONE)
		return 0;
	const struct op *op = &c->ops[c->open];
	return fail(c, (size_t)(op->str - c->src), "unclosed section \"%.*s\"", clip(op->len),
		    op->str);
}

static void tmpl_free(struct tmpl *t)
{
	arena_free(t->arena); /* t lives in its own arena */
}

/* Returns a template owned by the caller (free with tmpl_free), or NULL
 * with err set. Allocates. */
static struct tmpl *tmpl_compile(const char *name, const char *src, size_t len, char *err,
				 size_t errlen)
{
	struct arena *a = arena_new();
	struct tmpl *t = arena_alloc(a, sizeof(*t));
	t->arena = a;
	t->name = arena_strdup(a, name);
	struct compiler c = {
		.name = t->name,
		.src = arena_strndup(a, len ? src : "", len),
		.len = len,
		.arena = a,
		.open = NONE,
		.otag = "{{",
		.olen = 2,
		.ctag = "}}",
		.clen = 2,
		.at_bol = true,
		.err = err,
		.errlen = errlen,
	};
	int rc = compile(&c);
	if (!rc && c.nops) {
		struct op *ops = arena_alloc(a, c.nops * sizeof(*ops));
		memcpy(ops, c.ops, c.nops * sizeof(*ops));
		t->ops = ops;
		t->nops = c.nops;
	}
	free(c.ops);
	if (rc) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

/* ---- the set ---- */

/* Returns the index of name, or where to insert it, setting *found. */
static size_t set_search(const struct mustache_set *set, const char *name, bool *found)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, set->items[mid]->name);
		if (!cmp) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

/* Returns the template called name, or NULL. Allocates nothing. */
static const struct tmpl *set_find(const struct mustache_set *set, const char *name)
{
	bool found;
	size_t i = set_search(set, name, &found);
	return found ? set->items[i] : NULL;
}

struct mustache_set *mustache_set_new(void)
{
	return xcalloc(1, sizeof(struct mustache_set));
}

int mustache_set_add(struct mustache_set *set, const char *name, const char *src, size_t len,
		     char *err, size_t errlen)
{
	struct tmpl *t = tmpl_compile(name, src, len, err, errlen);
	if (!t)
		return -1;
	bool found;
	size_t i = set_search(set, name, &found);
	if (found) {
		tmpl_free(set->items[i]);
		set->items[i] = t;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->items = xrealloc(set->items, set->cap * sizeof(*set->items));
	}
	memmove(set->items + i + 1, set->items + i, (set->n - i) * sizeof(*set->items));
	set->items[i] = t;
	set->n++;
	return 0;
}

bool mustache_has(const struct mustache_set *set, const char *name)
{
	return set_find(set, name) != NULL;
}

void mustache_set_free(struct mustache_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	free(set);
}

/* ---- rendering ---- */

/* Context stack, one frame per entered section, on the C stack. */
struct frame {
	const json_t *value;
	const struct frame *up;
};

/* Indentation of the standalone partials being rendered, innermost first. */
struct indent {
	const char *s;
	size_t len;
	const struct indent *up;
};

/* Per-call state; lives on the stack of mustache_render. */
struct render {
	const struct mustache_set *set;
	struct buf *out;
	const struct indent *indent;
	unsigned depth;    /* nested bodies and partials */
	unsigned partials; /* nested partials */
	size_t work;       /* ops run, weighted by depth */
	size_t out_limit;
	struct mustache_holes *holes; /* NULL: every tag renders */
};

/* Per spec: the first frame that has the first key wins, even when the
 * rest of the name then fails to resolve. Returns NULL when missing. */
static const json_t *lookup(const struct frame *f, const struct op *op)
{
	if (!op->nkeys)
		return f->value;
	const json_t *v = NULL;
	for (; f && !v; f = f->up)
		v = json_object_get(f->value, op->keys[0]);
	for (size_t i = 1; v && i < op->nkeys; i++)
		v = json_object_get(v, op->keys[i]);
	return v;
}

/* Falsey: missing, null, false, "", 0, 0.0 and []. Objects, even empty,
 * are truthy. */
static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_FALSE:
	case JSON_NULL: return false;
	}
	return false;
}

/* Shortest of %.15g..%.17g that reads back as d, so 1.5 prints "1.5".
 * Assumes the C numeric locale, as JSON does. Returns the length. */
static size_t format_real(double d, char *tmp, size_t size)
{
	int n = 0;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(tmp, size, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	return n > 0 ? (size_t)n : 0;
}

/* Returns the text of a scalar (in tmp or in v), or NULL for what renders
 * as nothing: missing, null, objects and arrays. */
static const char *value_text(const json_t *v, char *tmp, size_t size, size_t *len)
{
	int n;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: *len = json_string_length(v); return json_string_value(v);
	case JSON_INTEGER:
		n = snprintf(tmp, size, "%lld", (long long)json_integer_value(v));
		*len = n > 0 ? (size_t)n : 0;
		return tmp;
	case JSON_REAL: *len = format_real(json_real_value(v), tmp, size); return tmp;
	case JSON_TRUE: *len = 4; return "true";
	case JSON_FALSE: *len = 5; return "false";
	case JSON_NULL:
	case JSON_OBJECT:
	case JSON_ARRAY: break;
	}
	return NULL;
}

/* Appends the text of v, HTML-escaped if asked; grows out. */
static void put_value(struct buf *out, const json_t *v, bool escape)
{
	char tmp[40];
	size_t len;
	const char *s = value_text(v, tmp, sizeof(tmp), &len);
	if (!s)
		return;
	if (escape)
		buf_append_html(out, s, len);
	else
		buf_append(out, s, len);
}

/* Outermost indentation first. Recursion is bounded by MAX_PARTIALS. */
static void put_indent(struct buf *out, const struct indent *ind)
{
	if (!ind)
		return;
	put_indent(out, ind->up);
	buf_append(out, ind->s, ind->len);
}

static void render_ops(struct render *r, const struct op *ops, size_t i, size_t end,
		       const struct frame *ctx);

/* Renders the body of the section at ops[i], its OP_END included so that
 * an indented close tag is indented on every pass. */
static void render_body(struct render *r, const struct op *ops, size_t i, const struct frame *ctx)
{
	if (r->depth >= MAX_DEPTH)
		return;
	r->depth++;
	render_ops(r, ops, i + 1, ops[i].end + 1, ctx);
	r->depth--;
}

/* Lists repeat the body per element, anything else truthy runs it once;
 * either way the value becomes the top of the context stack. */
static void render_section(struct render *r, const struct op *ops, size_t i,
			   const struct frame *ctx)
{
	const json_t *v = lookup(ctx, &ops[i]);
	if (!truthy(v))
		return;
	struct frame f = {.value = v, .up = ctx};
	if (!json_is_array(v)) {
		render_body(r, ops, i, &f);
		return;
	}
	for (size_t k = 0; k < json_array_size(v); k++) {
		f.value = json_array_get(v, k);
		render_body(r, ops, i, &f);
	}
}

/* Partials are looked up at render time, so they may be added in any
 * order; a missing one renders as nothing, as the spec says. */
static void render_partial(struct render *r, const struct op *op, const struct frame *ctx)
{
	const struct tmpl *t = set_find(r->set, op->str);
	if (!t || r->partials >= MAX_PARTIALS || r->depth >= MAX_DEPTH)
		return;
	const struct indent *saved = r->indent;
	struct indent ind = {op->indent, op->indent_len, saved};
	r->indent = op->standalone ? &ind : NULL;
	r->partials++;
	r->depth++;
	render_ops(r, t->ops, 0, t->nops, ctx);
	r->depth--;
	r->partials--;
	r->indent = saved;
}

/* An op costs up to depth frame hops (lookup) and indent pieces, hence
 * the weight. Once the budget is spent every pending loop ends at its next
 * op, so a runaway template (a partial including itself twice) stops fast. */
static bool exhausted(struct render *r)
{
	r->work += 1 + r->depth;
	return r->work > MAX_WORK || r->out->len > r->out_limit;
}

/* Returns true when op is a variable or partial the render leaves as a
 * hole, after recording its place. */
static bool left_as_hole(struct render *r, const struct op *op)
{
	struct mustache_holes *h = r->holes;
	if (!h || (op->kind != OP_VAR && op->kind != OP_RAW && op->kind != OP_PARTIAL))
		return false;
	for (size_t i = 0; i < h->n_names; i++) {
		if (strlen(h->names[i]) != op->len || memcmp(h->names[i], op->str, op->len) != 0)
			continue;
		if (h->count == h->cap) {
			h->cap = h->cap ? 2 * h->cap : 16;
			h->at = xrealloc(h->at, h->cap * sizeof(*h->at));
		}
		h->at[h->count++] = (struct mustache_hole){r->out->len, i};
		return true;
	}
	return false;
}

static void render_ops(struct render *r, const struct op *ops, size_t i, size_t end,
		       const struct frame *ctx)
{
	for (; i < end && !exhausted(r); i++) {
		const struct op *op = &ops[i];
		if (op->bol)
			put_indent(r->out, r->indent);
		if (left_as_hole(r, op))
			continue;
		switch (op->kind) {
		case OP_TEXT: buf_append(r->out, op->str, op->len); break;
		case OP_VAR:
		case OP_RAW: put_value(r->out, lookup(ctx, op), op->kind == OP_VAR); break;
		case OP_SECTION:
			render_section(r, ops, i, ctx);
			i = op->end;
			break;
		case OP_INVERTED:
			if (!truthy(lookup(ctx, op)))
				render_body(r, ops, i, ctx);
			i = op->end;
			break;
		case OP_END: break;
		case OP_PARTIAL: render_partial(r, op, ctx); break;
		}
	}
}

int mustache_render_holes(const struct mustache_set *set, const char *name, const json_t *data,
			  struct buf *out, struct mustache_holes *holes)
{
	const struct tmpl *t = set_find(set, name);
	if (!t)
		return -1;
	struct frame root = {.value = data, .up = NULL};
	struct render r = {
		.set = set,
		.out = out,
		.out_limit = out->len + MAX_OUTPUT,
		.holes = holes,
	};
	buf_append(out, "", 0); /* out->data is a string even if empty */
	render_ops(&r, t->ops, 0, t->nops, &root);
	return 0;
}

int mustache_render(const struct mustache_set *set, const char *name, const json_t *data,
		    struct buf *out)
{
	return mustache_render_holes(set, name, data, out, NULL);
}

void mustache_holes_free(struct mustache_holes *holes)
{
	free(holes->at);
	holes->at = NULL;
	holes->count = holes->cap = 0;
}

/* ---- loading a directory ---- */

struct loader {
	struct mustache_set *set;
	struct buf path; /* directory or file being read */
	size_t root_len; /* names start after path[0..root_len) + "/" */
	char *err;
	size_t errlen;
};

/* Writes "path: why" into err; returns -1. */
static int load_error(struct loader *l, const char *why)
{
	if (l->err && l->errlen)
		snprintf(l->err, l->errlen, "%s: %s", l->path.data, why);
	return -1;
}

/* Drops what was appended to the path since it was len long. */
static void path_truncate(struct buf *b, size_t len)
{
	b->len = len;
	b->data[len] = '\0';
}

/* Appends the whole file at path to out. Returns 0 or an errno value. */
static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	char chunk[8192];
	size_t n;
	int rc = 0;
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_append(out, chunk, n);
		if (out->len > MAX_FILE)
			rc = EFBIG;
	}
	if (!rc && ferror(f))
		rc = EIO;
	fclose(f);
	return rc;
}

/* Compiles the file in l->path under its relative name, without the
 * suffix. Returns 0, or -1 with err set. Allocates into the set. */
static int load_file(struct loader *l)
{
	struct buf src = BUF_INIT;
	int rc = read_file(l->path.data, &src);
	if (rc) {
		buf_free(&src);
		return load_error(l, strerror(rc));
	}
	const char *rel = l->path.data + l->root_len + 1;
	char *name = xstrndup(rel, strlen(rel) - strlen(".mustache"));
	rc = mustache_set_add(l->set, name, src.data, src.len, l->err, l->errlen);
	free(name);
	buf_free(&src);
	return rc;
}

/* "x.mustache", not the bare suffix. */
static bool is_template(const char *name)
{
	size_t n = strlen(name), ext = strlen(".mustache");
	return n > ext && !strcmp(name + n - ext, ".mustache");
}

static int load_tree(struct loader *l, unsigned depth);

/* Loads the entry (a directory or a template) whose path is in l->path.
 * Returns 0, or -1 with err set. Other kinds of files are ignored. */
static int load_entry(struct loader *l, const char *entry, unsigned depth)
{
	struct stat st;
	if (stat(l->path.data, &st))
		return load_error(l, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return load_tree(l, depth + 1);
	if (S_ISREG(st.st_mode) && is_template(entry))
		return load_file(l);
	return 0;
}

/* Loads the directory in l->path, in name order so that the reported
 * error is always the same one. Returns 0, or -1 with err set. */
static int load_tree(struct loader *l, unsigned depth)
{
	if (depth > MAX_DIR_DEPTH)
		return load_error(l, "directories nested too deeply");
	struct dirent **list;
	int n = scandir(l->path.data, &list, NULL, alphasort);
	if (n < 0)
		return load_error(l, strerror(errno));
	size_t len = l->path.len;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *entry = list[i]->d_name;
		if (!rc && entry[0] != '.') {
			buf_printf(&l->path, "/%s", entry);
			rc = load_entry(l, entry, depth);
			path_truncate(&l->path, len);
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

struct mustache_set *mustache_set_load_dir(const char *dir, char *err, size_t errlen)
{
	struct loader l = {
		.set = mustache_set_new(),
		.path = BUF_INIT,
		.root_len = strlen(dir),
		.err = err,
		.errlen = errlen,
	};
	buf_puts(&l.path, dir);
	int rc = load_tree(&l, 0);
	buf_free(&l.path);
	if (rc) {
		mustache_set_free(l.set);
		return NULL;
	}
	return l.set;
}
