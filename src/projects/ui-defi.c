/* Turning a retained Défi du Lab team into a project, in one action by a
 * coordinator (POST /defi/{year}/equipes/{id}/projet from the team's
 * page, POST /api/v1/defi/teams/{id}/project): the members become the
 * team (the captain its porteur), the pitch the summary, the origin the
 * team and its edition; the team's page links to the project and the
 * project's to the team. The Défi answers through web/defi_team_link.h. */
#include <mongoc/mongoc.h>
#include <string.h>

#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/doc.h"
#include "http/request.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"
#include "web/defi_team_link.h"
#include "web/error_reply.h"

enum { DUPLICATE_KEY = 11000 };

/* Returns the first max characters of text (arena): a pitch longer than a
 * summary keeps its beginning, cut at a character boundary. */
static const char *cut(struct arena *a, const char *text, size_t max)
{
	size_t bytes = 0, chars = 0, len = strlen(text);
	while (bytes < len && chars < max) {
		bytes++;
		while (bytes < len && ((unsigned char)text[bytes] & 0xC0) == 0x80)
			bytes++;
		chars++;
	}
	return arena_strndup(a, text, bytes);
}

/* Returns the project's team from the team's confirmed members (names
 * from the accounts; the captain as porteur), owned by the request's
 * arena (never decref'd), or NULL with error set. */
static json_t *members_of(struct request *req, const struct team_link_facts *t, bson_error_t *error)
{
	json_t *out = arena_json(req->arena, json_array());
	for (size_t i = 0; i < t->n_members && i < PROJECT_MEMBERS_MAX; i++) {
		struct user *u = user_find_id(req->db, t->member_ids[i], error);
		if (!u && error->code)
			return NULL;
		if (!u)
			continue; /* an erased account leaves no one to name */
		bool captain = t->captain_id && strcmp(u->id, t->captain_id) == 0;
		json_array_append_new(out,
				      json_pack("{s:s, s:s, s:s}", "user_id", u->id, "name",
						u->name, "role", captain ? "porteur" : "membre"));
	}
	return out;
}

/* Claims team_id's one project: inserting "defi-team:<team_id>" in
 * project_origins. Returns 1 when claimed, 0 when the team has one, -1
 * with error set. */
static int claim_origin(struct request *req, const char *team_id, const char *project_id,
			bson_error_t *error)
{
	bson_t *doc = BCON_NEW("_id", BCON_UTF8(arena_printf(req->arena, "defi-team:%s", team_id)),
			       "project_id", BCON_UTF8(project_id));
	bool ok = mongoc_collection_insert_one(db_collection(req->db, "project_origins"), doc, NULL,
					       NULL, error);
	bson_destroy(doc);
	return ok ? 1 : error->code == DUPLICATE_KEY ? 0 : -1;
}

/* Returns the new project's document from team t, with members (borrowed),
 * owned by the request's arena (never decref'd). */
static json_t *project_from(struct request *req, const char *team_id,
			    const struct team_link_facts *t, const json_t *members)
{
	char today[11];
	int64_t now = clock_now_ms();
	time_t secs = (time_t)(now / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	return arena_json(
		req->arena,
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:s, s:s, s:O, s:s, "
			  "s:{s:s, s:i, s:s, s:s}, s:b}",
			  "title", cut(req->arena, t->name, PROJECT_TITLE_MAX), "summary",
			  cut(req->arena, t->pitch, PROJECT_SUMMARY_MAX), "problem", "", "solution",
			  "", "organisation_id", t->organisation_id, "partner_organisation_ids",
			  "external_partners", "themes", "started_on", today, "visibility", "staff",
			  "members", members, "coordinator_id", req->user->id, "origin", "kind",
			  "defi", "year", t->year, "team_id", team_id, "label", t->name, "example",
			  false));
}

void projects_from_defi_team(struct request *req)
{
	const struct defi_team_link_ops *ops = defi_team_link();
	const char *team_id = request_param(req, "id");
	struct team_link_facts t = {0};
	bson_error_t error = {0};
	int found = ops && team_id ? ops->facts(req, team_id, &t, &error) : 0;
	if (found <= 0) {
		if (found < 0)
			db_fail(req, "reading a Défi team", &error);
		else
			reply_not_found(req);
		return;
	}
	if (!t.retained) {
		reply_error(req, 422, "invalid", "Cette équipe n’a pas été retenue.",
			    arena_json(req->arena,
				       json_pack("{s:s}", "team",
						 "Seule une équipe retenue par le Lab devient un "
						 "projet.")));
		return;
	}
	json_t *members = members_of(req, &t, &error);
	if (!members) {
		db_fail(req, "reading a Défi team’s members", &error);
		return;
	}
	json_t *p = project_from(req, team_id, &t, members);
	/* The id is chosen before the claim, so the claim names the project
	 * that follows it. */
	const char *id = doc_new_id(req->arena);
	json_object_set_new(p, "_id", json_string(id));
	int claimed = claim_origin(req, team_id, id, &error);
	const char *made = claimed == 1 ? project_insert(req, p, &error) : NULL;
	if (claimed == 0) {
		reply_error(req, 409, "conflict", "Cette équipe est déjà devenue un projet.", NULL);
	} else if (!made ||
		   project_event_add(
			   req, made, "move", NULL, "idee",
			   arena_printf(req->arena,
					"Projet issu de l’équipe «\u202f%s\u202f» du Défi "
					"du Lab %d",
					t.name, t.year),
			   NULL, &error) ||
		   ops->set_project(req, team_id, made, json_str(p, "slug"), &error)) {
		db_fail(req, "turning a Défi team into a project", &error);
	} else {
		audit_record(req, "project.from_defi_team", made, team_id, NULL);
		project_done(req, made, 201, NULL);
	}
}
