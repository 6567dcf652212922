#include "gpi/edition_rules.h"

#include <stdio.h>
#include <string.h>

#include "accounts/rules.h"
#include "core/paris_time.h"
#include "core/utf8.h"

/* What the rules say of each phase, in enum gpi_phase's order. */
static const struct {
	const char *key, *name, *start_field, *end_field, *missing, *reversed, *overlap;
} PHASES[GPI_PHASE_COUNT] = {
	{"analysis", "Analyse des dossiers", "analysis_start", "analysis_end",
	 "Indiquez le premier et le dernier jour de l’analyse des dossiers.",
	 "L’analyse des dossiers ne peut pas finir avant de commencer.",
	 "L’analyse des dossiers commence après la date limite de dépôt."},
	{"preselection", "Présélection des finalistes par les jurys", "preselection_start",
	 "preselection_end", "Indiquez le premier et le dernier jour de la présélection.",
	 "La présélection ne peut pas finir avant de commencer.",
	 "La présélection commence après la fin de l’analyse des dossiers."},
	{"notification", "Information des candidats", "notification_start", "notification_end",
	 "Indiquez le premier et le dernier jour de l’information des candidats.",
	 "L’information des candidats ne peut pas finir avant de commencer.",
	 "L’information des candidats commence après la fin de la présélection."},
	{"audition", "Audition des finalistes par le grand jury", "audition_start", "audition_end",
	 "Indiquez le premier et le dernier jour de l’audition des finalistes.",
	 "L’audition des finalistes ne peut pas finir avant de commencer.",
	 "L’audition des finalistes commence après l’information des candidats."},
	{"ceremony", "Cérémonie de remise des prix", "ceremony_start", "ceremony_end",
	 "Indiquez le premier et le dernier jour de la cérémonie.",
	 "La cérémonie ne peut pas finir avant de commencer.",
	 "La cérémonie vient après l’audition des finalistes."},
};

/* What the rules say of each limit, in enum gpi_limit's order. */
static const struct {
	const char *key, *message;
	long long max;
} LIMITS[GPI_LIMIT_COUNT] = {
	{"dossier_max_bytes", "La taille maximale du dossier va de 1 octet à 100 Mo.",
	 GPI_DOSSIER_BYTES_MAX},
	{"video_max_bytes", "La taille maximale de la vidéo va de 1 octet à 2 048 Mo.",
	 GPI_VIDEO_BYTES_MAX},
	{"video_max_seconds", "La durée maximale de la vidéo va de 1 seconde à une heure.",
	 GPI_VIDEO_SECONDS_MAX},
};

const char *gpi_phase_key(enum gpi_phase phase)
{
	return PHASES[phase].key;
}

const char *gpi_phase_name_fr(enum gpi_phase phase)
{
	return PHASES[phase].name;
}

const char *gpi_limit_key(enum gpi_limit limit)
{
	return LIMITS[limit].key;
}

bool gpi_is_day(const char *t)
{
	int64_t ms;
	if (strlen(t) != 10 || t[4] != '-' || t[7] != '-' || strspn(t, "0123456789-") != 10)
		return false;
	return paris_time_parse_local(t, "12:00", &ms) == PARIS_TIME_OK;
}

bool gpi_is_code(const char *code)
{
	size_t n = strlen(code);
	return n >= 1 && n <= GPI_CODE_MAX_CHARS &&
	       strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == n && code[0] != '-' &&
	       code[n - 1] != '-';
}

/* Appends (field, message) to out unless it is full. */
static void add(struct field_error *out, size_t *n, const char *field, const char *message)
{
	if (*n < GPI_EDITION_MAX_ERRORS)
		out[(*n)++] = (struct field_error){field, message};
}

static void check_texts(const struct gpi_edition_input *in, struct field_error *out, size_t *n)
{
	if (in->year < GPI_YEAR_MIN || in->year > GPI_YEAR_MAX)
		add(out, n, "year", "Indiquez l’année de l’édition (de 2010 à 2100).");
	if (!*in->title)
		add(out, n, "title",
		    "Donnez un titre à l’édition (par exemple «\u202fGrand Prix de "
		    "l’innovation de la Sécurité sociale 2022\u202f»).");
	else if (utf8_chars(in->title) > GPI_TITLE_MAX_CHARS)
		add(out, n, "title", "Le titre est trop long (150 caractères au plus).");
	if (utf8_chars(in->rules) > GPI_RULES_MAX_CHARS)
		add(out, n, "rules", "Le règlement est trop long (60 000 caractères au plus).");
	if (!*in->contact_name)
		add(out, n, "contact_name", "Indiquez qui contacter au secrétariat du Grand Prix.");
	else if (utf8_chars(in->contact_name) > GPI_CONTACT_NAME_MAX_CHARS)
		add(out, n, "contact_name",
		    "Le nom du contact est trop long (150 caractères au plus).");
	if (!account_email_plausible(in->contact_email))
		add(out, n, "contact_email",
		    "Indiquez l’adresse électronique du secrétariat, par exemple "
		    "gpi-secu@ucanss.fr.");
}

