/* Moving a project between stages: a team member's proposal, the
 * coordinator's decision on it, a coordinator's direct move, and the
 * project's state (active, paused, abandoned). Every move is checked by
 * project_move_check against the project as stored at the moment of the
 * write (under its revision claim), and kept in the timeline. */
#include <string.h>

#include "accounts/roles.h"
#include "accounts/user.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "http/form.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/urlencoded.h"
#include "projects/access.h"
#include "projects/files.h"
#include "projects/project.h"
#include "projects/route.h"
#include "projects/store.h"
#include "projects/ui.h"
#include "web/db_reply.h"
#include "web/error_reply.h"

/* A move being written: what was asked, and what the stored project
 * made of it. */
struct move {
	struct form *f;
	int to; /* stage asked */
	const char *note;
	const char *proposal; /* the proposal decided, or NULL */
	const char *from;     /* stage code before (set by the edit) */
	bool direct;          /* a coordinator's move: no proposal */
};

/* Records in m->f why the stored project p may not reach m->to, and
 * returns true, or returns false when it may. */
static bool refused(struct move *m, const json_t *p)
{
	int from = project_stage_from(json_str(p, "stage"));
	int state = project_state_from(json_str(p, "state"));
	enum project_move_check c = project_move_check(
		from < 0 ? PROJECT_STAGE_IDEE : (enum project_stage)from, (enum project_stage)m->to,
		state < 0 ? PROJECT_STATE_ACTIVE : (enum project_state)state, *m->note,
		project_proven(p));
	if (c == PROJECT_MOVE_OK)
		return false;
	form_error(m->f, "stage", project_move_message(c));
	return true;
}

/* Returns the pending list of p without proposal id (the request's
 * arena's: never decref'd); *found says whether it was there. */
static json_t *pending_without(struct request *req, const json_t *p, const char *id, bool *found)
{
	json_t *out = arena_json(req->arena, json_array()), *x;
	size_t i;
	*found = false;
	json_array_foreach(json_object_get(p, "pending"), i, x) {
		if (id && strcmp(json_str(x, "id"), id) == 0)
			*found = true;
		else
			json_array_append(out, x);
	}
	return out;
}

static enum project_edit_result apply_move(struct request *req, const json_t *p, json_t *set,
					   void *ctx)
{
	struct move *m = ctx;
	m->from = arena_strdup(req->arena, json_str(p, "stage"));
	bool found = false;
	json_t *pending = pending_without(req, p, m->proposal, &found);
	if (m->proposal && !found) {
		form_error(m->f, "stage", "Cette proposition a déjà été traitée.");
		return PROJECT_EDIT_REFUSED;
	}
	if (refused(m, p))
		return PROJECT_EDIT_REFUSED;
	json_object_set_new(set, "stage", json_string(PROJECT_STAGES[m->to][0]));
	json_object_set(set, "pending", pending);
	json_object_set_new(set, "last_activity_at", project_date(doc_now_ms()));
	return PROJECT_EDIT_WRITE;
}

/* Reads the stage asked into m, recording an error when unknown. */
static void read_stage(struct form *f, struct move *m, bool note_required)
{
	const char *stage = form_text(f, "stage", 40, true);
	m->to = project_stage_from(stage);
	if (*stage && m->to < 0)
		form_error(f, "stage", "Choisissez une étape de la liste.");
	m->note = form_paragraphs(f, "note", PROJECT_NOTE_MAX, note_required);
}

/* Returns the evidence of a proposal: a link (http or https) typed as
 * "evidence_url", as {url}; NULL when none (or a file: "evidence_file",
 * attached by the caller as {file_id, file_name, mime, size, url}). Records an error when it is
 * not a web address. The request's arena owns it: never decref'd. */
static json_t *read_evidence(struct form *f)
{
	const char *url = form_text(f, "evidence_url", 500, false);
	if (!*url)
		return NULL;
	if (!project_url_valid(url)) {
		form_error(f, "evidence_url", "Saisissez une adresse web commençant par https://.");
		return NULL;
	}
	return arena_json(f->req->arena, json_pack("{s:s}", "url", url));
}

/* Adds the proposal to the project's open list, after checking the move
 * against the project as stored. */
struct proposal_edit {
	struct move m;
	json_t *entry;
};

static enum project_edit_result add_proposal(struct request *req, const json_t *p, json_t *set,
					     void *ctx)
{
	(void)req;
	struct proposal_edit *e = ctx;
	if (refused(&e->m, p))
		return PROJECT_EDIT_REFUSED;
	json_t *pending = json_deep_copy(json_object_get(p, "pending"));
	json_array_append(pending, e->entry);
	json_object_set_new(set, "pending", pending);
	return PROJECT_EDIT_WRITE;
}

