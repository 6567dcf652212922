/* cousiSTORE's secondary keys (see db/lookup.h for why and how): every
 * list a page shows is read by _id, never by a filter on another field.
 *
 *   collection "practice_slugs": _id slug, practice_id. Inserted before
 *     the practice itself: the unique _id claims the slug.
 *   lookup lists (items {id}, oldest first):
 *     "practices_by:<user id>"   practices an author created;
 *     "practices_submitted"      practices awaiting a coordinator (an
 *                                item may outlive its submission by a
 *                                crash: readers check the status);
 *     (its comments are listed by the comments service: comments/store.h);
 *     "reuses_by:<organisation>" its reuse declarations ("<practice
 *                                id>:<organisation>");
 *     "club_members:<theme>"     items {id: user id, name, organisation}
 *                                as they were when joining.
 * Versions need no list: their _ids are "<practice id>:<%06d version>". */
#ifndef COUSILAB_PRACTICE_LOOKUPS_H
#define COUSILAB_PRACTICE_LOOKUPS_H

struct arena;
struct request;

#define PRACTICE_SLUGS "practice_slugs"
#define PRACTICES_SUBMITTED "practices_submitted"

/* Returns the lookup name "<family>:<key>" ("practices_by", "reuses_by",
 * "club_members") in the arena. */
const char *practice_lookup(struct arena *a, const char *family, const char *key);

/* Adds, from one scan of each collection, the lookup documents that data
 * written before they existed misses (migration 0040, and after a bulk
 * seed): slugs, and the entries each list above lacks (appended at its
 * end; running it again adds nothing). Offline work: it reads whole
 * collections and lists. Returns 0 or -1 (printed on stderr). */
int practice_lookups_backfill(struct request *req);

#endif
