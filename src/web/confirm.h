/* The page of its own that every destructive action (archive, remove,
 * revoke, deactivate...) shows before it happens: the button on the
 * thing's page is a GET link here, and this page says what will happen
 * and holds the POST form (with its CSRF token) that does it. GET never
 * changes anything; the API keeps its direct routes. */
#ifndef COUSILAB_WEB_CONFIRM_H
#define COUSILAB_WEB_CONFIRM_H

struct request;

struct confirm_page {
	const char *title;       /* the question, as the <h1>: "Archiver cette pratique ?" */
	const char *subject;     /* what it acts on, shown as is (escaped): a title, a name */
	const char *consequence; /* what will happen, one or two sentences */
	const char *action;      /* the POST route that does it */
	const char *button;      /* the confirming button: "Archiver la pratique" */
	const char *cancel;      /* where "Annuler" goes back to */
	/* Extra form fields the POST expects, as name, value pairs ending
	 * with NULL; may be NULL. */
	const char *const *fields;
};

/* Replies 200 with the confirmation page of c (borrowed) for the
 * signed-in visitor. Returns 0, or -1 after turning the reply into a
 * 500 (missing template). Allocates in the request arena; may set the
 * CSRF cookie. */
int confirm_page_reply(struct request *req, const struct confirm_page *c);

#endif