static void check_categories(const struct gpi_edition_input *in, struct field_error *out, size_t *n)
{
	if (!in->n_categories)
		add(out, n, "categories", "Une édition a au moins une catégorie.");
	for (size_t i = 0; i < in->n_categories; i++) {
		const struct gpi_category *c = &in->categories[i];
		bool repeated = false;
		for (size_t j = 0; j < i; j++)
			repeated |= strcmp(c->code, in->categories[j].code) == 0;
		if (!gpi_is_code(c->code))
			add(out, n, "categories",
			    "Chaque catégorie a un code de 1 à 32 caractères parmi a-z, 0-9 et "
			    "«\u202f-\u202f» (par exemple «\u202frelation-usagers\u202f»).");
		else if (repeated)
			add(out, n, "categories",
			    "Deux catégories ne peuvent pas avoir le même code.");
		if (!*c->name || utf8_chars(c->name) > GPI_NAME_MAX_CHARS)
			add(out, n, "categories",
			    "Chaque catégorie a un nom de 150 caractères au plus.");
		if (utf8_chars(c->description) > GPI_DESCRIPTION_MAX_CHARS)
			add(out, n, "categories",
			    "La description d’une catégorie fait 4 000 caractères au plus.");
	}
}

static void check_criteria(const struct gpi_edition_input *in, struct field_error *out, size_t *n)
{
	for (size_t i = 0; i < in->n_criteria; i++) {
		const struct gpi_criterion *c = &in->criteria[i];
		bool repeated = false;
		for (size_t j = 0; j < i; j++)
			repeated |= strcmp(c->code, in->criteria[j].code) == 0;
		if (!gpi_is_code(c->code))
			add(out, n, "criteria",
			    "Chaque critère a un code de 1 à 32 caractères parmi a-z, 0-9 et "
			    "«\u202f-\u202f».");
		else if (repeated)
			add(out, n, "criteria", "Deux critères ne peuvent pas avoir le même code.");
		if (!*c->label || utf8_chars(c->label) > GPI_DESCRIPTION_MAX_CHARS)
			add(out, n, "criteria",
			    "Chaque critère a un libellé de 4 000 caractères au plus.");
		if (c->weight < 1 || c->weight > GPI_WEIGHT_MAX)
			add(out, n, "criteria", "Le poids d’un critère va de 1 à 10.");
	}
}

/* Returns the Paris day of ms, "YYYY-MM-DD", in out. */
static const char *paris_day(int64_t ms, char out[11])
{
	struct paris_time_fields t = paris_time_split(ms);
	snprintf(out, 11, "%04d-%02d-%02d", t.year % 10000, t.month, t.day);
	return out;
}

/* The filing period and the realisation window. */
static void check_filing(const struct gpi_edition_input *in, struct field_error *out, size_t *n)
{
	if (!in->launch_set)
		add(out, n, "launch_at", "Indiquez la date et l’heure du lancement.");
	if (!in->deadline_set)
		add(out, n, "deadline_at",
		    "Indiquez la date et l’heure limites de dépôt des candidatures.");
	if (in->launch_set && in->deadline_set && in->deadline_at <= in->launch_at)
		add(out, n, "deadline_at", "La date limite de dépôt vient après le lancement.");
	if (in->deadline_set && paris_time_split(in->deadline_at).year != in->year)
		add(out, n, "deadline_at",
		    "La date limite de dépôt tombe pendant l’année de l’édition.");
	bool start_ok = gpi_is_day(in->window_start), end_ok = gpi_is_day(in->window_end);
	if (!start_ok)
		add(out, n, "window_start",
		    "Indiquez le premier jour où une réalisation peut avoir commencé, au "
		    "format jj/mm/aaaa.");
	if (!end_ok)
		add(out, n, "window_end",
		    "Indiquez le dernier jour où une réalisation peut avoir commencé, au "
		    "format jj/mm/aaaa.");
	char deadline_day[11];
	if (start_ok && end_ok && strcmp(in->window_end, in->window_start) < 0)
		add(out, n, "window_end",
		    "La période de réalisation ne peut pas finir avant de commencer.");
	else if (end_ok && in->deadline_set &&
		 strcmp(in->window_end, paris_day(in->deadline_at, deadline_day)) > 0)
		add(out, n, "window_end",
		    "La période de réalisation finit au plus tard le jour de la date limite de "
		    "dépôt.");
}

