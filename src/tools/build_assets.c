/* build_assets: compiles the site stylesheet and script, fingerprinted.
 *
 *   build_assets STYLES.scss SCRIPTS_DIR OUTDIR HEADER.h
 *
 * Compiles STYLES with libsass (compressed, precision 10, its directory
 * on the include path) and joins the .js files of SCRIPTS_DIR in name order (each is
 * a self-contained script; no bundler, no minifier). Names each result
 * after a BLAKE2b fingerprint of its bytes, writes
 * OUTDIR/css/cousilab.<hex>.css and OUTDIR/js/cousilab.<hex>.js
 * atomically, removes the other cousilab.* files of those directories,
 * and writes HEADER.h with
 *   #define COUSILAB_CSS_PATH "/static/css/cousilab.<hex>.css"
 *   #define COUSILAB_JS_PATH "/static/js/cousilab.<hex>.js"
 * only when that header's content changes, so that the objects including
 * it are not rebuilt for nothing. Exits 1 on any error, after saying why. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sass/context.h>
#include <sodium.h>

#define ASSET_PREFIX "cousilab."

/* libsodium's generichash gives at least crypto_generichash_BYTES_MIN (16)
 * bytes; the fingerprint is the first FINGERPRINT_BYTES of that digest. */
#define FINGERPRINT_BYTES 8
#define FINGERPRINT_HEX (FINGERPRINT_BYTES * 2 + 1)

/* Prints "build_css: " and the formatted message to stderr, then exits 1.
 * Never returns. */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("build_assets: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Returns a new string, owned by the caller (free()), formatted like
 * printf. Exits on out-of-memory. */
static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("formatting failed");
	char *s = malloc((size_t)n + 1);
	if (!s)
		die("out of memory");
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Returns the directory part of path as a new string owned by the caller
 * ("." when path has no slash). Allocates. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xasprintf(".");
	if (slash == path)
		return xasprintf("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/* Creates dir and its missing parents (like mkdir -p). Returns nothing;
 * exits on failure. Does not keep path; allocates a temporary copy. */
static void make_dirs(const char *dir)
{
	char *p = xasprintf("%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			die("%s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		die("%s: %s", p, strerror(errno));
	free(p);
}

/* Writes len bytes of data to path through a temporary file in the same
 * directory, then renames it over path, so readers never see a partial
 * file. The file gets mode 0644 (nginx must read it). Exits on failure. */
static void write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		die("%s: %s", tmp, strerror(errno));
	FILE *f = fdopen(fd, "wb");
	if (!f || fchmod(fd, 0644) != 0 || fwrite(data, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fd) != 0) {
		int err = errno;
		unlink(tmp);
		die("%s: %s", tmp, strerror(err));
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		die("%s: %s", path, strerror(err));
	}
	free(tmp);
}

/* Returns the whole content of path as a new NUL-terminated string owned by
 * the caller, its length in *len; NULL (and no allocation) if path cannot
 * be opened. Exits on read errors. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	if (!s)
		die("out of memory");
	for (;;) {
		n += fread(s + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		if (!(s = realloc(s, cap)))
			die("out of memory");
	}
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	s[n] = '\0';
	*len = n;
	return s;
}

/* Compiles the SCSS file input and returns the CSS as a new string owned
 * by the caller (free()). On a Sass error, prints libsass's message and
 * exits 1. */
static char *compile_scss(const char *input)
{
	struct Sass_File_Context *fctx = sass_make_file_context(input);
	struct Sass_Context *ctx = sass_file_context_get_context(fctx);
	struct Sass_Options *opts = sass_context_get_options(ctx);
	char *dir = dir_of(input);

	sass_option_set_output_style(opts, SASS_STYLE_COMPRESSED);
	sass_option_set_precision(opts, 10);
	sass_option_set_include_path(opts, dir); /* libsass copies it */
	free(dir);

	if (sass_compile_file_context(fctx) != 0) {
		const char *msg = sass_context_get_error_message(ctx);
		fputs(msg ? msg : "build_assets: sass compilation failed\n", stderr);
		sass_delete_file_context(fctx);
		exit(1);
	}
	const char *out = sass_context_get_output_string(ctx);
	char *css = xasprintf("%s", out ? out : "");
	sass_delete_file_context(fctx);
	return css;
}

/* Fills hex (FINGERPRINT_HEX bytes, caller's storage) with the lowercase
 * hex fingerprint of data[0..len). Does not allocate. */
static void fingerprint(const char *data, size_t len, char hex[FINGERPRINT_HEX])
{
	unsigned char digest[crypto_generichash_BYTES_MIN];
	if (crypto_generichash(digest, sizeof digest, (const unsigned char *)data, len, NULL, 0) !=
	    0)
		die("hashing failed");
	sodium_bin2hex(hex, FINGERPRINT_HEX, digest, FINGERPRINT_BYTES);
}

/* Removes from dir every ASSET_PREFIX*suffix file except keep (a bare
 * file name). Exits if dir cannot be read or a file cannot be removed. */
static void remove_stale(const char *dir, const char *suffix, const char *keep)
{
	DIR *d = opendir(dir);
	if (!d)
		die("%s: %s", dir, strerror(errno));
	size_t pl = strlen(ASSET_PREFIX), sl = strlen(suffix);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n <= pl + sl || strncmp(e->d_name, ASSET_PREFIX, pl) != 0 ||
		    strcmp(e->d_name + n - sl, suffix) != 0 || strcmp(e->d_name, keep) == 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		if (unlink(path) != 0 && errno != ENOENT)
			die("%s: %s", path, strerror(errno));
		free(path);
	}
	closedir(d);
}

/* Returns a new string (free()) joining the *.js files of dir in name
 * order, each followed by a newline. Exits when dir cannot be read. */
static char *join_scripts(const char *dir)
{
	struct dirent **entries;
	int n = scandir(dir, &entries, NULL, alphasort);
	if (n < 0)
		die("%s: %s", dir, strerror(errno));
	char *out = xasprintf("%s", "");
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		size_t len = strlen(name);
		if (len > 3 && name[0] != '.' && strcmp(name + len - 3, ".js") == 0) {
			char *path = xasprintf("%s/%s", dir, name);
			size_t size;
			char *script = read_file(path, &size);
			if (!script)
				die("%s: %s", path, strerror(errno));
			char *joined = xasprintf("%s%s\n", out, script);
			free(out);
			free(script);
			free(path);
			out = joined;
		}
		free(entries[i]);
	}
	free(entries);
	return out;
}

