/* Admissible Grand Prix candidatures through the real API (gpi_filing.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpi_filing.h"
#include "mp4_make.h"
#include "support.h"

/* Returns the bytes of a small valid PDF (static, made once). */
static const char *dossier(size_t *len)
{
	static char *pdf;
	static size_t pdf_len;
	if (!pdf) {
		char path[] = "/tmp/cousilab-gpi-filing-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(pdf_make_file(path, 4000), 0);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		pdf_len = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		pdf = malloc(pdf_len + 1);
		assert_int_equal(fread(pdf, 1, pdf_len, f), pdf_len);
		fclose(f);
		unlink(path);
	}
	*len = pdf_len;
	return pdf;
}

static void clock_at(int year, const char *month_day_time)
{
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-%s", year, month_day_time);
	test_clock_set(instant);
}

char *gpi_filing_admitted(const char *token, const char *sec_token, int year,
			  const char *category, const char *title)
{
	clock_at(year, "03-01T10:00:00Z");
	char started[16], path[160], results[400];
	snprintf(started, sizeof(started), "%d-06-01", year - 2);
	memset(results, 'r', 260);
	strcpy(results + 260, " : des résultats mesurés sur deux ans.");
	json_t *body = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:[{s:s, s:s, s:s}]}",
		"category", category, "title", title, "summary", "Un accueil repensé.",
		"objectives", "Réduire l’attente.", "actions", "Des rendez-vous en ligne.",
		"results", results, "started_on", started, "completed", 1, "costs", "Peu coûteux.",
		"savings", "Des économies.", "generalisation", "Partout.", "interbranch",
		"Avec la CARSAT.", "impact", "Une meilleure image.", "endowment_use",
		"Former les agents.", "contacts", "name", "Claire Contact", "email",
		"gpi-filing@example.org", "phone", "05 61 00 00 00");
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *j;
	assert_int_equal(api_json(token, "POST", path, body, &j), 201);
	json_decref(body);
	char *id = strdup(json_string_value(json_object_get(j, "id")));
	json_decref(j);

	char auth[600];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	size_t len;
	const char *pdf = dossier(&len);
	struct mpart part = {"file", pdf, len, "dossier.pdf"};
	struct sess *s = sess_new();
	struct http_reply r;
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/dossier", id);
	sess_post_parts(s, path, headers, NULL, &part, 1, &r);
	assert_true(r.status == 200 || r.status == 201);
	http_reply_free(&r);
	sess_free(s);
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/submit", id);
	assert_int_equal(api_json(token, "POST", path, NULL, &j), 200);
	json_decref(j);

	clock_at(year, "04-10T08:00:00Z");
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/admissibility", id);
	body = json_pack("{s:b}", "admissible", 1);
	assert_int_equal(api_json(sec_token, "POST", path, body, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "recevable");
	json_decref(j);
	json_decref(body);
	return id;
}
