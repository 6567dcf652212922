/* What another feature asks of cousiSTORE about a practice it is linked
 * to: make a draft practice from its own work ("Publier comme bonne
 * pratique" on a project), and say what that practice has become (title,
 * status, the organisations that reuse it). Features never include each
 * other: the feature that owns practices registers its answers here once
 * at startup (main.c), and the asking feature calls them. */
#ifndef COUSILAB_PRACTICE_LINK_H
#define COUSILAB_PRACTICE_LINK_H

#include <bson/bson.h>
#include <jansson.h>
#include <stddef.h>

struct request;

/* One resource of the draft's toolbox: a link (url) or a stored file
 * (file_id) of the asking feature, which the practice gets a copy of, so
 * that the practice's own rights decide who reads it. */
struct practice_link_resource {
	const char *title, *description; /* description may be NULL */
	const char *url;                 /* or NULL */
	const char *file_id;             /* or NULL */
};

/* What the draft is made of; every text is borrowed. The practice records
 * where it comes from (source_kind, source_id, source_slug, source_title)
 * and its sheet links back to "/projets/<source_slug>". */
struct practice_link_draft {
	const char *title, *summary, *problem, *description;
	const char *maturity; /* "idee", "experimentee", "deployee" or "generalisee" */
	const char *const *organisations;
	size_t n_organisations;
	const char *const *themes;
	size_t n_themes;
	const struct practice_link_resource *resources;
	size_t n_resources;
	const char *source_kind, *source_id, *source_slug, *source_title;
};

struct practice_link_ops {
	/* Creates a draft practice from d, written by req's user, through
	 * the practices' own quotas and rules. Returns its id (arena), or
	 * NULL with error set (a quota refusal is told apart by
	 * refused_message). */
	const char *(*draft)(struct request *req, const struct practice_link_draft *d,
			     bson_error_t *error);
	/* Returns the French reason why error refused the draft (a quota
	 * full), or NULL when error is a failure rather than a refusal. */
	const char *(*refused_message)(const bson_error_t *error);
	/* Returns what a linked page shows of practice id: {slug, title,
	 * status, status_label, published (bool), reuse_count, adopters:
	 * [{name, stage_label}]}, as req's visitor may see it; NULL with
	 * error->code 0 when there is no such practice. New reference. */
	json_t *(*describe)(struct request *req, const char *id, bson_error_t *error);
	/* Returns {slug, title} of practice id when it is published, else
	 * NULL: read from the catalogue every process keeps, never from the
	 * database, for public pages that link only to what anyone may read.
	 * New reference. */
	json_t *(*published)(struct request *req, const char *id);
};

/* Registers ops (static); call before the server starts. */
void practice_link_register(const struct practice_link_ops *ops);

/* Returns the registered ops; aborts when main forgot to register them (a
 * startup bug). */
const struct practice_link_ops *practice_link(void);

#endif