void projects_propose(struct request *req)
{
	struct upload *files = NULL;
	json_t *p = project_upload_of_route_or_reply(
		req, project_on_team,
		"Seuls les membres de l’équipe proposent un changement "
		"d’étape\u202f; la coordination du Lab change l’étape directement.",
		&files);
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	struct proposal_edit e = {.m = {.f = &f}};
	read_stage(&f, &e.m, true);
	json_t *evidence = read_evidence(&f);
	const struct upload *up = upload_form_file(files, "evidence_file");
	if (up && evidence)
		form_error(&f, "evidence_file",
			   "Joignez soit un fichier, soit un lien, pas les deux.");
	const char *pid = json_str(p, "_id");
	bson_error_t error;
	/* The file is kept only for a move the project allows. */
	int rc = up && form_valid(&f) && !refused(&e.m, p)
			 ? project_file_attach(req, p, up, &f, "evidence_file", &evidence, &error)
			 : 0;
	if (rc != -1 && form_valid(&f)) {
		json_t *doc = arena_json(
			req->arena,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "project_id", pid, "stage",
				  PROJECT_STAGES[e.m.to][0], "note", e.m.note, "by_id",
				  req->user->id, "by_name", req->user->name, "at",
				  project_date(doc_now_ms()), "status", "pending"));
		if (evidence)
			json_object_set(doc, "evidence", evidence);
		/* The proposal document first: a project never lists a
		 * proposal that does not exist. */
		const char *id = refused(&e.m, p)
					 ? NULL
					 : project_insert_child(req->db, "project_proposals", NULL,
								doc, &error);
		if (id) {
			e.entry = arena_json(req->arena,
					     json_pack("{s:s, s:s, s:s, s:s, s:O}", "id", id,
						       "stage", PROJECT_STAGES[e.m.to][0], "note",
						       e.m.note, "by_name", req->user->name, "at",
						       json_object_get(doc, "at")));
			rc = project_update(req, pid, add_proposal, &e, &error);
			if (rc == 1 && project_event_add(req, pid, "proposal", json_str(p, "stage"),
							 PROJECT_STAGES[e.m.to][0], e.m.note,
							 evidence, &error))
				rc = -1;
		} else if (form_valid(&f)) {
			rc = -1;
		}
	}
	if (rc == 1)
		project_done(req, pid, 201, "etape");
	else if (rc == 0)
		project_invalid(&f, p, "proposal");
	else
		db_fail(req, "proposing a move", &error);
	form_end(&f);
}

/* Marks proposal id decided (accepted or refused) with the decider's
 * comment. Returns 0 or -1. */
static int close_proposal(struct request *req, const char *id, const char *status,
			  const char *comment, bson_error_t *error)
{
	json_t *set = arena_json(req->arena,
				 json_pack("{s:{s:s, s:s, s:s, s:o, s:s}}", "$set", "status",
					   status, "decided_by", req->user->id, "decided_by_name",
					   req->user->name, "decided_at",
					   project_date(doc_now_ms()), "comment", comment));
	bson_t *update = project_bson_of(set, error);
	return update ? doc_upsert_id(req->db, "project_proposals", id, update, error) : -1;
}

/* Removes a refused proposal from the open list. */
static enum project_edit_result drop_proposal(struct request *req, const json_t *p, json_t *set,
					      void *ctx)
{
	struct move *m = ctx;
	bool found = false;
	json_t *pending = pending_without(req, p, m->proposal, &found);
	if (!found) {
		form_error(m->f, "comment", "Cette proposition a déjà été traitée.");
		return PROJECT_EDIT_REFUSED;
	}
	json_object_set(set, "pending", pending);
	return PROJECT_EDIT_WRITE;
}

