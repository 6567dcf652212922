/* The comments' rules, without a database: subjects, kinds, the edit
 * window, what each reader sees of a hidden comment, one-level threads,
 * excerpts and the Paris day of the digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "comments/digest.h"
#include "comments/rules.h"
#include "core/arena.h"
#include "db/doc.h"

enum { T0 = 1700000000000LL / 1000 }; /* any instant, in seconds */

/* Returns a stored comment as comments_page gives it. New reference. */
static json_t *stored(const char *id, const char *parent, const char *author, bool hidden)
{
	return json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s?, s:b, s:s}", "_id",
			 id, "parent_id", parent, "author_id", author, "author_name",
			 "Camille Martin", "kind", "question", "body",
			 "Comment faites-vous ?\nMerci.", "created_ms", (json_int_t)T0 * 1000,
			 "created_at", "2023-11-14T22:13:20Z", "created_at_fr",
			 "mardi 14 novembre 2023 à 23 h 13", "edited_at", NULL, "hidden", hidden,
			 "hidden_reason", hidden ? "Hors sujet" : "");
}

static void kinds(void **state)
{
	(void)state;
	assert_string_equal(comments_kind_label("comment"), "Commentaire");
	assert_string_equal(comments_kind_label("question"), "Question");
	assert_null(comments_kind_label("reponse"));
	assert_null(comments_kind_label(NULL));
}

static void edit_window(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	int64_t created = (int64_t)T0 * 1000;
	assert_true(comments_editable(created, created, 900));
	assert_true(comments_editable(created, created + 899999, 900));
	assert_false(comments_editable(created, created + 900000, 900));
	assert_string_equal(comments_window_text(a, 900), "15 minutes");
	assert_string_equal(comments_window_text(a, 60), "1 minute");
	assert_string_equal(comments_window_text(a, 2), "2 secondes");
	assert_string_equal(comments_window_text(a, 90), "90 secondes");
	arena_free(a);
}

static void hidden_comments_are_masked_but_for_coordinators(void **state)
{
	(void)state;
	struct comments_viewer nobody = {0};
	struct comments_viewer author = {.user_id = "aaaaaaaaaaaaaaaaaaaaaaaa", .signed_in = true};
	struct comments_viewer coordinator = {
		.user_id = "cccccccccccccccccccccccc", .signed_in = true, .moderator = true};
	json_t *c = stored("111111111111111111111111", NULL, author.user_id, true);
	int64_t now = (int64_t)T0 * 1000 + 1000;

	json_t *anon = comments_view(c, &nobody, now, 900);
	assert_true(json_is_true(json_object_get(anon, "masked")));
	assert_string_equal(json_str(anon, "body"), "");
	assert_string_equal(json_str(anon, "hidden_reason"), "");
	assert_false(json_is_true(json_object_get(anon, "can_hide")));
	json_t *own = comments_view(c, &author, now, 900);
	assert_true(json_is_true(json_object_get(own, "masked")));
	assert_false(json_is_true(json_object_get(own, "can_edit")));
	json_t *coord = comments_view(c, &coordinator, now, 900);
	assert_false(json_is_true(json_object_get(coord, "masked")));
	assert_string_equal(json_str(coord, "hidden_reason"), "Hors sujet");
	assert_string_equal(json_str(coord, "body"), "Comment faites-vous ?\nMerci.");
	assert_false(json_is_true(json_object_get(coord, "can_hide")));
	json_decref(anon);
	json_decref(own);
	json_decref(coord);
	json_decref(c);

	c = stored("222222222222222222222222", NULL, author.user_id, false);
	own = comments_view(c, &author, now, 900);
	assert_true(json_is_true(json_object_get(own, "can_edit")));
	assert_true(json_is_true(json_object_get(own, "is_question")));
	assert_false(json_is_true(json_object_get(own, "edited")));
	json_t *late = comments_view(c, &author, now + 900000, 900);
	assert_false(json_is_true(json_object_get(late, "can_edit")));
	coord = comments_view(c, &coordinator, now, 900);
	assert_false(json_is_true(json_object_get(coord, "can_edit")));
	assert_true(json_is_true(json_object_get(coord, "can_hide")));
	json_decref(own);
	json_decref(late);
	json_decref(coord);
	json_decref(c);
}

