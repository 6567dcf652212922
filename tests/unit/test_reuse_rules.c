/* The reuse rules and the derived adopters, without a database; and the
 * club activity merge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "practices/clubs.h"
#include "practices/reuse.h"

static void stages_and_counting(void **state)
{
	(void)state;
	assert_int_equal(REUSE_STAGES_COUNT, 4);
	assert_string_equal(reuse_stage_label("en-cours"), "En cours de déploiement");
	assert_string_equal(reuse_stage_label("nope"), "");
	assert_string_equal(reuse_stage_label(NULL), "");
	assert_true(reuse_stage_counts("interessee"));
	assert_true(reuse_stage_counts("en-cours"));
	assert_true(reuse_stage_counts("deployee"));
	assert_false(reuse_stage_counts("abandonnee"));
	assert_false(reuse_stage_counts("inconnue"));
}

static void check_refuses(const struct reuse_input *in, const char *message_start)
{
	struct field_error errors[REUSE_MAX_ERRORS];
	size_t n = reuse_check(in, errors);
	assert_int_equal(n, 1);
	assert_string_equal(errors[0].field, "stage");
	assert_memory_equal(errors[0].message, message_start, strlen(message_start));
}

static void declaration_rules(void **state)
{
	(void)state;
	struct field_error errors[REUSE_MAX_ERRORS];
	struct reuse_input ok = {.stage = "interessee"};
	assert_int_equal(reuse_check(&ok, errors), 0);
	check_refuses(&(struct reuse_input){.stage = ""}, "Indiquez");
	check_refuses(&(struct reuse_input){.stage = NULL}, "Indiquez");
	check_refuses(&(struct reuse_input){.stage = "{\"$gt\":\"\"}"}, "Choisissez");
	/* One's own practice is not a reuse. */
	check_refuses(&(struct reuse_input){.stage = "deployee", .own_practice = true},
		      "Votre organisme porte");
	/* Abandoning needs a declaration first; later, any move is fine. */
	check_refuses(&(struct reuse_input){.stage = "abandonnee"}, "Votre organisme n’a pas");
	struct reuse_input later = {.stage = "abandonnee", .previous_stage = "en-cours"};
	assert_int_equal(reuse_check(&later, errors), 0);
	struct reuse_input back = {.stage = "interessee", .previous_stage = "abandonnee"};
	assert_int_equal(reuse_check(&back, errors), 0);
}

static void adopters_merge_once_per_organisation(void **state)
{
	(void)state;
	long long count = -1;
	json_t *a = reuse_adopters_merge(NULL, "caf-31", "CAF de la Haute-Garonne", "interessee",
					 &count);
	assert_int_equal(json_array_size(a), 1);
	assert_int_equal(count, 1);
	json_t *b = reuse_adopters_merge(a, "cpam-31", "CPAM de la Haute-Garonne", "deployee",
					 &count);
	assert_int_equal(json_array_size(b), 2);
	assert_int_equal(count, 2);
	/* A second declaration updates the entry in place: no duplicate. */
	json_t *c = reuse_adopters_merge(b, "caf-31", "CAF de la Haute-Garonne", "en-cours",
					 &count);
	assert_int_equal(json_array_size(c), 2);
	assert_int_equal(count, 2);
	json_t *first = json_array_get(c, 0);
	assert_string_equal(json_string_value(json_object_get(first, "code")), "caf-31");
	assert_string_equal(json_string_value(json_object_get(first, "stage")), "en-cours");
	assert_string_equal(json_string_value(json_object_get(first, "stage_label")),
			    "En cours de déploiement");
	/* Abandoned stays listed with its stage but is not counted. */
	json_t *d = reuse_adopters_merge(c, "cpam-31", "CPAM de la Haute-Garonne", "abandonnee",
					 &count);
	assert_int_equal(json_array_size(d), 2);
	assert_int_equal(count, 1);
	/* The input is left as it was. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "stage")),
			    "interessee");
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
}

static void activity_merge_newest_first(void **state)
{
	(void)state;
	json_t *practices = json_pack("[{s:s, s:s}, {s:s, s:s}]", "title", "p-old", "at",
				      "2026-01-02T10:00:00Z", "title", "p-new", "at",
				      "2026-03-01T10:00:00Z");
	json_t *reuses = json_pack("[{s:s, s:s}, {s:s, s:s}]", "title", "r-mid", "at",
				   "2026-02-01T10:00:00Z", "title", "r-newest", "at",
				   "2026-04-01T10:00:00Z");
	json_t *all = club_activity_merge(practices, reuses, 3);
	assert_int_equal(json_array_size(all), 3);
	const char *expected[] = {"r-newest", "p-new", "r-mid"};
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(
			json_string_value(json_object_get(json_array_get(all, i), "title")),
			expected[i]);
	json_t *none = club_activity_merge(NULL, NULL, 10);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
	json_decref(all);
	json_decref(reuses);
	json_decref(practices);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stages_and_counting),
		cmocka_unit_test(declaration_rules),
		cmocka_unit_test(adopters_merge_once_per_organisation),
		cmocka_unit_test(activity_merge_newest_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
