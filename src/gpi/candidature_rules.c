#include "gpi/candidature_rules.h"

#include <string.h>

#include "accounts/rules.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/paris_time.h"
#include "core/utf8.h"
#include "db/doc.h"

bool gpi_before_deadline(int64_t now_ms, int64_t deadline_ms)
{
	/* Floor division: instants before 1970 stay in their own second. */
	int64_t now_s = now_ms / 1000 - (now_ms % 1000 < 0);
	int64_t deadline_s = deadline_ms / 1000 - (deadline_ms % 1000 < 0);
	return now_s <= deadline_s;
}

/* Returns true when s is a real calendar date "YYYY-MM-DD". */
static bool date_valid(const char *s)
{
	int64_t ms;
	return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	       paris_time_parse_local(s, "12:00", &ms) == PARIS_TIME_OK;
}

bool gpi_in_window(const char *date, const char *start, const char *end)
{
	/* Valid "YYYY-MM-DD" dates compare as strings in calendar order. */
	return date_valid(date) && date_valid(start) && date_valid(end) &&
	       strcmp(date, start) >= 0 && strcmp(date, end) <= 0;
}

const char *gpi_trim(const char *s, size_t *n)
{
	*n = strlen(s);
	while (*n && strchr(" \t\r\n", s[*n - 1]))
		(*n)--;
	while (*n && strchr(" \t\r\n", *s)) {
		s++;
		(*n)--;
	}
	return s;
}

