#include "web/error_reply.h"

#include <stdio.h>
#include <string.h>

#include "http/reply.h"
#include "web/page.h"

/* The title of an error page and the next step it suggests, by status:
 * what went wrong in the visitor's terms, then what to do about it. */
struct error_wording {
	const char *heading, *advice;
};

static struct error_wording error_wording(int status)
{
	switch (status) {
	case 400:
		return (struct error_wording){
			"Demande illisible",
			"Revenez à la page précédente, rechargez-la, puis recommencez."};
	case 401:
		return (struct error_wording){"Connexion requise",
					      "Connectez-vous, puis recommencez."};
	case 403:
		return (struct error_wording){
			"Accès refusé",
			"Si vous pensez devoir y accéder, demandez ce droit à la coordination du Lab."};
	case 404:
		return (struct error_wording){
			"Page introuvable",
			"Vérifiez l’adresse, ou retrouvez la page depuis l’accueil ou le catalogue."};
	case 405:
		return (struct error_wording){
			"Méthode non autorisée",
			"Revenez à la page précédente et utilisez ses boutons."};
	case 409:
		return (struct error_wording){
			"Action impossible en l’état",
			"Rechargez la page pour voir son état actuel, puis recommencez si besoin."};
	case 413:
		return (struct error_wording){
			"Envoi trop volumineux",
			"Réduisez la taille du fichier ou du texte, puis renvoyez le formulaire."};
	case 422:
		return (struct error_wording){
			"Données à corriger",
			"Revenez au formulaire, corrigez les champs signalés et renvoyez-le."};
	case 429:
		return (struct error_wording){"Trop de tentatives",
					      "Patientez quelques minutes avant de réessayer."};
	case 503:
		return (struct error_wording){"Service momentanément indisponible",
					      "Réessayez dans quelques instants."};
	default:
		return (struct error_wording){
			"Erreur interne",
			"Réessayez dans quelques minutes\u202f; si l’erreur persiste, signalez-la au Lab."};
	}
}

void reply_error(struct request *req, int status, const char *code, const char *message,
		 const json_t *fields)
{
	buf_reset(&req->res.body);
	if (req->is_api) {
		json_t *err = json_pack("{s:s, s:s}", "code", code, "message", message);
		if (fields)
			json_object_set(err, "fields", (json_t *)fields);
		json_t *doc = json_pack("{s:o}", "error", err);
		reply_json(req, status, doc);
		json_decref(doc);
		return;
	}
	struct error_wording w = error_wording(status);
	json_t *data = json_pack("{s:i, s:s, s:s, s:s, s:b}", "status", status, "heading",
				 w.heading, "message", message, "advice", w.advice, "sign_in",
				 status == 401 && !req->user);
	page_reply(req, status, "error", w.heading, NULL, data);
	json_decref(data);
}

/* Returns true for a form field whose value is never echoed back: the
 * CSRF token (the page carries the visitor's own) and passwords (every
 * password field's name says so: password, current_password...). */
static bool never_echoed(const char *name)
{
	return strcmp(name, "csrf") == 0 || strstr(name, "password");
}

/* Returns the textarea height for value: its lines, within [2, 12]. */
static int rows_for(const char *value)
{
	int lines = 1;
	for (const char *p = value; *p && lines < 12; p++)
		lines += *p == '\n';
	return lines < 2 ? 2 : lines;
}

/* Returns the "kept" view data for req's submitted form (new reference),
 * or NULL when there is nothing to keep or no safe address to send it
 * back to (only a local path, as received). */
static json_t *kept_form(struct request *req)
{
	const char *action = req->raw_path;
	if (strcmp(req->method, "POST") != 0 || !req->form || !action || action[0] != '/' ||
	    action[1] == '/' || action[1] == '\\')
		return NULL;
	json_t *fields = json_array();
	bool secret = false;
	int n = 0;
	for (const struct param *p = req->form; p; p = p->next) {
		if (never_echoed(p->name)) {
			secret |= strcmp(p->name, "csrf") != 0;
			continue;
		}
		char id[24];
		snprintf(id, sizeof(id), "saisie-%d", ++n);
		json_array_append_new(fields,
				      json_pack("{s:s, s:s, s:s, s:i}", "id", id, "name", p->name,
						"value", p->value, "rows", rows_for(p->value)));
	}
	if (!n) {
		json_decref(fields);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:b}", "action", action, "fields", fields, "has_secret",
			 secret);
}

void reply_not_found(struct request *req)
{
	reply_error(req, 404, "not_found", "La page demandée n’existe pas ou a été déplacée.",
		    NULL);
}

void reply_unavailable(struct request *req)
{
	static const char MESSAGE[] = "Le service est momentanément indisponible. "
				      "Merci de réessayer dans quelques instants.";
	if (req->is_api) {
		reply_error(req, 503, "unavailable", MESSAGE, NULL);
		return;
	}
	json_t *data = json_object();
	json_t *kept = kept_form(req);
	if (kept)
		json_object_set_new(data, "kept", kept);
	page_reply(req, 503, "unavailable", error_wording(503).heading, NULL, data);
	json_decref(data);
	/* Retry-After: a hint for clients and crawlers, not a promise. */
	reply_header(req, "Retry-After", "5");
}
