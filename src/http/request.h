/* One HTTP request and its buffered reply. A request is created by the
 * server loop for each FastCGI request, passed to exactly one handler, and
 * freed when the reply is sent: there is no global request state. */
#ifndef COUSILAB_REQUEST_H
#define COUSILAB_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/params.h"

struct app;
struct arena;
struct route;
struct user;
struct db_ctx;
typedef struct FCGX_Stream FCGX_Stream;

struct header {
	const char *name;
	const char *value;
	struct header *next;
};

/* A place in a body shared by signed-in visitors where one visitor's own
 * part goes (see http/page_cache.h). */
struct page_hole {
	size_t offset;    /* in the body, holes in increasing order */
	const char *name; /* the fragment that fills it */
};

struct response {
	int status; /* may change until the reply is sent */
	const char *content_type;
	struct header *headers;        /* extra headers, arena-owned */
	struct buf body;               /* heap-owned, freed with the request */
	const struct page_hole *holes; /* body still to fill (arena), or NULL */
	size_t n_holes;
	bool streamed; /* sent as it was made (http/reply_stream.h): body unused */
};

struct request {
	struct arena *arena;   /* everything below is allocated in it */
	const struct app *app; /* shared, read-only */
	FCGX_Stream *in;       /* request body stream */
	FCGX_Stream *out;      /* reply stream: for streamed replies only */
	char **env;            /* FastCGI parameters */

	const char *method;     /* "GET", "POST"... ("HEAD" is routed as GET) */
	const char *path;       /* percent-decoded, UTF-8 checked */
	const char *raw_path;   /* as sent, for logs */
	const char *request_id; /* nginx $request_id, or generated */
	const char *remote_addr;
	const char *content_type;
	size_t content_length;
	bool https;
	bool is_head;
	bool is_api; /* path under /api/: errors answer JSON */
	/* Set by request_prepare when the request is malformed (400, 413):
	 * the dispatch function answers it, in the site's own error page. */
	struct {
		int status;          /* 0: well-formed */
		const char *code;    /* for the API's JSON error */
		const char *message; /* French, for the visitor */
	} refused;

	struct param *query; /* parsed query string */
	struct param *form;  /* urlencoded body, parsed before dispatch */
	json_t *json;        /* JSON body (borrowed; freed with the arena) */
	struct param *route_params;
	struct param *cookies; /* parsed on first use */
	bool cookies_parsed;
	const struct route *route;

	struct user *user;       /* signed-in user, or NULL */
	const char *session_id;  /* hash of the session token, or NULL */
	bool via_token;          /* authenticated by an API bearer token */
	const char *csrf;        /* this visitor's CSRF token, once known */
	bool csrf_pending;       /* multipart: the body's token is still to check */
	bool shared_reply;       /* built for the page cache: nothing per-visitor */
	struct param *fragments; /* this visitor's own parts of a shared page, by hole name */
	/* Set by a route's personal hook: what a shared page depends on
	 * besides the roles, part of its cache key and read by its shared
	 * build (an organisation's code: its filers share its list). NULL:
	 * the roles only. */
	const char *share_key;
	/* Set too by a hook whose page is the visitor's own (a juror's list):
	 * built as them, not as a nameless member, and kept under their id,
	 * a moment for them alone. */
	bool share_own;
	bool cache_hit;          /* answered from the page cache */
	uint64_t search_us;      /* time spent searching the catalogue (0: none) */

	struct db_ctx *db; /* the database, for db/ calls (see db/db.h) */
	uint64_t started_us;
	struct response res;
};

/* Returns a request parameter by name: route parameter, then query string,
 * then form body. NULL when absent. Borrowed from the arena. */
const char *request_param(const struct request *req, const char *name);

/* Returns the year of the route's {year} parameter ("2022"), or 0 when
 * it is absent or not four digits (the caller answers 404). */
int request_year_param(const struct request *req);

/* Returns a FastCGI parameter (CGI variable) or NULL. Borrowed. */
const char *request_env(const struct request *req, const char *name);

#endif
