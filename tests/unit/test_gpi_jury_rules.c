/* Grand Prix juries without a database: recusal (own organisation,
 * partner, declared conflict), who is a juror of what, the declared
 * reason's rules, the one access rule gpi_candidature_may_see as a
 * juror, a filer, the secretariat and an admin meet it, and the status
 * each of them is shown (gpi_status_shown). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "accounts/user.h"
#include "core/arena.h"
#include "gpi/candidature.h"
#include "gpi/jury.h"

/* Returns an active user of organisation org (NULL: none) whose grants
 * are the one {role, scope} given (role NULL: no grant). Arena-owned. */
static struct user *user_of(struct arena *a, const char *id, const char *org, const char *role,
			    const char *scope)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(id), "status", BCON_UTF8("active"));
	if (org)
		BSON_APPEND_UTF8(doc, "organisation", org);
	bson_t roles, grant;
	BSON_APPEND_ARRAY_BEGIN(doc, "roles", &roles);
	BSON_APPEND_DOCUMENT_BEGIN(&roles, "0", &grant);
	BSON_APPEND_UTF8(&grant, "role", "agent");
	bson_append_document_end(&roles, &grant);
	if (role) {
		BSON_APPEND_DOCUMENT_BEGIN(&roles, "1", &grant);
		BSON_APPEND_UTF8(&grant, "role", role);
		if (scope)
			BSON_APPEND_UTF8(&grant, "scope", scope);
		bson_append_document_end(&roles, &grant);
	}
	bson_append_array_end(doc, &roles);
	struct user *u = user_from_doc(a, doc);
	bson_destroy(doc);
	return u;
}

static void recusal_covers_organisation_partners_and_declarations(void **state)
{
	(void)state;
	json_t *partners = json_pack("[s, s]", "cnaf", "urssaf-idf");
	assert_true(gpi_recused("cpam-ain", "cpam-ain", partners, false));
	assert_string_equal(gpi_recusal_reason("cpam-ain", "cpam-ain", partners, false),
			    "son organisation");
	assert_true(gpi_recused("urssaf-idf", "cpam-ain", partners, false));
	assert_string_equal(gpi_recusal_reason("urssaf-idf", "cpam-ain", partners, false),
			    "organisation partenaire");
	assert_false(gpi_recused("carsat-ra", "cpam-ain", partners, false));
	assert_true(gpi_recused("carsat-ra", "cpam-ain", partners, true));
	assert_string_equal(gpi_recusal_reason("carsat-ra", "cpam-ain", partners, true),
			    "conflit déclaré");
	/* A juror without organisation is recused by nothing but a
	 * declaration; an empty code never matches another empty one. */
	assert_false(gpi_recused(NULL, "cpam-ain", partners, false));
	assert_false(gpi_recused("", "", NULL, false));
	/* No partners at all. */
	assert_false(gpi_recused("cnaf", "cpam-ain", NULL, false));
	/* A prefix is not the organisation. */
	assert_false(gpi_recused("cpam", "cpam-ain", partners, false));
	json_decref(partners);
}

static void only_admissible_candidatures_are_before_the_jury(void **state)
{
	(void)state;
	assert_true(gpi_status_for_jury("recevable"));
	assert_true(gpi_status_for_jury("finaliste"));
	assert_true(gpi_status_for_jury("non-retenue"));
	assert_false(gpi_status_for_jury("brouillon"));
	assert_false(gpi_status_for_jury("deposee"));
	assert_false(gpi_status_for_jury("irrecevable"));
	assert_false(gpi_status_for_jury(""));
	assert_false(gpi_status_for_jury(NULL));
}

