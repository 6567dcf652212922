/* Grand Prix candidatures filed through the real API for the tests of the
 * later steps (finalists, prizes, juries): an eligible candidature with
 * its PDF dossier, submitted on time under the test clock, then declared
 * recevable (or not) by the secretariat. */
#ifndef COUSILAB_TEST_GPI_FILING_H
#define COUSILAB_TEST_GPI_FILING_H

#include <stdbool.h>
#include <stddef.h>

/* What to file. */
struct gpi_filing {
	int year;              /* an edition made by test_gpi_edition_new */
	const char *token;     /* the filer's API token */
	const char *title;
	const char *category;  /* a code of test_gpi_edition_json */
	const char *contact;   /* the contact's address (mails go there) */
	const char *partner;   /* a partner organisation's code, or NULL */
	const char *project;   /* the id of a project of the filer's it is filed from, or NULL */
	bool no_endowment_use; /* leave the Gold endowment's use unstated */
	bool draft;            /* leave it a draft (its dossier uploaded) */
};

/* Sets the test clock at month_day_time ("05-15T09:00:00Z": while the
 * audition is prepared, when jurors score) of year: test_gpi_edition_json
 * puts each phase at the same dates every year. */
void gpi_clock_at(int year, const char *month_day_time);

/* Returns the dossier's bytes every filing uploads (the process's own),
 * with their length in *len. */
const char *gpi_dossier(size_t *len);

/* Files and submits f (unless a draft; the clock is set inside the filing
 * window and left there): a summary with a semicolon and quotes (for the
 * CSV's escaping), two people named in the dossier, Anne Martin then
 * Louis Roux, f's contact. Returns the candidature's id (heap). Fails the test otherwise. */
char *gpi_file(const struct gpi_filing *f);

/* Files, as the agent of token, an eligible candidature titled title in
 * category of edition year (gpi_file, with a contact address of its own),
 * then, as the secretariat of sec_token, declares it recevable
 * (gpi_admit). Leaves the test clock set. Returns its id (heap). */
char *gpi_filing_admitted(const char *token, const char *sec_token, int year,
			  const char *category, const char *title);

/* Declares candidature id of year recevable (admissible) or irrecevable
 * (with the "dossier-incomplet" reason) as the secretariat sec_token,
 * under the clock of the analysis phase. Fails the test otherwise. */
void gpi_admit(const char *sec_token, int year, const char *id, bool admissible);

#endif
