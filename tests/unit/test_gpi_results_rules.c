/* The embargo and the laureates list as pure rules: when results are
 * public (the ceremony's first instant, moved or not), who sees them
 * before, the palmarès order and the people withdrawn from publication. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "core/arena.h"
#include "db/doc.h"
#include "gpi/results_rules.h"

/* 2022: the ceremony on Tuesday 4 October, 00:00 Paris. */
static const int64_t CEREMONY = 1664834400000LL;

static json_t *edition(int64_t ceremony_ms)
{
	return json_pack("{s:i, s:I, s:[{s:s, s:s}, {s:s, s:s}], s:{s:{s:I, s:I}}}", "year", 2022,
			 "gold_endowment_eur", (json_int_t)5000, "categories", "code", "rh",
			 "name", "Innovation RH", "code", "sociale", "name", "Innovation sociale",
			 "phases", "ceremony", "start", (json_int_t)ceremony_ms, "end",
			 (json_int_t)(ceremony_ms + 86399000));
}

static void results_publish_at_the_ceremony_instant(void **state)
{
	(void)state;
	json_t *e = edition(CEREMONY);
	assert_int_equal(gpi_results_publish_ms(e), CEREMONY);
	assert_false(gpi_results_published(e, CEREMONY - 1));
	assert_true(gpi_results_published(e, CEREMONY));
	assert_true(gpi_results_published(e, CEREMONY + 1));
	/* Moved a week later: under embargo again, until the new instant. */
	json_t *later = edition(CEREMONY + 7 * 86400000LL);
	assert_false(gpi_results_published(later, CEREMONY + 1));
	assert_true(gpi_results_published(later, CEREMONY + 7 * 86400000LL));
	/* Moved a day earlier: public from the new instant. */
	json_t *earlier = edition(CEREMONY - 86400000LL);
	assert_true(gpi_results_published(earlier, CEREMONY - 86400000LL));
	assert_false(gpi_results_published(earlier, CEREMONY - 86400000LL - 1));
	/* No ceremony: never. */
	json_t *none = json_pack("{s:i}", "year", 2022);
	assert_false(gpi_results_published(none, INT64_MAX - 1));
	json_decref(e);
	json_decref(later);
	json_decref(earlier);
	json_decref(none);
}

/* Returns an active user holding role in scope (NULL: unscoped). */
static struct user *user_with(struct arena *a, const char *role, const char *scope)
{
	bson_t *doc = scope ? BCON_NEW("_id", BCON_UTF8("u1"), "status", BCON_UTF8("active"),
				       "organisation", BCON_UTF8("caf-31"), "roles", "[", "{",
				       "role", BCON_UTF8(role), "scope", BCON_UTF8(scope), "}", "]")
			    : BCON_NEW("_id", BCON_UTF8("u1"), "status", BCON_UTF8("active"),
				       "organisation", BCON_UTF8("caf-31"), "roles", "[", "{",
				       "role", BCON_UTF8(role), "}", "]");
	struct user *u = user_from_doc(a, doc);
	bson_destroy(doc);
	return u;
}

static void only_the_grand_jury_secretariat_and_admins_see_them_before(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *e = edition(CEREMONY);
	const int64_t before = CEREMONY - 1;
	assert_false(gpi_results_visible(NULL, e, before));
	assert_false(gpi_results_visible(user_with(a, "agent", NULL), e, before));
	assert_false(gpi_results_visible(user_with(a, "juror", "gpi:2022:rh"), e, before));
	assert_false(gpi_results_visible(user_with(a, "grand_juror", "gpi:2023"), e, before));
	assert_false(gpi_results_visible(user_with(a, "secretariat", "gpi:2023"), e, before));
	assert_true(gpi_results_visible(user_with(a, "grand_juror", "gpi:2022"), e, before));
	assert_true(gpi_results_visible(user_with(a, "secretariat", "gpi:2022"), e, before));
	assert_true(gpi_results_visible(user_with(a, "admin", NULL), e, before));
	struct user *gone = user_with(a, "grand_juror", "gpi:2022");
	gone->status = "deactivated";
	assert_false(gpi_results_visible(gone, e, before));
	/* At the instant, everyone. */
	assert_true(gpi_results_visible(NULL, e, CEREMONY));
	json_decref(e);
	arena_free(a);
}

