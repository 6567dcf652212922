/* Filing a Grand Prix candidature through the real API, for the tests of
 * what comes after it (juries, prizes, results). */
#ifndef COUSILAB_TEST_GPI_FILING_H
#define COUSILAB_TEST_GPI_FILING_H

/* Files, as token's agent, an eligible candidature to edition year (as
 * test_gpi_edition_json makes it) in category titled title, whose contact
 * is contact's address, whose people are "Anne Visible" and "Zoé
 * Retirée", and whose Gold endowment use is endowment_use ("": not
 * stated); uploads a PDF dossier and submits it before the deadline (the
 * test clock is left on 1 March of year). Fails the test when a step
 * fails. Returns its id (heap). */
char *gpi_filing_submit(const char *token, int year, const char *category, const char *title,
			const char *contact, const char *endowment_use);

#endif
