#include "practices/toolbox.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/user.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/arena_json.h"
#include "core/labels.h"
#include "core/log.h"
#include "db/db.h"
#include "db/doc.h"
#include "files/local.h"
#include "files/store.h"
#include "http/multipart.h"
#include "http/request.h"
#include "http/urlencoded.h"
#include "practices/catalogue.h"
#include "practices/practice.h"
#include "practices/quota.h"
#include "practices/store.h"
#include "web/db_reply.h"

const char *const TOOLBOX_KINDS[][2] = {
	{"guide", "Guide"},         {"modele", "Modèle"},
	{"checklist", "Checklist"}, {"presentation", "Présentation"},
	{"video", "Vidéo"},         {"tableur", "Tableur"},
	{"lien", "Lien"},
};
const size_t TOOLBOX_KINDS_COUNT = LABELS_COUNT(TOOLBOX_KINDS);

static bool is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* Returns true when s[0..n) is a host name, a bracketed IPv6 address,
 * either followed by ":<port>". */
static bool authority_valid(const char *s, size_t n)
{
	size_t host;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return false;
		host = (size_t)(close - s) + 1;
		for (const char *c = s + 1; c < close; c++)
			if (!strchr("0123456789abcdefABCDEF:.", *c))
				return false;
	} else {
		for (host = 0; host < n && is_host_char(s[host]); host++)
			;
		if (!host || s[0] == '.' || s[0] == '-')
			return false;
	}
	if (host == n)
		return true;
	size_t digits = n - host - 1;
	if (s[host] != ':' || digits < 1 || digits > 5)
		return false;
	long port = 0;
	for (size_t i = host + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		port = port * 10 + (s[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

bool toolbox_resource_url_valid(const char *url)
{
	if (!url || strlen(url) > TOOLBOX_RESOURCE_URL_MAX_CHARS)
		return false;
	const char *rest;
	if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else
		return false;
	/* No spaces or control characters anywhere; UTF-8 (checked by the
	 * form) may follow the host. */
	for (const unsigned char *c = (const unsigned char *)url; *c; c++)
		if (*c <= 0x20 || *c == 0x7f)
			return false;
	return authority_valid(rest, strcspn(rest, "/?#"));
}

size_t toolbox_resource_check(const struct toolbox_resource_input *in, size_t toolbox_size,
			      struct field_error *out)
{
	size_t n = 0;
	bool link = in->kind && strcmp(in->kind, "lien") == 0;
	bool has_url = in->url && *in->url;
	if (!label_find(TOOLBOX_KINDS, TOOLBOX_KINDS_COUNT, in->kind))
		out[n++] = (struct field_error){"kind",
						"Choisissez un type de ressource dans la liste."};
	if (!in->title || !*in->title)
		out[n++] = (struct field_error){"title", "Ce champ est obligatoire."};
	else if (toolbox_size >= TOOLBOX_MAX_RESOURCES)
		out[n++] = (struct field_error){
			"title", "La boîte à outils compte déjà 30 ressources\u202f: "
				 "retirez-en une avant d’en ajouter une autre."};
	if (in->has_file && link)
		out[n++] = (struct field_error){"file",
						"Un lien ne prend pas de fichier\u202f: choisissez "
						"un autre type de ressource."};
	else if (in->has_file && has_url)
		out[n++] = (struct field_error){"url",
						"Indiquez soit un fichier, soit une adresse, "
						"pas les deux."};
	else if (!in->has_file && !has_url)
		out[n++] = in->url || link
				   ? (struct field_error){"url", "Indiquez l’adresse du lien."}
				   : (struct field_error){"file",
							  "Choisissez le fichier à ajouter."};
	else if (has_url && !toolbox_resource_url_valid(in->url))
		out[n++] = (struct field_error){"url",
						"Indiquez une adresse web complète, commençant "
						"par https:// ou http://."};
	return n;
}

/* Returns true when name ends with "." ext, ignoring case. */
static bool has_extension(const char *name, size_t len, const char *ext)
{
	size_t n = strlen(ext);
	return len > n && name[len - n - 1] == '.' && strcasecmp(name + len - n, ext) == 0;
}

const char *toolbox_resource_file_name(struct arena *a, const char *sent, enum file_type t)
{
	const char *ext = file_type_info(t)->ext;
	size_t len = sent ? strlen(sent) : 0;
	const char *suffix = arena_printf(a, ".%s", ext);
	if (has_extension(sent, len, ext) || (t == FILE_JPEG && has_extension(sent, len, "jpeg"))) {
		suffix = sent + len - strlen(strrchr(sent, '.'));
		len -= strlen(suffix);
	}
	size_t room = TOOLBOX_RESOURCE_FILE_NAME_MAX - strlen(suffix);
	if (len > room) {
		len = room;
		while (len && ((unsigned char)sent[len] & 0xC0) == 0x80)
			len--; /* not inside a character */
	}
	if (!len)
		return arena_printf(a, "fichier%s", suffix);
	return arena_printf(a, "%.*s%s", (int)len, sent, suffix);
}

const char *toolbox_resource_url(struct arena *a, const json_t *res)
{
	const char *file_id = json_str(res, "file_id");
	if (!*file_id)
		return json_str(res, "url");
	return arena_printf(a, "/fichiers/%s/%s", file_id,
			    url_encode(a, json_str(res, "file_name")));
}

json_t *toolbox_resource_public(struct arena *a, const json_t *res)
{
	json_t *out = json_copy((json_t *)res);
	json_object_del(out, "quota_user");
	json_object_set_new(out, "url", json_string(toolbox_resource_url(a, res)));
	return out;
}

json_t *toolbox_public(struct arena *a, const json_t *toolbox)
{
	json_t *out = json_array(), *res;
	size_t i;
	json_array_foreach(toolbox, i, res)
		json_array_append_new(out, toolbox_resource_public(a, res));
	return out;
}

long toolbox_find(const json_t *toolbox, const char *id)
{
	size_t i;
	json_t *res;
	json_array_foreach(toolbox, i, res)
		if (id && strcmp(json_str(res, "id"), id) == 0)
			return (long)i;
	return -1;
}

/* Returns a copy of practice's toolbox (an empty one if it has none),
 * owned by db's arena. */
static json_t *toolbox_copy(struct db_ctx *db, const json_t *practice)
{
	json_t *toolbox = json_object_get(practice, "toolbox");
	return arena_json(db->arena, json_is_array(toolbox) ? json_copy(toolbox) : json_array());
}

/* Deletes file id from the store and this host's cache; failures are
 * logged: the file is already out of every toolbox. */
static void discard_file(const struct app *app, struct db_ctx *db, const char *id)
{
	bson_error_t error;
	if (file_store_delete(db_client(db), db_name(db), id, &error) < 0)
		log_error(db->log_id, "file %s left in the store: %s", id, error.message);
	const char *dir = files_local_dir(app, db->arena, db->log_id, "files");
	const char *cached = arena_printf(db->arena, "%s/%s", dir, id);
	if (file_id_valid(id) && unlink(cached) && errno != ENOENT)
		log_error(db->log_id, "cannot remove %s: %s", cached, strerror(errno));
}

/* Returns 1 when practice id lists resource rid in the database, 0 when
 * not, -1 when that cannot be known: a failed write may have landed. */
static int lists(struct db_ctx *db, const char *id, const char *rid)
{
	bson_error_t error;
	json_t *now = arena_json(db->arena, practice_load(db, id, &error));
	return now ? toolbox_find(json_object_get(now, "toolbox"), rid) >= 0 : -1;
}

json_t *toolbox_add(const struct app *app, struct db_ctx *db, const struct user *by,
		    const json_t *practice, const struct toolbox_resource_input *in,
		    const struct upload *up, enum file_type t, bson_error_t *error)
{
	const char *practice_id = json_str(practice, "_id");
	const char *rid = doc_new_id(db->arena);
	json_t *res = arena_json(db->arena, json_pack("{s:s, s:s, s:s, s:s}", "id", rid, "kind",
						      in->kind, "title", in->title, "description",
						      in->description ? in->description : ""));
	const char *file_id = NULL;
	const char *uploader = by->id;
	if (up && quota_change(db, uploader, 0, (int64_t)up->size, error))
		return NULL;
	if (up) {
		const char *name = toolbox_resource_file_name(db->arena, up->filename, t);
		file_id = file_store_put(db_client(db), db_name(db), db->arena, up->path, up->size,
					 name, t, TOOLBOX_FILE_OWNER, practice_id, error);
		if (!file_id) {
			quota_release(db, uploader, 0, (int64_t)up->size);
			return NULL;
		}
		json_object_set_new(res, "quota_user", json_string(uploader));
		json_object_set_new(res, "file_id", json_string(file_id));
		json_object_set_new(res, "file_name", json_string(name));
		json_object_set_new(res, "mime", json_string(file_type_info(t)->mime));
		json_object_set_new(res, "size", json_integer((json_int_t)up->size));
	} else {
		json_object_set_new(res, "url", json_string(in->url));
	}
	json_t *toolbox = toolbox_copy(db, practice);
	json_array_append(toolbox, res);
	if (practice_set_toolbox(db, by, practice, toolbox, error) == 0)
		return res;
	int saved = lists(db, practice_id, rid);
	if (saved == 1) { /* only the version or the catalogue stamp failed */
		log_error(db->log_id, "practice %s: toolbox saved, then: %s", practice_id,
			  error->message);
		return res;
	}
	if (file_id && saved == 0) {
		discard_file(app, db, file_id);
		quota_release(db, uploader, 0, (int64_t)up->size);
	} else if (file_id)
		log_error(db->log_id, "file %s kept: practice %s unreadable", file_id, practice_id);
	return NULL;
}

int toolbox_move(struct db_ctx *db, const struct user *by, const json_t *practice, const char *id,
		 int delta, json_t **toolbox, bson_error_t *error)
{
	json_t *t = *toolbox = toolbox_copy(db, practice);
	long i = toolbox_find(t, id), j = i + delta;
	if (i < 0 || j < 0 || (size_t)j >= json_array_size(t))
		return 1;
	json_t *a = json_incref(json_array_get(t, (size_t)i));
	json_array_set(t, (size_t)i, json_array_get(t, (size_t)j));
	json_array_set_new(t, (size_t)j, a);
	return practice_set_toolbox(db, by, practice, t, error);
}

int toolbox_remove(const struct app *app, struct db_ctx *db, const struct user *by,
		   const json_t *practice, const char *id, json_t **toolbox, bson_error_t *error)
{
	json_t *t = *toolbox = toolbox_copy(db, practice);
	long i = toolbox_find(t, id);
	if (i < 0)
		return 1;
	const json_t *res = json_array_get(t, (size_t)i);
	const char *file_id = arena_strdup(db->arena, json_str(res, "file_id"));
	const char *uploader = arena_strdup(db->arena, json_str(res, "quota_user"));
	int64_t size = json_integer_value(json_object_get(res, "size"));
	json_array_remove(t, (size_t)i);
	int rc = practice_set_toolbox(db, by, practice, t, error);
	if (*file_id && (rc == 0 || lists(db, json_str(practice, "_id"), id) == 0)) {
		discard_file(app, db, file_id);
		if (*uploader)
			quota_release(db, uploader, 0, size);
	}
	return rc;
}

/* Returns true when practice p lists file id in its toolbox. */
static bool holds(const json_t *p, const char *id)
{
	size_t i;
	json_t *res;
	json_array_foreach(json_object_get(p, "toolbox"), i, res)
		if (strcmp(json_str(res, "file_id"), id) == 0)
			return true;
	return false;
}

int toolbox_file_readable_or_reply(struct request *req, const char *owner, const char *id)
{
	if (!file_id_valid(owner)) /* practice ids look like file ids */
		return 0;
	json_t *p = arena_json(req->arena, catalogue_get(req, owner));
	bool ok = p && holds(p, id);
	if (ok || !req->user) /* drafts are never anyone's but signed-in users' */
		return ok;
	/* A draft, or a file newer than this process's catalogue. */
	bson_error_t error;
	p = arena_json(req->arena, practice_load(req->db, owner, &error));
	if (!p && error.code) {
		db_fail(req, "loading a practice", &error);
		return -1;
	}
	int st = p ? practice_status_from(json_str(p, "status")) : -1;
	ok = st >= 0 && holds(p, id) &&
	     practice_allowed(req->user, json_str(p, "author_id"), (enum practice_status)st,
			      PRACTICE_VIEW);
	return ok;
}
