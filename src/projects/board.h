/* What the coordinators' views compute over the projects' summaries, as
 * plain functions over plain data: the weekly key of the stalled-projects
 * mail, the funnel of a Défi edition, French numbers for the export. */
#ifndef COUSILAB_PROJECT_BOARD_H
#define COUSILAB_PROJECT_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "projects/project.h"

enum {
	PROJECT_WEEK_MAX = 9,    /* "2026-W49" and its NUL */
	PROJECT_NUMBER_MAX = 32, /* a value as project_format_number writes it */
	/* Cards shown per column of the board: the page stays one a
	 * coordinator can read at a glance, light to send (about 30 kB). */
	PROJECT_BOARD_CARDS = 15,
};

/* Writes to out the ISO 8601 week ("2026-W49", the year being the ISO
 * week-numbering year) of the UTC day of the instant ms. Weeks start on
 * Monday; the week of 4 January is week 1. Pure. */
void project_iso_week(int64_t ms, char out[PROJECT_WEEK_MAX]);

/* The funnel of one Défi edition: teams retained → projects → each stage
 * reached. A project counts for its stage and every stage before it. */
struct project_funnel {
	long retained;                     /* teams the edition retained */
	long projects;                     /* projects born of its teams */
	long reached[PROJECT_STAGE_COUNT]; /* projects that reached each stage */
};

/* Counts into f one project of the edition, now at stage. Pure. */
void project_funnel_count(struct project_funnel *f, enum project_stage stage);

/* Writes v the French way to out: decimal comma, no exponent, at most
 * six decimals, trailing zeros dropped ("12", "3,5", "-0,75"). Pure. */
void project_format_number(double v, char out[PROJECT_NUMBER_MAX]);

#endif
