/* Grand Prix candidatures as the issue 13 tests need them: filed by an
 * agent through the API (a PDF dossier uploaded, submitted under the
 * test clock inside the filing window) and declared admissible by the
 * secretariat, so juries have something to score. */
#ifndef COUSILAB_ITEST_GPI_FILING_H
#define COUSILAB_ITEST_GPI_FILING_H

/* Files, as the agent of token, an eligible candidature titled title in
 * category of edition year (made by test_gpi_edition_new), uploads its
 * dossier and submits it, the test clock set inside the filing window;
 * then, as the secretariat of sec_token, declares it recevable (the
 * clock before the notification phase). Leaves the test clock set.
 * Fails the test otherwise. Returns the candidature's id (heap). */
char *gpi_filing_admitted(const char *token, const char *sec_token, int year,
			  const char *category, const char *title);

#endif
