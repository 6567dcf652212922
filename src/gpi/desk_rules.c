#include "gpi/desk_rules.h"

#include <string.h>

#include "core/utf8.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"

const struct gpi_reason GPI_REASONS[GPI_REASON_COUNT] = {
	{"date-limite", "Date limite de participation échue.", "article 5"},
	{"hors-periode", "Projet initialisé hors de la période précisée dans l’article 4.",
	 "article 5"},
	{"sans-resultats", "Expérimentation n’ayant pas de résultats mesurables.", "article 5"},
	{"dossier-incomplet", "Dossier de candidature incomplet, non conforme aux attentes.",
	 "article 5"},
	{"non-aboutie",
	 "Réalisation non menée à son terme ou expérimentation non aboutie.", "article 4"},
};

const struct gpi_reason *gpi_reason_find(const char *code)
{
	for (size_t i = 0; code && i < GPI_REASON_COUNT; i++)
		if (strcmp(GPI_REASONS[i].code, code) == 0)
			return &GPI_REASONS[i];
	return NULL;
}

static const struct gpi_desk_refusal_text REFUSALS[] = {
	[GPI_DESK_OK] = {"ok", "", NULL, 200},
	[GPI_DESK_NOT_SUBMITTED] = {"not_submitted",
				    "Cette candidature n’a pas encore été déposée\u202f: elle reste "
				    "celle de l’organisme.",
				    NULL, 409},
	[GPI_DESK_FINAL] = {"final",
			    "La phase de notification a commencé\u202f: les décisions sur cette "
			    "candidature sont définitives.",
			    NULL, 409},
	[GPI_DESK_REASON] = {"reason", "Choisissez le critère éliminatoire qui s’applique.",
			     "reason", 422},
	[GPI_DESK_COMMENT] = {"comment",
			      "Expliquez la décision en quelques mots (2 000 caractères au "
			      "plus, sans caractère de contrôle).",
			      "comment", 422},
	[GPI_DESK_CATEGORY] = {"category", "Choisissez une catégorie de cette édition.",
			       "category", 422},
	[GPI_DESK_SAME_CATEGORY] = {"same_category",
				    "La candidature est déjà dans cette catégorie.", "category",
				    422},
	[GPI_DESK_MESSAGE] = {"message",
			      "Écrivez le message qui informera l’organisme (2 000 caractères "
			      "au plus, sans caractère de contrôle).",
			      "message", 422},
	[GPI_DESK_NOT_ANNOUNCED] = {"not_announced",
				    "Le repositionnement n’a pas été annoncé à l’organisme\u202f: "
				    "annoncez-le d’abord.",
				    NULL, 409},
	[GPI_DESK_PERSON] = {"person", "Cette personne n’est pas citée dans le dossier.",
			     "person", 422},
	[GPI_DESK_JUDGED] = {"judged",
			     "Le jury a choisi les finalistes de cette catégorie\u202f: la "
			     "recevabilité et la catégorie de cette candidature sont acquises.",
			     NULL, 409},
};

const struct gpi_desk_refusal_text *gpi_desk_refusal(enum gpi_desk_refusal refusal)
{
	return &REFUSALS[refusal];
}

/* Returns true when s is a non-empty text of at most GPI_DESK_COMMENT_MAX
 * characters that a paragraph may hold. */
static bool text_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s), chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	bool blank = strspn(s, " \t\n") == n;
	return !blank && chars <= GPI_DESK_COMMENT_MAX && utf8_valid(s, n) &&
	       utf8_refused_char(s, n, UTF8_MULTI_LINE) < 0;
}

/* The refusal that the candidature's state sets on any decision at w. */
static int decidable(const json_t *cand, const struct gpi_desk_when *w)
{
	int status = gpi_status_from(json_str(cand, "status"));
	if (status < 0 || status == GPI_STATUS_BROUILLON)
		return GPI_DESK_NOT_SUBMITTED;
	/* Judged by its jury: a decision now would undo the finalists'
	 * choice (a finaliste made recevable again, or moved away). */
	if (status == GPI_STATUS_FINALISTE || status == GPI_STATUS_NON_RETENUE)
		return GPI_DESK_JUDGED;
	if (w->now_ms >= w->notification_start_ms)
		return GPI_DESK_FINAL;
	return GPI_DESK_OK;
}

