/* Issue 13's demo (demo_results.h): every decision goes through the same
 * stores, audit included, as the pages would make it. */
#include "gpi/demo_results.h"

#include <stdio.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/app.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "gpi/candidature.h"
#include "gpi/edition.h"
#include "gpi/grid_rules.h"
#include "gpi/grid_store.h"
#include "gpi/jury.h"
#include "gpi/results.h"
#include "gpi/results_rules.h"

/* The demo's people (accounts/cli.c). */
struct people {
	struct user *secretariat, *grand_juror, *jurors[2];
};

/* Returns the id of the candidature of rows titled title (borrowed), or
 * NULL after saying so. */
static const char *id_of(const json_t *rows, const char *title)
{
	const json_t *r;
	size_t i;
	json_array_foreach(rows, i, r)
		if (strcmp(json_str(r, "title"), title) == 0)
			return json_str(r, "id");
	fprintf(stderr, "seed: no demo candidature \"%s\"\n", title);
	return NULL;
}

/* Records category's finalists (titles[0..3) of rows) and its Or, Argent
 * and Bronze in that order. Returns 0 or -1. */
static int podium(struct db_ctx *db, const struct people *p, const json_t *rows,
		  const char *category, const char *const titles[GPI_CATEGORY_PRIZES])
{
	const char *ids[GPI_CATEGORY_PRIZES];
	json_t *finalists = json_array();
	for (int i = 0; i < GPI_CATEGORY_PRIZES; i++) {
		ids[i] = id_of(rows, titles[i]);
		if (!ids[i]) {
			json_decref(finalists);
			return -1;
		}
		json_array_append_new(finalists, json_string(ids[i]));
	}
	struct audit_actor sec = audit_actor_cli(p->secretariat),
			   grand = audit_actor_cli(p->grand_juror);
	bson_error_t error;
	int rc = gpi_state_set_finalists(db, &sec, 2022, category, finalists,
					 "Exemple\u202f: le jury a retenu les trois dossiers les "
					 "mieux classés, à l’unanimité.",
					 &error) ||
		 gpi_state_set_awards(db, &grand, 2022, category, ids, &error);
	if (rc)
		fprintf(stderr, "seed: 2022 %s: %s\n", category, error.message);
	json_decref(finalists);
	return rc ? -1 : 0;
}

/* 2022's results, published since its ceremony. Returns 0 or -1. */
static int past(struct db_ctx *db, const struct people *p)
{
	bson_error_t error;
	const json_t *e = gpi_edition_get(db, 2022, &error);
	json_t *rows = e ? gpi_index_rows(db, 2022, NULL, NULL, &error) : NULL;
	if (!rows) {
		fprintf(stderr, "seed: 2022's candidatures: %s\n", e ? error.message : "no edition");
		return -1;
	}
	struct audit_actor sec = audit_actor_cli(p->secretariat),
			   grand = audit_actor_cli(p->grand_juror);
	int64_t ceremony = gpi_results_publish_ms(e);
	static const char *const USAGERS[] = {"Accueil des assurés en langue des signes",
					      "Simulateur de retraite en agence",
					      "Courriers en français clair"};
	static const char *const ENVIRONNEMENT[] = {"Médiation numérique sobre",
						    "Archives numérisées sans papier",
						    "Tri des déchets en agence"};
	const char *favourite = id_of(rows, "Simulateur de retraite en agence"),
		   *special = id_of(rows, "Accueil sans rendez-vous des aidants");
	/* The mails first: the refresher of a running server must not mail
	 * the fictional laureates. */
	int rc = !favourite || !special ||
		 gpi_results_mark(db, &sec, 2022, GPI_RESULTS_NOTIFICATIONS_SENT,
				  ceremony - 95LL * 86400 * 1000, &error) ||
		 gpi_results_mark(db, &sec, 2022, GPI_RESULTS_PUBLISHED_MAIL, ceremony, &error);
	rc = rc || podium(db, p, rows, "relation-usagers", USAGERS) ||
	     podium(db, p, rows, "environnementale", ENVIRONNEMENT) ||
	     gpi_results_set_coup_de_coeur(db, &grand, 2022, favourite, &error) ||
	     gpi_results_set_special(db, &grand, 2022, special,
				     "Prix de l’engagement auprès des aidants", &error);
	if (rc && favourite && special)
		fprintf(stderr, "seed: 2022's prizes: %s\n", error.message);
	json_decref(rows);
	return rc ? -1 : 0;
}

