/* The comments' rules (see rules.h). */
#include "comments/rules.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/labels.h"
#include "core/xalloc.h"
#include "db/doc.h"

enum { KIND_MAX = 20 };

static const char *const KINDS[][2] = {
	{"comment", "Commentaire"},
	{"question", "Question"},
};

/* Returns true when s is 1 to max bytes, each accepted by ok. Pure. */
static bool all_of(const char *s, size_t max, bool (*ok)(char c))
{
	size_t n = s ? strnlen(s, max + 1) : 0;
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ok(s[i]))
			return false;
	return true;
}

static bool kind_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool comments_subject_valid(const struct comments_subject *s)
{
	return all_of(s->kind, KIND_MAX, kind_char) &&
	       all_of(s->id, COMMENTS_SUBJECT_ID_MAX, id_char);
}

const char *comments_subject_key(struct arena *a, const struct comments_subject *s)
{
	return arena_printf(a, "%s:%s", s->kind, s->id);
}

const char *comments_kind_label(const char *kind)
{
	return label_find(KINDS, LABELS_COUNT(KINDS), kind);
}

bool comments_editable(int64_t created_ms, int64_t now_ms, long window_s)
{
	return now_ms - created_ms < (int64_t)window_s * 1000;
}

const char *comments_window_text(struct arena *a, long window_s)
{
	bool minutes = window_s >= 60 && window_s % 60 == 0;
	long n = minutes ? window_s / 60 : window_s;
	return arena_printf(a, "%ld %s%s", n, minutes ? "minute" : "seconde", n > 1 ? "s" : "");
}

long comments_edit_window_s(void)
{
	const char *v = getenv("COUSILAB_COMMENT_EDIT_S");
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && n > 0 ? n : COMMENTS_EDIT_WINDOW_S;
}

bool comments_can_edit(const json_t *c, const struct comments_viewer *viewer, int64_t now_ms,
		       long window_s)
{
	bool mine = viewer->user_id && strcmp(viewer->user_id, json_str(c, "author_id")) == 0;
	return mine && !json_is_true(json_object_get(c, "hidden")) &&
	       comments_editable(json_integer_value(json_object_get(c, "created_ms")), now_ms,
				 window_s);
}

json_t *comments_view(const json_t *c, const struct comments_viewer *viewer, int64_t now_ms,
		      long window_s)
{
	const char *kind = json_str(c, "kind");
	const char *label = comments_kind_label(kind);
	bool hidden = json_is_true(json_object_get(c, "hidden"));
	bool masked = hidden && !viewer->moderator;
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:b, s:s, s:s,"
			 " s:b, s:b, s:s, s:b, s:b, s:[], s:b}",
			 "id", json_str(c, "_id"), "parent_id", json_str(c, "parent_id"), "kind",
			 label ? kind : "comment", "kind_label", label ? label : "Commentaire",
			 "is_question", strcmp(kind, "question") == 0, "is_reply", 0, "author_name",
			 json_str(c, "author_name"), "created_at", json_str(c, "created_at"),
			 "created_at_fr", json_str(c, "created_at_fr"), "edited",
			 *json_str(c, "edited_at") != '\0', "edited_at_fr",
			 json_str(c, "edited_at_fr"), "body", masked ? "" : json_str(c, "body"),
			 "hidden", hidden, "masked", masked, "hidden_reason",
			 viewer->moderator ? json_str(c, "hidden_reason") : "", "can_edit",
			 comments_can_edit(c, viewer, now_ms, window_s), "can_hide",
			 viewer->moderator && !hidden, "replies", "has_replies", 0);
}

json_t *comments_threads(const json_t *comments, const struct comments_viewer *viewer,
			 int64_t now_ms, long window_s)
{
	json_t *threads = json_array();
	json_t *tops = json_object(); /* any comment's id → its thread's top view */
	size_t i;
	json_t *c;
	/* Oldest first, so a parent always comes before its replies. */
	json_array_foreach(comments, i, c) {
		json_t *view = comments_view(c, viewer, now_ms, window_s);
		json_t *top = json_object_get(tops, json_str(c, "parent_id"));
		if (top) {
			json_object_set_new(view, "is_reply", json_true());
			json_array_append_new(json_object_get(top, "replies"), view);
			json_object_set_new(top, "has_replies", json_true());
		} else {
			top = view;
			json_array_append_new(threads, view);
		}
		json_object_set(tops, json_str(c, "_id"), top);
	}
	json_decref(tops);
	return threads;
}

json_t *comments_excerpt(const char *s, size_t max_chars)
{
	size_t n = 0, chars = 0;
	for (; s[n] && chars <= max_chars; n++)
		chars += ((unsigned char)s[n] & 0xC0) != 0x80;
	if (!s[n] && chars <= max_chars)
		return json_string(s);
	/* n stopped just past the first byte of character max_chars + 1. */
	char *cut = xmalloc(n + 3);
	memcpy(cut, s, n - 1);
	memcpy(cut + n - 1, "…", 4);
	json_t *v = json_string(cut);
	free(cut);
	return v;
}
