/* Who shares a team's page (the route's personal hook, web/router.h).
 * A team of 2,000 in an edition is looked at by many agents who are not
 * in it, and all of them see the same page (name, organisation, status);
 * the coordinators all see the same full page. So signed-in visitors with
 * the same roles share it through the page cache, their account bar and
 * CSRF token being holes filled for each, and the team is read from the
 * database at most once a second per process rather than on each view.
 * Its captain, members and invited people see what is theirs to do on
 * it: they get a page built for them alone. Reads only the in-process
 * index of the edition's teams, coherent within a second across
 * processes, as the page cache is. */
#include <string.h>

#include "accounts/user.h"
#include "core/arena_json.h"
#include "db/doc.h"
#include "defi/team_index.h"
#include "defi/team_rules.h"
#include "defi/ui.h"
#include "http/request.h"
#include "web/page.h"

/* Returns true when the team of summary s shows req's visitor something
 * of their own: they captain it, are in it or are invited to it. */
static bool own_team(const struct request *req, const json_t *s)
{
	const struct user *u = req->user;
	return strcmp(json_str(s, "captain_id"), u->id) == 0 || defi_member_index(s, u->id) >= 0 ||
	       (u->email && defi_pending_email_index(s, u->email) >= 0);
}

int defi_team_personal(struct request *req)
{
	bson_error_t error;
	int year = request_year_param(req);
	/* An unknown team is answered by the handler, for this visitor. */
	json_t *s = year ? arena_json(req->arena, defi_index_team(req->db, year,
								  request_param(req, "id"), &error))
			 : NULL;
	return s && !own_team(req, s) ? page_personal(req) : 1;
}