/* Accepts (accept) or refuses the route's proposal {pid}. */
static void decide(struct request *req, bool accept)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_decides,
		"Seul le coordinateur ou la coordinatrice qui suit le projet "
		"décide de ses propositions.");
	if (!p)
		return;
	const char *pid = json_str(p, "_id");
	const char *proposal_id = request_param(req, "pid");
	bson_error_t error = {0};
	json_t *proposal = proposal_id ? arena_json(req->arena,
						    doc_find_id_json(req->db, "project_proposals",
								     proposal_id, &error))
				       : NULL;
	if (!proposal || strcmp(json_str(proposal, "project_id"), pid) != 0) {
		if (error.code)
			db_fail(req, "reading a proposal", &error);
		else
			reply_not_found(req);
		return;
	}
	struct form f;
	form_begin(&f, req);
	const char *comment = form_paragraphs(&f, "comment", PROJECT_NOTE_MAX, !accept);
	struct move m = {.f = &f,
			 .to = project_stage_from(json_str(proposal, "stage")),
			 .note = json_str(proposal, "note"),
			 .proposal = proposal_id};
	int rc = 0;
	if (form_valid(&f) && m.to >= 0)
		rc = project_update(req, pid, accept ? apply_move : drop_proposal, &m, &error);
	const char *status = accept ? "accepted" : "refused";
	if (rc == 1 && (close_proposal(req, proposal_id, status, comment, &error) ||
			project_event_add(req, pid, accept ? "move" : "decision",
					  accept ? m.from : NULL, json_str(proposal, "stage"),
					  *comment ? comment : m.note, NULL, &error)))
		rc = -1;
	if (rc == 1) {
		audit_record(req, accept ? "project.proposal.accept" : "project.proposal.refuse",
			     pid, json_str(proposal, "stage"), NULL);
		project_done(req, pid, 200, "etape");
	} else if (rc == 0) {
		project_invalid(&f, p, arena_printf(req->arena, "decision-%s", proposal_id));
	} else {
		db_fail(req, "deciding on a proposal", &error);
	}
	form_end(&f);
}

void projects_proposal_accept(struct request *req)
{
	decide(req, true);
}

void projects_proposal_refuse(struct request *req)
{
	decide(req, false);
}

/* Returns true when req's visitor is one of the Lab's coordinators, who
 * move any project they see directly. */
static bool coordinates(struct request *req, const json_t *p)
{
	(void)p;
	return user_has_role(req->user, ROLE_COORDINATOR);
}

void projects_move(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, coordinates,
		"Seule la coordination du Lab change l’étape directement\u202f; "
		"l’équipe propose un changement.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	struct move m = {.f = &f, .direct = true};
	read_stage(&f, &m, false);
	const char *pid = json_str(p, "_id");
	bson_error_t error;
	int rc = form_valid(&f) ? project_update(req, pid, apply_move, &m, &error) : 0;
	if (rc == 1 && project_event_add(req, pid, "move", m.from, PROJECT_STAGES[m.to][0], m.note,
					 NULL, &error))
		rc = -1;
	if (rc == 1) {
		audit_record(req, "project.move", pid, PROJECT_STAGES[m.to][0], NULL);
		project_done(req, pid, 200, "etape");
	} else if (rc == 0) {
		project_invalid(&f, p, "move");
	} else {
		db_fail(req, "moving a project", &error);
	}
	form_end(&f);
}

struct state_edit {
	const char *state, *reason;
};

static enum project_edit_result set_state(struct request *req, const json_t *p, json_t *set,
					  void *ctx)
{
	(void)req;
	(void)p;
	struct state_edit *e = ctx;
	json_object_set_new(set, "state", json_string(e->state));
	json_object_set_new(set, "state_reason", json_string(e->reason));
	json_object_set_new(set, "last_activity_at", project_date(doc_now_ms()));
	return PROJECT_EDIT_WRITE;
}

void projects_state(struct request *req)
{
	json_t *p = project_of_route_for_or_reply(
		req, project_may_edit,
		"Seuls l’équipe du projet et la coordination du Lab "
		"changent son état.");
	if (!p)
		return;
	struct form f;
	form_begin(&f, req);
	struct state_edit e = {form_text(&f, "state", 12, true), NULL};
	int state = project_state_from(e.state);
	if (*e.state && state < 0)
		form_error(&f, "state", "Choisissez actif, en pause ou abandonné.");
	e.reason = form_paragraphs(&f, "reason", PROJECT_NOTE_MAX, state > PROJECT_STATE_ACTIVE);
	const char *pid = json_str(p, "_id");
	bson_error_t error;
	/* Abandoning asks first on a page of its own (the API acts at once). */
	bool ask = state == PROJECT_STATE_ABANDONED && !req->is_api &&
		   !request_param(req, "confirmed");
	enum { ASK = 2 };
	int rc = !form_valid(&f) ? 0 : ask ? ASK : project_update(req, pid, set_state, &e, &error);
	if (rc == 1 &&
	    project_event_add(req, pid, "state", NULL, NULL,
			      arena_printf(req->arena, "%s%s%s", PROJECT_STATES[state][1],
					   *e.reason ? " : " : "", e.reason),
			      NULL, &error))
		rc = -1;
	if (rc == ASK)
		reply_redirect(req,
			       arena_printf(req->arena,
					    "/projets/%s/confirmer-abandon?"
					    "raison=%s",
					    json_str(p, "slug"), url_encode(req->arena, e.reason)));
	else if (rc == 1)
		project_done(req, pid, 200, "etat");
	else if (rc == 0)
		project_invalid(&f, p, "state");
	else
		db_fail(req, "changing a project's state", &error);
	form_end(&f);
}