static void check_phases(const struct gpi_edition_input *in, struct field_error *out, size_t *n)
{
	bool before_set = in->deadline_set;
	int64_t before_end = in->deadline_at;
	for (int p = 0; p < GPI_PHASE_COUNT; p++) {
		if (!in->phase_set[p]) {
			add(out, n, PHASES[p].start_field, PHASES[p].missing);
			before_set = false;
			continue;
		}
		if (in->phase_end[p] < in->phase_start[p])
			add(out, n, PHASES[p].end_field, PHASES[p].reversed);
		else if (before_set && in->phase_start[p] <= before_end)
			add(out, n, PHASES[p].start_field, PHASES[p].overlap);
		before_set = true;
		before_end = in->phase_end[p];
	}
}

static void check_amounts(const struct gpi_edition_input *in, struct field_error *out, size_t *n)
{
	for (int l = 0; l < GPI_LIMIT_COUNT; l++)
		if (in->limits[l] < 1 || in->limits[l] > LIMITS[l].max)
			add(out, n, LIMITS[l].key, LIMITS[l].message);
	if (in->gold_endowment_eur < 0 || in->gold_endowment_eur > GPI_ENDOWMENT_MAX_EUR)
		add(out, n, "gold_endowment_eur",
		    "La dotation du prix «\u202fOr\u202f» va de 0 à 1 000 000 €, en euros entiers.");
}

size_t gpi_edition_check(const struct gpi_edition_input *in, struct field_error *out)
{
	size_t n = 0;
	check_texts(in, out, &n);
	check_categories(in, out, &n);
	check_filing(in, out, &n);
	check_phases(in, out, &n);
	check_amounts(in, out, &n);
	check_criteria(in, out, &n);
	return n;
}

/* The JSON values below are the cache's (gpi/edition.h): instants are
 * integers, UTC milliseconds. */
static int64_t instant(const json_t *e, const char *key)
{
	return json_integer_value(json_object_get(e, key));
}

int gpi_edition_year(const json_t *e)
{
	return (int)json_integer_value(json_object_get(e, "year"));
}

int64_t gpi_edition_deadline_ms(const json_t *e)
{
	return instant(e, "deadline_at");
}

/* Returns now_ms down to its second: a deadline is read to the second. */
static int64_t second_of(int64_t now_ms)
{
	return now_ms - (now_ms % 1000 + 1000) % 1000;
}

bool gpi_edition_is_past_deadline(const json_t *e, int64_t now_ms)
{
	return second_of(now_ms) > gpi_edition_deadline_ms(e);
}

bool gpi_edition_is_open(const json_t *e, int64_t now_ms)
{
	return instant(e, "launch_at") <= now_ms && !gpi_edition_is_past_deadline(e, now_ms);
}

const json_t *gpi_edition_category(const json_t *e, const char *code)
{
	const json_t *c;
	size_t i;
	if (!code)
		return NULL;
	json_array_foreach(json_object_get(e, "categories"), i, c) {
		const char *have = json_string_value(json_object_get(c, "code"));
		if (have && strcmp(have, code) == 0)
			return c;
	}
	return NULL;
}

int64_t gpi_edition_limit(const json_t *e, enum gpi_limit which)
{
	return json_integer_value(json_object_get(json_object_get(e, "limits"), LIMITS[which].key));
}

bool gpi_edition_in_window(const json_t *e, const char *day)
{
	const char *first = json_string_value(json_object_get(e, "window_start"));
	const char *last = json_string_value(json_object_get(e, "window_end"));
	return day && first && last && gpi_is_day(day) && strcmp(first, day) <= 0 &&
	       strcmp(day, last) <= 0;
}

int gpi_edition_phase(const json_t *e, enum gpi_phase phase, int64_t *start_ms, int64_t *end_ms)
{
	const json_t *p = json_object_get(json_object_get(e, "phases"), PHASES[phase].key);
	const json_t *start = json_object_get(p, "start"), *end = json_object_get(p, "end");
	if (!json_is_integer(start) || !json_is_integer(end))
		return -1;
	*start_ms = json_integer_value(start);
	*end_ms = json_integer_value(end);
	return 0;
}

const json_t *gpi_edition_current(const json_t *editions, int64_t now_ms)
{
	const json_t *next = NULL, *e;
	size_t i;
	json_array_foreach(editions, i, e) {
		if (gpi_edition_is_open(e, now_ms))
			return e;
		if (instant(e, "launch_at") > now_ms)
			next = e; /* newest first: the last one seen opens soonest */
	}
	return next ? next : json_array_get(editions, 0);
}
