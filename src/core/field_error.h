/* A rule's verdict on one form field: which field and what to tell the
 * user. Rules of every feature (accounts, practices, Défi) fill arrays of
 * these, so it lives below them all. */
#ifndef COUSILAB_FIELD_ERROR_H
#define COUSILAB_FIELD_ERROR_H

struct field_error {
	const char *field;   /* the form field's name, static */
	const char *message; /* French, static */
};

#endif
