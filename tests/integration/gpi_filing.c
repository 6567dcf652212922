/* Filing Grand Prix candidatures for the tests (gpi_filing.h). */
#include "gpi_filing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp4_make.h"
#include "support.h"

/* Made once, kept for the process. */
const char *gpi_dossier(size_t *len)
{
	static char *pdf;
	static size_t pdf_len;
	if (!pdf) {
		char path[] = "/tmp/cousilab-filing-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(pdf_make_file(path, 4000), 0);
		FILE *in = fopen(path, "rb");
		assert_non_null(in);
		fseek(in, 0, SEEK_END);
		pdf_len = (size_t)ftell(in);
		fseek(in, 0, SEEK_SET);
		pdf = malloc(pdf_len + 1);
		assert_int_equal(fread(pdf, 1, pdf_len, in), pdf_len);
		fclose(in);
		unlink(path);
	}
	*len = pdf_len;
	return pdf;
}

void gpi_clock_at(int year, const char *month_day_time)
{
	char instant[40];
	snprintf(instant, sizeof(instant), "%d-%s", year, month_day_time);
	test_clock_set(instant);
}

char *gpi_file(const struct gpi_filing *f)
{
	gpi_clock_at(f->year, "03-01T10:00:00Z");
	char started[16], path[128], results[400];
	snprintf(started, sizeof(started), "%d-06-01", f->year - 2);
	memset(results, 'r', 260);
	strcpy(results + 260, " : des résultats mesurés sur deux ans.");
	json_t *body = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:[{s:s, s:s, s:s}], s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}]}",
		"category", f->category, "title", f->title, "summary",
		"Un résumé; avec \"guillemets\".", "objectives",
		"Des objectifs clairs.", "actions", "Des actions menées.", "results", results,
		"started_on", started, "completed", 1, "costs", "Peu coûteux.", "savings",
		"Des économies.", "generalisation", "Partout.", "interbranch", "Avec la CPAM.",
		"impact", "Une meilleure notoriété.", "endowment_use",
		f->no_endowment_use ? "" : "Former les agents.", "contacts", "name",
		"Claire Contact", "email", f->contact, "phone", "05 61 00 00 00", "people", "name",
		"Anne Martin", "role", "cheffe de projet", "publication_withdrawn", 0, "name",
		"Louis Roux", "role", "agent", "publication_withdrawn", 0);
	if (f->partner)
		json_object_set_new(body, "partner_organisation_ids", json_pack("[s]", f->partner));
	if (f->project)
		json_object_set_new(body, "project_id", json_string(f->project));
	snprintf(path, sizeof(path), "/api/v1/gpi/editions/%d/candidatures", f->year);
	json_t *made;
	assert_int_equal(api_json(f->token, "POST", path, body, &made), 201);
	json_decref(body);
	char *id = strdup(json_string_value(json_object_get(made, "id")));
	json_decref(made);

	char auth[600];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", f->token);
	const char *headers[] = {auth, NULL};
	size_t len;
	const char *pdf = gpi_dossier(&len);
	struct mpart part = {"file", pdf, len, "dossier.pdf"};
	struct sess *s = sess_new();
	struct http_reply r;
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/dossier", id);
	sess_post_parts(s, path, headers, NULL, &part, 1, &r);
	assert_true(r.status == 200 || r.status == 201);
	http_reply_free(&r);
	sess_free(s);
	if (!f->draft) {
		snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/submit", id);
		assert_int_equal(api_json(f->token, "POST", path, NULL, NULL), 200);
	}
	return id;
}

void gpi_admit(const char *sec_token, int year, const char *id, bool admissible)
{
	gpi_clock_at(year, "04-10T08:00:00Z");
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/gpi/candidatures/%s/admissibility", id);
	json_t *body = admissible ? json_pack("{s:b}", "admissible", 1)
				  : json_pack("{s:b, s:s, s:s}", "admissible", 0, "reason",
					      "dossier-incomplet", "comment",
					      "Le dossier ne contient pas les annexes.");
	assert_int_equal(api_json(sec_token, "POST", path, body, NULL), 200);
	json_decref(body);
}

char *gpi_filing_admitted(const char *token, const char *sec_token, int year,
			  const char *category, const char *title)
{
	char *contact = unique_email("gpi-filing");
	struct gpi_filing f = {.year = year,
			       .token = token,
			       .title = title,
			       .category = category,
			       .contact = contact};
	char *id = gpi_file(&f);
	gpi_admit(sec_token, year, id, true);
	free(contact);
	return id;
}
