/* Reading a submitted form, from an urlencoded body or a JSON object,
 * with one set of rules: the API and the HTML forms answer the same
 * field errors (HTTP 422), and a re-rendered form keeps what was typed
 * (the reply itself is web/form_reply.h). */
#ifndef COUSILAB_FORM_H
#define COUSILAB_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct request;

struct form {
	struct request *req;
	json_t *values; /* field → text as typed, for redisplay */
	json_t *errors; /* field → first French error message */
	json_t *fields; /* names in the order read, the form's: the error summary's order */
};

/* Starts reading req's submitted fields. Allocates three JSON values,
 * released by form_end. */
void form_begin(struct form *f, struct request *req);
void form_end(struct form *f);

/* Returns the one-line field's text, trimmed, arena-owned ("" when
 * absent), and records an error when it is required but empty, longer
 * than max_chars characters, not text (a JSON object such as
 * {"$gt": ""}), not UTF-8, or holding what utf8_refused_char refuses in
 * one line (controls, tab and line ends included, bidi overrides). The
 * text stays in values as typed, for redisplay. Never returns NULL. */
const char *form_text(struct form *f, const char *name, size_t max_chars, bool required);

/* Like form_text for a multi-line field (a textarea): line ends become
 * LF, and tab, LF and bidi controls are kept; other controls refused. */
const char *form_paragraphs(struct form *f, const char *name, size_t max_chars, bool required);

/* Like form_text, untrimmed, never echoed back and taken byte for byte
 * (UTF-8 still checked): for passwords, which are only hashed. */
const char *form_secret(struct form *f, const char *name, bool required);

/* Returns the list of texts of a multi-valued field (checkboxes, or a
 * JSON array of strings); each checked like form_text (empty ones are
 * dropped from a form, kept from JSON). New reference. */
json_t *form_list(struct form *f, const char *name, size_t max_chars);

/* Returns true when the request sent field name, even empty. */
bool form_sent(const struct form *f, const char *name);

/* Records message for field name unless it already has one. */
void form_error(struct form *f, const char *name, const char *message);

/* Returns true when no error was recorded. */
bool form_valid(const struct form *f);

#endif