int gpi_admissibility_apply(json_t *cand, const struct gpi_admissibility *d)
{
	int refusal = decidable(cand, &d->when);
	if (refusal)
		return refusal;
	if (!d->admissible && !gpi_reason_find(d->reason))
		return GPI_DESK_REASON;
	if (!d->admissible && !text_ok(d->comment))
		return GPI_DESK_COMMENT;
	/* A comment on a "recevable" is optional, but still a text. */
	if (d->admissible && d->comment && *d->comment && !text_ok(d->comment))
		return GPI_DESK_COMMENT;
	json_object_set_new(
		cand, "admissibility",
		json_pack("{s:b, s:s, s:s, s:s, s:I}", "admissible", d->admissible, "reason",
			  d->admissible ? "" : d->reason, "comment", d->comment ? d->comment : "",
			  "by_id", d->when.by_id, "at", (json_int_t)d->when.now_ms));
	json_object_set_new(cand, "status",
			    json_string(GPI_STATUSES[d->admissible ? GPI_STATUS_RECEVABLE
								   : GPI_STATUS_IRRECEVABLE][0]));
	return 0;
}

int gpi_move_announce(json_t *cand, const struct gpi_move *m)
{
	int refusal = decidable(cand, &m->when);
	if (refusal)
		return refusal;
	if (!m->to || !gpi_edition_category(m->edition, m->to))
		return GPI_DESK_CATEGORY;
	if (strcmp(m->to, json_str(cand, "category")) == 0)
		return GPI_DESK_SAME_CATEGORY;
	if (!text_ok(m->message))
		return GPI_DESK_MESSAGE;
	json_object_set_new(cand, "repositioning",
			    json_pack("{s:s, s:s, s:I, s:s}", "to", m->to, "message", m->message,
				      "announced_at", (json_int_t)m->when.now_ms, "by_id",
				      m->when.by_id));
	return 0;
}

int gpi_move_confirm(json_t *cand, const json_t *edition, const struct gpi_desk_when *w)
{
	int refusal = decidable(cand, w);
	if (refusal)
		return refusal;
	json_t *move = json_object_get(cand, "repositioning");
	if (!json_is_object(move) || !*json_str(move, "to"))
		return GPI_DESK_NOT_ANNOUNCED;
	const char *to = json_str(move, "to");
	if (!gpi_edition_category(edition, to))
		return GPI_DESK_CATEGORY;
	if (strcmp(to, json_str(cand, "category")) == 0)
		return GPI_DESK_SAME_CATEGORY;
	json_t *done = json_pack(
		"{s:s, s:s, s:s, s:O, s:I, s:s}", "from", json_str(cand, "category"), "to", to,
		"message", json_str(move, "message"), "announced_at",
		json_object_get(move, "announced_at"), "confirmed_at", (json_int_t)w->now_ms,
		"by_id", w->by_id);
	json_t *history = json_object_get(cand, "repositionings");
	if (!json_is_array(history)) {
		history = json_array();
		json_object_set_new(cand, "repositionings", history);
	}
	json_array_append_new(history, done);
	json_object_set_new(cand, "category", json_string(to));
	json_object_del(cand, "repositioning");
	return 0;
}

int gpi_withdrawal_apply(json_t *cand, const char *person_id, bool withdrawn)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(cand, "people"), i, p)
	{
		if (person_id && strcmp(json_str(p, "id"), person_id) == 0) {
			json_object_set_new(p, "publication_withdrawn", json_boolean(withdrawn));
			return 0;
		}
	}
	return GPI_DESK_PERSON;
}

bool gpi_notice_due(const json_t *cand, int64_t notification_start_ms, int64_t now_ms)
{
	if (gpi_status_from(json_str(cand, "status")) != GPI_STATUS_IRRECEVABLE)
		return false;
	json_t *a = json_object_get(cand, "admissibility");
	return json_is_object(a) && json_integer_value(json_object_get(a, "notified_at")) == 0 &&
	       now_ms >= notification_start_ms;
}