static void threads_are_one_level_deep(void **state)
{
	(void)state;
	/* b answers a, c answers b (stored under b, as an old or foreign
	 * writer might): both show under a; d is new; e's parent is gone. */
	json_t *list = json_pack(
		"[o, o, o, o, o]", stored("a00000000000000000000000", NULL, "u1", false),
		stored("b00000000000000000000000", "a00000000000000000000000", "u2", false),
		stored("c00000000000000000000000", "b00000000000000000000000", "u1", false),
		stored("d00000000000000000000000", NULL, "u3", false),
		stored("e00000000000000000000000", "f00000000000000000000000", "u3", false));
	json_t *threads = comments_threads(list, &(struct comments_viewer){0}, 0, 900);
	assert_int_equal(json_array_size(threads), 3);
	json_t *a = json_array_get(threads, 0);
	assert_string_equal(json_str(a, "id"), "a00000000000000000000000");
	assert_true(json_is_true(json_object_get(a, "has_replies")));
	json_t *replies = json_object_get(a, "replies");
	assert_int_equal(json_array_size(replies), 2);
	assert_string_equal(json_str(json_array_get(replies, 0), "id"), "b00000000000000000000000");
	assert_string_equal(json_str(json_array_get(replies, 1), "id"), "c00000000000000000000000");
	assert_true(json_is_true(json_object_get(json_array_get(replies, 1), "is_reply")));
	assert_int_equal(json_array_size(json_object_get(json_array_get(replies, 0), "replies")),
			 0);
	json_t *d = json_array_get(threads, 1);
	assert_false(json_is_true(json_object_get(d, "has_replies")));
	json_t *e = json_array_get(threads, 2);
	assert_false(json_is_true(json_object_get(e, "is_reply")));
	json_decref(threads);
	json_decref(list);
}

static void subjects_name_stored_data_safely(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct comments_subject practice = {"practice", "0123456789abcdef01234567"};
	assert_true(comments_subject_valid(&practice));
	assert_string_equal(comments_subject_key(a, &practice),
			    "practice:0123456789abcdef01234567");
	assert_true(comments_subject_valid(&(struct comments_subject){"team", "equipe-12"}));
	/* Keys are "<kind>:<id>", and the id becomes part of document ids:
	 * nothing that could split them or act as an operator. */
	const struct comments_subject bad[] = {
		{"practice", "a:b"},  {"practice", "$where"},
		{"practice", ""},     {"Practice", "abc"},
		{"", "abc"},          {NULL, "abc"},
		{"practice", NULL},   {"practice", "0123456789abcdef0123456789"},
		{"pra:ctice", "abc"}, {"practice", "ABC"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(comments_subject_valid(&bad[i]));
	arena_free(a);
}

static void excerpts_cut_at_a_character(void **state)
{
	(void)state;
	json_t *whole = comments_excerpt("Très court", 10);
	assert_string_equal(json_string_value(whole), "Très court");
	json_t *cut = comments_excerpt("Élément éloigné", 7);
	assert_string_equal(json_string_value(cut), "Élément…");
	json_decref(whole);
	json_decref(cut);
}

static void digest_days_are_paris_days(void **state)
{
	(void)state;
	char day[11];
	int hour;
	/* 2026-01-15 23:30 UTC is already the 16th at 00:30 in Paris (CET). */
	comments_paris_day(1768519800000LL, day, &hour);
	assert_string_equal(day, "2026-01-16");
	assert_int_equal(hour, 0);
	/* 2026-07-01 05:00 UTC is 07:00 in Paris (CEST). */
	comments_paris_day(1782882000000LL, day, &hour);
	assert_string_equal(day, "2026-07-01");
	assert_int_equal(hour, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds),
		cmocka_unit_test(edit_window),
		cmocka_unit_test(hidden_comments_are_masked_but_for_coordinators),
		cmocka_unit_test(threads_are_one_level_deep),
		cmocka_unit_test(subjects_name_stored_data_safely),
		cmocka_unit_test(excerpts_cut_at_a_character),
		cmocka_unit_test(digest_days_are_paris_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