/* Saves juror's grid of row under scale, each score from seed, submitted
 * or a draft. Returns 0 or -1. */
static int grid(struct db_ctx *db, const struct user *juror, const json_t *row,
		const struct gpi_grid_scale *scale, int seed, bool submit)
{
	struct gpi_grid_input in = {.submit = submit};
	for (size_t i = 0; i < scale->n; i++) {
		in.scores[i] = (int)((seed + 3 * i) % (GPI_SCORE_MAX + 1));
		in.comments[i] = "Exemple\u202f: appréciation du juré sur ce critère.";
	}
	struct audit_actor by = audit_actor_cli(juror);
	bson_error_t error;
	int rc = gpi_grid_save(db, &by, row, juror->id, scale, &in, NULL, &error);
	if (rc < 0)
		fprintf(stderr, "seed: a demo grid: %s\n", error.message);
	return rc < 0 ? -1 : 0;
}

/* The open edition's "rh" jury at work. Returns 0 or -1. */
static int current(struct db_ctx *db, const struct people *p)
{
	bson_error_t error;
	json_t *all = gpi_editions_all(db, &error);
	const json_t *e = all ? gpi_edition_current(all, clock_now_ms()) : NULL;
	int year = e ? gpi_edition_year(e) : 0;
	struct audit_actor sec = audit_actor_cli(p->secretariat);
	struct gpi_jury_refusal why = {0};
	int rc = e ? 0 : -1;
	for (int i = 0; rc == 0 && i < 2; i++)
		rc = gpi_jury_appoint(db, &sec, year, "rh", p->jurors[i]->id, &why, &error);
	if (rc == 0)
		rc = gpi_jury_appoint(db, &sec, year, NULL, p->grand_juror->id, &why, &error);
	if (rc)
		fprintf(stderr, "seed: demo juries: %s\n",
			rc > 0 ? why.message : e ? error.message : "no open edition");
	json_t *rows = rc == 0 ? gpi_index_rows(db, year, "rh", "recevable", &error) : NULL, *r;
	struct gpi_grid_scale scale = e ? gpi_grid_scale_of(e) : (struct gpi_grid_scale){0};
	size_t i;
	json_array_foreach(rows, i, r) {
		for (int k = 0; rc == 0 && k < 2; k++) {
			const struct user *juror = p->jurors[k];
			if (juror->organisation &&
			    strcmp(juror->organisation, json_str(r, "organisation_id")) == 0)
				continue; /* recused: her own organisation's */
			/* Nadia leaves her first grid a draft. */
			rc = grid(db, juror, r, &scale, (int)(i + 2 * k + 1), !(k == 0 && i == 0));
		}
	}
	if (rc == 0 && rows && gpi_state_close_scoring(db, &sec, year, "rh", &error)) {
		fprintf(stderr, "seed: closing the demo scoring: %s\n", error.message);
		rc = -1;
	}
	json_decref(rows);
	json_decref(all);
	return rc ? -1 : 0;
}

int gpi_demo_results_load(const struct app *app)
{
	struct db_ctx *db = db_ctx_open(app->db, "seed");
	bson_error_t error;
	struct people p = {
		user_find_email(db, "sophie.bernard@example.org", &error),
		user_find_email(db, "thomas.petit@example.org", &error),
		{user_find_email(db, "nadia.lefevre@example.org", &error),
		 user_find_email(db, "julien.moreau@example.org", &error)},
	};
	int rc = p.secretariat && p.grand_juror && p.jurors[0] && p.jurors[1] ? 0 : -1;
	if (rc)
		fprintf(stderr, "seed: the Grand Prix's demo juries need the demo accounts\n");
	if (rc == 0)
		rc = past(db, &p);
	if (rc == 0)
		rc = current(db, &p);
	if (rc == 0)
		printf("seed: demo Grand Prix juries and 2022's laureates\n");
	db_ctx_close(db);
	return rc;
}
