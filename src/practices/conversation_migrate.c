/* Migration step "comment_subjects" (migrations/0110_comment_subjects.json):
 * the conversation's data as it was before the comments service keyed it
 * by subject, rewritten to its keys (see comments/store.h):
 *   comments {practice_id}              → {subject: "practice:<id>"}
 *   follows _id "<practice>:<user>"      → "practice:<practice>:<user>", subject
 *   lookups "comments_of:<practice>[#p]" → "comments_of:practice:<practice>[#p]"
 * Offline work: it scans the three collections once. Each document is
 * written under its new key before the old one goes, so a run stopped
 * midway loses nothing and the next one finishes it. */
#include <mongoc/mongoc.h>
#include <stdio.h>
#include <string.h>

#include "comments/store.h"
#include "practices/conversation.h"

enum { DUPLICATE_KEY = 11000 };

/* Runs each of the documents of collection matching filter (destroyed
 * here) through fn, which returns 0 or -1. Returns 0, or -1 after printing
 * why. */
static int each(mongoc_database_t *database, const char *collection, bson_t *filter,
		int (*fn)(mongoc_collection_t *c, const bson_t *doc, bson_error_t *error))
{
	mongoc_collection_t *c = mongoc_database_get_collection(database, collection);
	bson_t *opts = BCON_NEW("batchSize", BCON_INT32(1000));
	mongoc_cursor_t *cur = mongoc_collection_find_with_opts(c, filter, opts, NULL);
	const bson_t *doc;
	bson_error_t error = {0};
	int rc = 0;
	while (rc == 0 && mongoc_cursor_next(cur, &doc))
		rc = fn(c, doc, &error);
	if (rc == 0 && mongoc_cursor_error(cur, &error))
		rc = -1;
	if (rc)
		fprintf(stderr, "migrate: comment_subjects: %s: %s\n", collection, error.message);
	mongoc_cursor_destroy(cur);
	bson_destroy(opts);
	bson_destroy(filter);
	mongoc_collection_destroy(c);
	return rc;
}

/* Returns the string field key of doc, or NULL. Borrowed from doc. */
static const char *text(const bson_t *doc, const char *key)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, key) && BSON_ITER_HOLDS_UTF8(&it)
		       ? bson_iter_utf8(&it, NULL)
		       : NULL;
}

/* Inserts a copy of doc with _id id and, when subject is set, that
 * subject; an earlier run's copy is kept. Then deletes doc. */
static int move(mongoc_collection_t *c, const bson_t *doc, const char *id, const char *subject,
		bson_error_t *error)
{
	bson_t copy = BSON_INITIALIZER;
	BSON_APPEND_UTF8(&copy, "_id", id);
	if (subject)
		BSON_APPEND_UTF8(&copy, "subject", subject);
	bson_copy_to_excluding_noinit(doc, &copy, "_id", "subject", "practice_id", NULL);
	bool ok = mongoc_collection_insert_one(c, &copy, NULL, NULL, error) ||
		  error->code == DUPLICATE_KEY;
	bson_destroy(&copy);
	bson_t *old = BCON_NEW("_id", BCON_UTF8(text(doc, "_id")));
	ok = ok && mongoc_collection_delete_one(c, old, NULL, NULL, error);
	bson_destroy(old);
	return ok ? 0 : -1;
}

/* Writes the subject key of doc's practice to subject (128 bytes) and
 * returns doc's _id, or NULL when doc is not of the older shape. */
static const char *older_doc(const bson_t *doc, char subject[128])
{
	const char *id = text(doc, "_id"), *practice = text(doc, "practice_id");
	if (!id || !practice)
		return NULL;
	snprintf(subject, 128, PRACTICE_SUBJECT ":%s", practice);
	return id;
}

static int comment_subject(mongoc_collection_t *c, const bson_t *doc, bson_error_t *error)
{
	char subject[128];
	const char *id = older_doc(doc, subject);
	if (!id)
		return 0;
	bson_t *filter = BCON_NEW("_id", BCON_UTF8(id));
	bson_t *update = BCON_NEW("$set", "{", "subject", BCON_UTF8(subject), "}", "$unset", "{",
				  "practice_id", BCON_UTF8(""), "}");
	bool ok = mongoc_collection_update_one(c, filter, update, NULL, NULL, error);
	bson_destroy(update);
	bson_destroy(filter);
	return ok ? 0 : -1;
}

static int follow_subject(mongoc_collection_t *c, const bson_t *doc, bson_error_t *error)
{
	char new_id[160], subject[128];
	const char *id = older_doc(doc, subject);
	if (!id)
		return 0;
	snprintf(new_id, sizeof(new_id), PRACTICE_SUBJECT ":%s", id);
	return move(c, doc, new_id, subject, error);
}

static int list_name(mongoc_collection_t *c, const bson_t *doc, bson_error_t *error)
{
	static const char OLD[] = COMMENTS_LIST_FAMILY ":";
	static const char NEW[] = COMMENTS_LIST_FAMILY ":" PRACTICE_SUBJECT ":";
	const char *id = text(doc, "_id");
	/* An old list's name is the family and an ObjectId's 24 hex digits. */
	if (!id || strncmp(id, OLD, sizeof(OLD) - 1) != 0 ||
	    strspn(id + sizeof(OLD) - 1, "0123456789abcdef") != 24)
		return 0;
	char new_id[160];
	snprintf(new_id, sizeof(new_id), "%s%s", NEW, id + sizeof(OLD) - 1);
	return move(c, doc, new_id, NULL, error);
}

int conversation_migrate_subjects(mongoc_database_t *database)
{
	int rc = each(database, COMMENTS_COLLECTION,
		      BCON_NEW("subject", "{", "$exists", BCON_BOOL(false), "}"),
		      comment_subject) ||
				 each(database, COMMENTS_FOLLOWS,
				      BCON_NEW("subject", "{", "$exists", BCON_BOOL(false), "}"),
				      follow_subject) ||
				 each(database, "lookups", bson_new(), list_name)
			 ? -1
			 : 0;
	if (rc == 0)
		printf("migrate: comment_subjects: the conversation keyed by subject\n");
	return rc;
}
