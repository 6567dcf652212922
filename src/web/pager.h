/* The one pager of the site: the {page, pages, several, prev, next} data
 * that the pager partials render, for a list numbered by page (?page=N,
 * the catalogue) and for a list read a page at a time from a whole
 * collection, newest first (the administration lists). */
#ifndef COUSILAB_PAGER_H
#define COUSILAB_PAGER_H

#include <bson/bson.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct request;

/* Rows on one page of a collection list (pager_list_page). */
enum { PAGER_LIST_SIZE = 50 };

/* Returns how many pages total rows fill at per_page rows a page: at least
 * one, so that an empty list still reads "Page 1 sur 1". Pure. */
int64_t pager_pages(int64_t total, int64_t per_page);

/* Returns the pager data {page, pages, several, prev, next} of page out
 * of pages; prev and next are the URLs of the neighbouring pages, NULL
 * where there is none (the key is then left out, so the partial shows no
 * link). "several" says whether there is anywhere to go. prev and next
 * are copied. New reference. */
json_t *pager_new(int64_t page, int64_t pages, const char *prev, const char *next);

/* Returns the number the request's parameter name holds, or fallback when
 * it holds none or anything else than digits; at least 1, at most max. */
long pager_number(struct request *req, const char *name, long fallback, long max);

/* Returns the current filters as a query string: the non-empty request
 * parameters named in names (NULL-terminated), URL-encoded, each followed
 * by '&', ready for the pager's own parameters to be appended, so that
 * turning the page keeps the filters. Arena-owned. */
const char *pager_filter_query(struct request *req, const char *const *names);

/* A list that pages through a whole collection, newest first by a date
 * field, ties broken by _id. A page starts after the last row of the one
 * before (?apres=<ms>-<id>) or ends before the first row of the one after
 * (?avant=<ms>-<id>): each page reads a range of (date, _id), never
 * skipping rows, so page 1,000 costs what page 1 does on MongoDB (on
 * FerretDB every filter scans anyway: these lists are for administrators,
 * never on a visitor's path). ?page= only numbers the page. */
struct pager_list {
	const char *collection;
	const char *date_field;
	const bson_t *filter;     /* what the database can filter; not destroyed */
	const bson_t *projection; /* may be NULL */
	/* Returns the table row of doc, or NULL when filters the database
	 * cannot apply (folded text search) leave it out. New reference. */
	json_t *(*row)(struct request *req, const bson_t *doc, void *ctx);
	void *ctx;
	bool row_filters;  /* row may leave documents out */
	const char *path;  /* the page, for the pager's links */
	const char *query; /* pager_filter_query's string */
};

/* Fills data's "rows" (the page asked by the request) and "pager"
 * (pager_new's, with "total"). total is the number of rows in the whole
 * list, or -1 to have it counted. Returns 0, or -1 with error set (data
 * unchanged). */
int pager_list_page(struct request *req, const struct pager_list *l, int64_t total, json_t *data,
		    bson_error_t *error);

#endif