static void jurors_are_appointed_not_implied(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct user *rh = user_of(a, "j1", "cnaf", "juror", "gpi:2026:rh");
	struct user *edition = user_of(a, "j2", "cnaf", "juror", "gpi:2026");
	struct user *grand = user_of(a, "g1", "cnaf", "grand_juror", "gpi:2026");
	struct user *admin = user_of(a, "a1", NULL, "admin", NULL);
	struct user *other = user_of(a, "j3", "cnaf", "juror", "gpi:2027:rh");
	assert_true(gpi_is_juror(rh, 2026, "rh"));
	assert_false(gpi_is_juror(rh, 2026, "sociale"));
	assert_false(gpi_is_juror(rh, 2027, "rh"));
	assert_true(gpi_is_juror(edition, 2026, "sociale"));
	assert_false(gpi_is_juror(grand, 2026, "rh"));
	assert_true(gpi_is_grand_juror(grand, 2026));
	assert_false(gpi_is_grand_juror(grand, 2027));
	assert_false(gpi_is_grand_juror(rh, 2026));
	/* An admin judges nothing unless appointed. */
	assert_false(gpi_is_juror(admin, 2026, "rh"));
	assert_false(gpi_sits_on_jury(admin, 2026));
	assert_true(gpi_sits_on_jury(rh, 2026));
	assert_true(gpi_sits_on_jury(edition, 2026));
	assert_true(gpi_sits_on_jury(grand, 2026));
	assert_false(gpi_sits_on_jury(other, 2026));
	assert_false(gpi_is_juror(NULL, 2026, "rh"));
	assert_false(gpi_is_juror(rh, 2026, NULL));
	arena_free(a);
}

static void a_declared_reason_is_needed_and_bounded(void **state)
{
	(void)state;
	assert_null(gpi_conflict_reason_error("Ancien directeur de cet organisme."));
	assert_non_null(gpi_conflict_reason_error(""));
	assert_non_null(gpi_conflict_reason_error("  \n\t "));
	assert_non_null(gpi_conflict_reason_error(NULL));
	assert_non_null(gpi_conflict_reason_error("bip\x07"));
	char long_reason[GPI_CONFLICT_REASON_MAX + 2];
	memset(long_reason, 'a', sizeof(long_reason) - 1);
	long_reason[sizeof(long_reason) - 1] = '\0';
	assert_non_null(gpi_conflict_reason_error(long_reason));
	long_reason[GPI_CONFLICT_REASON_MAX] = '\0';
	assert_null(gpi_conflict_reason_error(long_reason));
}

static void jurors_see_admissible_unrecused_candidatures_only(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *partners = json_pack("[s]", "urssaf-idf");
	json_t *none = json_object();
	json_t *declared = json_pack("{s:{s:s}}", "j2", "reason", "Ancien agent");
	struct gpi_audience cand = {.year = 2026,
				    .id = "c1",
				    .category = "rh",
				    .organisation_id = "cpam-ain",
				    .status = "recevable",
				    .partners = partners,
				    .declared = none};
	struct user *juror = user_of(a, "j1", "carsat-ra", "juror", "gpi:2026:rh");
	struct user *declarer = user_of(a, "j2", "carsat-ra", "juror", "gpi:2026:rh");
	struct user *own = user_of(a, "j3", "cpam-ain", "juror", "gpi:2026:rh");
	struct user *partner = user_of(a, "j4", "urssaf-idf", "juror", "gpi:2026:rh");
	struct user *elsewhere = user_of(a, "j5", "carsat-ra", "juror", "gpi:2026:sociale");
	struct user *grand = user_of(a, "g1", "carsat-ra", "grand_juror", "gpi:2026");
	struct user *filer = user_of(a, "f1", "cpam-ain", NULL, NULL);
	struct user *secretariat = user_of(a, "s1", "ucanss", "secretariat", "gpi:2026");
	struct user *admin = user_of(a, "a1", "cpam-ain", "admin", NULL);

	assert_true(gpi_candidature_may_see(juror, &cand));
	assert_true(gpi_candidature_may_see(grand, &cand));
	assert_false(gpi_candidature_may_see(elsewhere, &cand));
	/* Recused: their own organisation's (even as one of its agents),
	 * a partner's. */
	assert_false(gpi_candidature_may_see(own, &cand));
	assert_false(gpi_candidature_may_see(partner, &cand));
	assert_true(gpi_candidature_may_see(filer, &cand));
	assert_true(gpi_candidature_may_see(secretariat, &cand));
	assert_true(gpi_candidature_may_see(admin, &cand));
	/* A declared conflict hides it from the one who declared it. */
	cand.declared = declared;
	assert_false(gpi_candidature_may_see(declarer, &cand));
	assert_true(gpi_candidature_may_see(juror, &cand));
	/* Conflicts unknown (the database down at first load): no juror
	 * sees it, the others do. */
	cand.declared = NULL;
	assert_false(gpi_candidature_may_see(juror, &cand));
	assert_false(gpi_candidature_may_see(grand, &cand));
	assert_true(gpi_candidature_may_see(filer, &cand));
	assert_true(gpi_candidature_may_see(secretariat, &cand));
	cand.declared = none;
	/* Not yet, or not, admissible: not before the jury. */
	const char *hidden[] = {"brouillon", "deposee", "irrecevable"};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(*hidden); i++) {
		cand.status = hidden[i];
		assert_false(gpi_candidature_may_see(juror, &cand));
		assert_true(gpi_candidature_may_see(filer, &cand));
	}
	cand.status = "finaliste";
	assert_true(gpi_candidature_may_see(juror, &cand));
	cand.status = "non-retenue";
	assert_true(gpi_candidature_may_see(juror, &cand));
	/* Another edition's juror. */
	cand.year = 2027;
	assert_false(gpi_candidature_may_see(juror, &cand));
	assert_false(gpi_candidature_may_see(NULL, &cand));
	json_decref(partners);
	json_decref(none);
	json_decref(declared);
	arena_free(a);
}