/* Writes content to outdir/cousilab.<fingerprint><suffix> and removes the
 * older versions there. Returns the file name (free()). Exits on failure. */
static char *publish(const char *outdir, const char *suffix, const char *content)
{
	size_t len = strlen(content);
	char hex[FINGERPRINT_HEX];
	fingerprint(content, len, hex);
	char *name = xasprintf(ASSET_PREFIX "%s%s", hex, suffix);
	char *path = xasprintf("%s/%s", outdir, name);
	make_dirs(outdir);
	write_atomic(path, content, len);
	remove_stale(outdir, suffix, name);
	printf("%s (%zu bytes)\n", path, len);
	free(path);
	return name;
}

/* Writes header (a path) with the assets' URL defines, unless it already
 * holds exactly that content. Exits on failure. */
static void write_header(const char *header, const char *css_name, const char *js_name)
{
	char *want = xasprintf("/* Generated by src/tools/build_assets: do not edit. */\n"
			       "#ifndef COUSILAB_ASSETS_H\n"
			       "#define COUSILAB_ASSETS_H\n"
			       "#define COUSILAB_CSS_PATH \"/static/css/%s\"\n"
			       "#define COUSILAB_JS_PATH \"/static/js/%s\"\n"
			       "#endif\n",
			       css_name, js_name);
	size_t have_len = 0;
	char *have = read_file(header, &have_len);
	if (!have || have_len != strlen(want) || memcmp(have, want, have_len) != 0) {
		char *dir = dir_of(header);
		make_dirs(dir);
		free(dir);
		write_atomic(header, want, strlen(want));
	}
	free(have);
	free(want);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s STYLES.scss SCRIPTS_DIR OUTDIR HEADER.h\n",
			argc > 0 ? argv[0] : "build_assets");
		return 1;
	}
	const char *styles = argv[1], *scripts = argv[2], *outdir = argv[3], *header = argv[4];
	if (sodium_init() < 0)
		die("libsodium initialisation failed");

	char *css = compile_scss(styles), *js = join_scripts(scripts);
	char *css_dir = xasprintf("%s/css", outdir), *js_dir = xasprintf("%s/js", outdir);
	char *css_name = publish(css_dir, ".css", css);
	char *js_name = publish(js_dir, ".js", js);
	write_header(header, css_name, js_name);
	free(css_name);
	free(js_name);
	free(css_dir);
	free(js_dir);
	free(js);
	free(css);
	return 0;
}
