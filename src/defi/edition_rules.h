/* The rules of an edition's fields, as plain functions over plain data:
 * what a coordinator may type (pages and API alike) and the codes of the
 * extra questions, which the server makes and users never choose. */
#ifndef COUSILAB_DEFI_EDITION_RULES_H
#define COUSILAB_DEFI_EDITION_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/field_error.h"

struct arena;

enum {
	DEFI_YEAR_MIN = 2018, /* the first edition, then "Appel à idées" */
	DEFI_YEAR_MAX = 2100,
	DEFI_TITLE_MAX_CHARS = 150,
	DEFI_THEME_MAX_CHARS = 200,
	DEFI_DESCRIPTION_MAX_CHARS = 20000,
	DEFI_LOCATION_MAX_CHARS = 200,
	DEFI_QUESTION_MAX_CHARS = 300,
	DEFI_QUESTIONS_MAX = 8,
	DEFI_CODE_MAX_CHARS = 16,
	DEFI_TEAM_SIZE_LIMIT = 50, /* a team of two days in one room */
	DEFI_EDITION_MAX_ERRORS = 24,
};

/* One extra question of the application form. code is NULL for a new
 * question, else the code the edition already gave it. */
struct defi_question {
	const char *code, *label;
	bool required;
};

/* An edition as typed, after each field was read (text trimmed, instants
 * converted to UTC ms). A field the form could not read at all is marked
 * missing by its *_set flag being false. */
struct defi_edition_input {
	int year;
	const char *title, *theme, *description, *location;
	const char *event_start, *event_end; /* "YYYY-MM-DD" as typed */
	int64_t opens_at, closes_at;
	bool opens_set, closes_set;
	int min_team, max_team; /* max_team 0: none */
	struct defi_question questions[DEFI_QUESTIONS_MAX];
	size_t n_questions;
	bool example; /* demo data; never from a form */
};

/* Checks in against the rules and writes each broken one to out (at most
 * DEFI_EDITION_MAX_ERRORS; field names are the form's). Returns how many.
 * Pure. */
size_t defi_edition_check(const struct defi_edition_input *in, struct field_error *out);

/* Returns true when text is a real calendar day written "YYYY-MM-DD". */
bool defi_is_date(const char *text);

/* Gives every question of in without a code a new one, "q<n>" with n
 * above every code already used (so an answer never changes question),
 * in the arena. A question whose code is not of the form "q<n>" gets a
 * new one too: codes are the server's. */
void defi_questions_number(struct arena *a, struct defi_edition_input *in);

#endif
