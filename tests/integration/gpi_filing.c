#include "gpi_filing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp4_make.h"
#include "support.h"

/* Returns the bytes of a valid PDF dossier (heap), its size in *len. */
static char *dossier(size_t *len)
{
	char path[] = "/tmp/cousilab-filing-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pdf_make_file(path, 4000), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *out = malloc(*len + 1);
	assert_int_equal(fread(out, 1, *len, f), *len);
	fclose(f);
	unlink(path);
	return out;
}

char *gpi_filing_submit(const char *token, int year, const char *category, const char *title,
			const char *contact, const char *endowment_use)
{
	char instant[40], started[16], path[128], results[400];
	snprintf(instant, sizeof(instant), "%d-03-01T10:00:00Z", year);
	test_clock_set(instant);
	snprintf(started, sizeof(started), "%d-06-01", year - 2);
	memset(results, 'r', 260);
	strcpy(results + 260, " : des résultats mesurés sur deux ans.");
	json_t *body = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}]}",
		"category", category, "title", title, "summary", "Un résumé du projet.",
		"objectives", "Des objectifs clairs.", "actions", "Des actions menées.", "results",
		results, "started_on", started, "completed", 1, "costs", "Peu coûteux.", "savings",
		"Des économies.", "generalisation", "Partout.", "interbranch", "Oui, avec la CPAM.",
		"impact", "Une meilleure notoriété.", "endowment_use", endowment_use, "contacts",
		"name", "Claire Contact", "email", contact, "phone", "05 61 00 00 00", "people",
		"name", "Anne Visible", "role", "cheffe de projet", "publication_withdrawn", 0,
		"name", "Zoé Retirée", "role", "agente", "publication_withdrawn", 0);
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", year);
	json_t *made;
	assert_int_equal(api_json(token, "POST", path, body, &made), 201);
	json_decref(body);
	char *id = strdup(json_string_value(json_object_get(made, "id")));
	json_decref(made);

	char auth[600];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *headers[] = {auth, NULL};
	size_t len;
	char *pdf = dossier(&len);
	struct mpart part = {"file", pdf, len, "dossier.pdf"};
	struct sess *s = sess_new();
	struct http_reply r;
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/dossier", id);
	sess_post_parts(s, path, headers, NULL, &part, 1, &r);
	assert_true(r.status == 200 || r.status == 201);
	http_reply_free(&r);
	sess_free(s);
	free(pdf);
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/submit", id);
	assert_int_equal(api_json(token, "POST", path, NULL, NULL), 200);
	return id;
}