/* Article 6.2: candidates learn the jury's choice from the phase mails.
 * Until they go out, a finalist or a non-retained candidature shows as
 * recevable to its filers, another organisation's agent and a nameless
 * visitor; its insiders (secretariat, admins, the category's jurors, the
 * grand jury) see the stored status all along. */
static void the_jury_choice_shows_once_the_mails_are_out(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *none = json_object();
	struct gpi_audience cand = {.year = 2026,
				    .id = "c1",
				    .category = "rh",
				    .organisation_id = "cpam-ain",
				    .status = "finaliste",
				    .declared = none};
	struct user *filer = user_of(a, "f1", "cpam-ain", NULL, NULL);
	struct user *stranger = user_of(a, "f2", "carsat-ra", NULL, NULL);
	struct user *juror = user_of(a, "j1", "carsat-ra", "juror", "gpi:2026:rh");
	struct user *elsewhere = user_of(a, "j5", "carsat-ra", "juror", "gpi:2026:sociale");
	struct user *last_year = user_of(a, "j6", "carsat-ra", "juror", "gpi:2025:rh");
	struct user *grand = user_of(a, "g1", "carsat-ra", "grand_juror", "gpi:2026");
	struct user *secretariat = user_of(a, "s1", "ucanss", "secretariat", "gpi:2026");
	struct user *admin = user_of(a, "a1", NULL, "admin", NULL);
	const char *judged[] = {"finaliste", "non-retenue"};
	for (size_t i = 0; i < 2; i++) {
		cand.status = judged[i];
		const struct user *outside[] = {filer, stranger, elsewhere, last_year, NULL};
		for (size_t k = 0; k < sizeof(outside) / sizeof(*outside); k++) {
			assert_string_equal(gpi_status_shown(outside[k], &cand, false),
					    "recevable");
			assert_string_equal(gpi_status_shown(outside[k], &cand, true), judged[i]);
		}
		const struct user *inside[] = {juror, grand, secretariat, admin};
		for (size_t k = 0; k < sizeof(inside) / sizeof(*inside); k++) {
			assert_string_equal(gpi_status_shown(inside[k], &cand, false), judged[i]);
			assert_string_equal(gpi_status_shown(inside[k], &cand, true), judged[i]);
		}
	}
	/* Every other status is what it is, mails or not. */
	const char *plain[] = {"brouillon", "deposee", "recevable", "irrecevable"};
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++) {
		cand.status = plain[i];
		assert_string_equal(gpi_status_shown(filer, &cand, false), plain[i]);
		assert_string_equal(gpi_status_shown(NULL, &cand, true), plain[i]);
	}
	json_decref(none);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recusal_covers_organisation_partners_and_declarations),
		cmocka_unit_test(only_admissible_candidatures_are_before_the_jury),
		cmocka_unit_test(jurors_are_appointed_not_implied),
		cmocka_unit_test(a_declared_reason_is_needed_and_bounded),
		cmocka_unit_test(jurors_see_admissible_unrecused_candidatures_only),
		cmocka_unit_test(the_jury_choice_shows_once_the_mails_are_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