static const json_t *row_of(void *ctx, const char *id)
{
	return json_object_get(ctx, id);
}

/* Returns an index row of category, its Gold endowment use stated or not. */
static json_t *row(const char *category, const char *title, bool endowment_use)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:b}}", "category", category, "title", title,
			 "organisation_id", "caf-31", "project_id", "", "project_slug", "",
			 "facts", "endowment_use", endowment_use);
}

static void laureates_come_in_palmares_order(void **state)
{
	(void)state;
	json_t *e = edition(CEREMONY);
	json_t *rows = json_pack("{s:o, s:o, s:o, s:o, s:o}", "a", row("rh", "Alpha", false), "b",
				 row("rh", "Bravo", true), "c", row("rh", "Charlie", true), "d",
				 row("sociale", "Delta", true), "s", row("sociale", "Sierra", true));
	/* sociale only has its Or; rh all three; an award to a candidature
	 * that no longer exists is left out. */
	json_t *states = json_pack("{s:{s:{s:s, s:s, s:s}}, s:{s:{s:s, s:s}}}", "rh", "awards",
				   "or", "a", "argent", "b", "bronze", "c", "sociale", "awards",
				   "or", "d", "argent", "gone");
	json_t *results = json_pack("{s:s, s:{s:s, s:s}}", "coup_de_coeur", "b", "special",
				    "candidature_id", "s", "title", "Prix de l’audace");
	json_t *list = gpi_laureates_list(e, states, results, row_of, rows);
	const char *want[][3] = {{"rh", "or", "Alpha"},       {"rh", "argent", "Bravo"},
				 {"rh", "bronze", "Charlie"}, {"sociale", "or", "Delta"},
				 {"rh", "coup-de-coeur", "Bravo"}, {"sociale", "special", "Sierra"}};
	assert_int_equal(json_array_size(list), 6);
	for (size_t i = 0; i < 6; i++) {
		const json_t *l = json_array_get(list, i);
		assert_string_equal(json_str(l, "category"), want[i][0]);
		assert_string_equal(json_str(l, "prize"), want[i][1]);
		assert_string_equal(json_str(l, "title"), want[i][2]);
	}
	/* Alpha's Gold has no stated use: the prize stands, not the money. */
	const json_t *alpha = json_array_get(list, 0), *delta = json_array_get(list, 3);
	assert_int_equal(json_integer_value(json_object_get(alpha, "endowment_eur")), 0);
	assert_non_null(strstr(json_str(alpha, "endowment_note"), "non attribuable"));
	assert_int_equal(json_integer_value(json_object_get(delta, "endowment_eur")), 5000);
	assert_true(json_is_null(json_object_get(delta, "endowment_note")));
	/* Only Gold carries an endowment. */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1),
							    "endowment_eur")),
			 0);
	assert_string_equal(json_str(json_array_get(list, 5), "prize_title"), "Prix de l’audace");
	assert_string_equal(json_str(json_array_get(list, 3), "category_name"),
			    "Innovation sociale");
	json_decref(list);
	/* Nothing decided yet: nothing listed. */
	list = gpi_laureates_list(e, json_object_get(rows, "none"), NULL, row_of, rows);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	json_decref(e);
	json_decref(rows);
	json_decref(states);
	json_decref(results);
}

static void people_who_withdrew_are_never_named(void **state)
{
	(void)state;
	json_t *cand = json_pack("{s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s}]}", "people",
				 "name", "Anne Martin", "role", "cheffe de projet",
				 "publication_withdrawn", 1, "name", "Paul Roux", "role",
				 "développeur", "publication_withdrawn", 0, "name", "Léa Blanc",
				 "role", "");
	json_t *people = gpi_public_people(cand);
	assert_int_equal(json_array_size(people), 2);
	assert_string_equal(json_str(json_array_get(people, 0), "name"), "Paul Roux");
	assert_string_equal(json_str(json_array_get(people, 1), "name"), "Léa Blanc");
	json_decref(people);
	json_decref(cand);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(results_publish_at_the_ceremony_instant),
		cmocka_unit_test(only_the_grand_jury_secretariat_and_admins_see_them_before),
		cmocka_unit_test(laureates_come_in_palmares_order),
		cmocka_unit_test(people_who_withdrew_are_never_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