size_t gpi_chars(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* Returns the characters of s once trimmed (0 for NULL). */
static size_t trimmed_chars(const char *s)
{
	size_t n = 0;
	return s ? gpi_chars(gpi_trim(s, &n), n) : 0;
}

bool gpi_results_ok(const char *results, const json_t *indicators)
{
	size_t i;
	json_t *ind;
	json_array_foreach(indicators, i, ind) {
		json_t *v = json_object_get(ind, "latest_value");
		if (json_is_number(v) || (json_is_string(v) && *json_string_value(v)))
			return true;
	}
	return trimmed_chars(results) >= GPI_RESULTS_MIN;
}

/* The fields a dossier must fill (article 6.1: "dûment complété"), with
 * their French names for the panel. */
static const char *const REQUIRED[][2] = {
	{"category", "catégorie"},
	{"title", "titre"},
	{"summary", "résumé"},
	{"objectives", "objectifs"},
	{"actions", "actions menées"},
	{"started_on", "date de démarrage"},
	{"costs", "coûts"},
	{"savings", "économies"},
	{"generalisation", "potentiel de généralisation"},
	{"interbranch", "caractère interbranches ou inter-régimes"},
	{"impact", "contribution à la performance et à la notoriété"},
};

const char *gpi_missing_fields(struct arena *a, const json_t *cand, bool has_dossier)
{
	struct buf b = {0};
	for (size_t i = 0; i < sizeof(REQUIRED) / sizeof(*REQUIRED); i++)
		if (trimmed_chars(json_str(cand, REQUIRED[i][0])) == 0)
			buf_printf(&b, "%s%s", b.len ? ", " : "", REQUIRED[i][1]);
	if (trimmed_chars(json_str(cand, "results")) == 0 &&
	    json_array_size(json_object_get(cand, "indicators")) == 0)
		buf_printf(&b, "%s%s", b.len ? ", " : "", "résultats");
	if (json_array_size(json_object_get(cand, "contacts")) == 0)
		buf_printf(&b, "%s%s", b.len ? ", " : "", "personne à contacter");
	if (!has_dossier)
		buf_printf(&b, "%s%s", b.len ? ", " : "", "dossier PDF");
	const char *out = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

struct gpi_facts gpi_facts_of(struct arena *a, const json_t *cand)
{
	return (struct gpi_facts){
		.started_on = json_str(cand, "started_on"),
		.completed = json_is_true(json_object_get(cand, "completed")),
		.results_ok = gpi_results_ok(json_str(cand, "results"),
					     json_object_get(cand, "indicators")),
		.missing = gpi_missing_fields(a, cand,
					      json_is_object(json_object_get(cand, "dossier"))),
		.endowment_use = trimmed_chars(json_str(cand, "endowment_use")) > 0,
	};
}

json_t *gpi_facts_json(const struct gpi_facts *f)
{
	return json_pack("{s:s, s:b, s:b, s:s, s:b}", "started_on", f->started_on, "completed",
			 f->completed, "results_ok", f->results_ok, "missing", f->missing,
			 "endowment_use", f->endowment_use);
}

struct gpi_facts gpi_facts_from_json(const json_t *facts)
{
	return (struct gpi_facts){
		.started_on = json_str(facts, "started_on"),
		.completed = json_is_true(json_object_get(facts, "completed")),
		.results_ok = json_is_true(json_object_get(facts, "results_ok")),
		.missing = json_str(facts, "missing"),
		.endowment_use = json_is_true(json_object_get(facts, "endowment_use")),
	};
}

/* Returns "mercredi 1er janvier 2019" for a valid date (arena), or the
 * text as it is. */
static const char *date_fr(struct arena *a, const char *date)
{
	int64_t ms;
	char out[PARIS_TIME_DATE_MAX];
	if (!date_valid(date) || paris_time_parse_local(date, "12:00", &ms) != PARIS_TIME_OK)
		return date;
	return arena_strdup(a, paris_time_format_date(ms, out, sizeof(out)));
}

static const char *const CHECK_CODES[GPI_CHECK_COUNT] = {
	"deadline", "window", "results", "completed", "complete", "endowment_use",
};

bool gpi_eligibility(struct arena *a, const struct gpi_facts *f, const struct gpi_window *w,
		     int64_t now_ms, struct gpi_check_result out[GPI_CHECK_COUNT])
{
	char when[PARIS_TIME_LONG_MAX];
	paris_time_format_long(w->deadline_ms, when, sizeof(when));
	const char *from = date_fr(a, w->window_start), *to = date_fr(a, w->window_end);
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		out[i] = (struct gpi_check_result){.code = CHECK_CODES[i], .blocking = true};

	out[GPI_CHECK_DEADLINE].ok = gpi_before_deadline(now_ms, w->deadline_ms);
	out[GPI_CHECK_DEADLINE].message =
		out[GPI_CHECK_DEADLINE].ok
			? arena_printf(a, "Le dépôt est ouvert jusqu’au %s (heure de Paris).", when)
			: arena_printf(
				  a,
				  "La date limite de dépôt, le %s (heure de Paris), est passée\u202f: "
				  "la candidature ne peut plus être déposée ni modifiée "
				  "(article 5).",
				  when);

	out[GPI_CHECK_WINDOW].ok = gpi_in_window(f->started_on, w->window_start, w->window_end);
	if (!f->started_on || !*f->started_on)
		out[GPI_CHECK_WINDOW].message = arena_printf(
			a,
			"Indiquez la date de démarrage du projet\u202f: elle doit se situer entre le %s "
			"et le %s (article 4).",
			from, to);
	else
		out[GPI_CHECK_WINDOW].message =
			out[GPI_CHECK_WINDOW].ok
				? arena_printf(a,
					       "Le projet a démarré le %s, dans la période admise "
					       "(du %s au %s).",
					       date_fr(a, f->started_on), from, to)
				: arena_printf(
					  a,
					  "Le projet a démarré le %s, hors de la période admise "
					  "(du %s au %s)\u202f: critère éliminatoire (article 5).",
					  date_fr(a, f->started_on), from, to);

	out[GPI_CHECK_RESULTS].ok = f->results_ok;
	out[GPI_CHECK_RESULTS].message =
		f->results_ok ? "Des résultats mesurables sont présentés."
			      : "Présentez des résultats mesurables\u202f: au moins un indicateur avec "
				"une valeur mesurée, ou un texte de résultats d’au moins 200 "
				"caractères (article 5).";

	out[GPI_CHECK_COMPLETED].ok = f->completed;
	out[GPI_CHECK_COMPLETED]
		.message = f->completed
				   ? "La réalisation ou l’expérimentation est menée à son terme."
				   : "Seules les réalisations menées à leur terme ou les "
				     "expérimentations abouties peuvent concourir (article 4)\u202f: "
				     "cochez «\u202fRéalisation achevée\u202f» quand c’est le cas.";

	bool complete = !f->missing || !*f->missing;
	out[GPI_CHECK_COMPLETE].ok = complete;
	out[GPI_CHECK_COMPLETE].message =
		complete ? "Tous les champs obligatoires sont remplis et le dossier PDF est déposé."
			 : arena_printf(a, "Dossier incomplet (article 6.1), il manque : %s.",
					f->missing);

	out[GPI_CHECK_ENDOWMENT_USE].blocking = false;
	out[GPI_CHECK_ENDOWMENT_USE].ok = f->endowment_use;
	out[GPI_CHECK_ENDOWMENT_USE].message =
		f->endowment_use
			? "L’objet de la dépense de la dotation est indiqué."
			: "L’objet de la dépense n’est pas indiqué\u202f: ce n’est pas éliminatoire, "
			  "mais un prix Or ne donnerait alors droit à aucune dotation (article 9).";

	bool eligible = true;
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		if (out[i].blocking && !out[i].ok)
			eligible = false;
	return eligible;
}

json_t *gpi_eligibility_json(const struct gpi_check_result checks[GPI_CHECK_COUNT], bool eligible)
{
	json_t *list = json_array();
	for (int i = 0; i < GPI_CHECK_COUNT; i++)
		json_array_append_new(list,
				      json_pack("{s:s, s:b, s:b, s:s}", "code", checks[i].code,
						"ok", checks[i].ok, "blocking", checks[i].blocking,
						"message", checks[i].message));
	return json_pack("{s:b, s:o}", "eligible", eligible, "checks", list);
}
