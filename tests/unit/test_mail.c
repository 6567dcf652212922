/* Unit tests for src/mail: address checks, backoff, header encoding and
 * MIME building. Messages are checked by decoding them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "mail/outbox.h"
#include "mail/smtp.h"
#include "view/mustache.h"

#define FROM "Cousilab <ne-pas-repondre@cousilab.example.org>"

/* Returns the unfolded value of header name in msg's header block (heap),
 * or NULL. */
static char *header(const char *msg, const char *name)
{
	const char *end = strstr(msg, "\r\n\r\n");
	size_t n = strlen(name);
	for (const char *line = msg; line < end; line = strstr(line, "\r\n") + 2) {
		if (strncmp(line, name, n) != 0 || line[n] != ':')
			continue;
		struct buf v = BUF_INIT;
		const char *p = line + n + 1 + (line[n + 1] == ' ');
		for (;;) {
			const char *eol = strstr(p, "\r\n");
			buf_append(&v, p, (size_t)(eol - p));
			if (eol[2] != ' ' && eol[2] != '\t')
				break;
			p = eol + 2;
		}
		return v.data;
	}
	return NULL;
}

/* Decodes a header value made of B encoded-words (whitespace between them
 * dropped, as RFC 2047 says) or plain text. Returns heap text. */
static char *decode_words(const char *v)
{
	if (strncmp(v, "=?", 2) != 0)
		return strdup(v);
	struct buf out = BUF_INIT;
	while (*v) {
		while (*v == ' ')
			v++;
		assert_memory_equal(v, "=?UTF-8?B?", 10);
		v += 10;
		const char *end = strstr(v, "?=");
		assert_non_null(end);
		unsigned char raw[256];
		size_t len;
		assert_int_equal(sodium_base642bin(raw, sizeof(raw), v, (size_t)(end - v), NULL,
						   &len, NULL, sodium_base64_VARIANT_ORIGINAL),
				 0);
		/* Each word must stand alone: no character cut in two. */
		assert_true(utf8_valid((const char *)raw, len));
		buf_append(&out, raw, len);
		v = end + 2;
	}
	return out.data;
}

/* Returns the quoted-printable decoding of s, CRLF turned to LF (heap). */
static char *qp_decode(const char *s, size_t n)
{
	struct buf out = BUF_INIT;
	buf_append(&out, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=' && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
		} else if (s[i] == '=') {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			buf_putc(&out, (char)strtol(hex, NULL, 16));
			i += 2;
		} else if (s[i] == '\r' && s[i + 1] == '\n') {
			buf_putc(&out, '\n');
			i++;
		} else {
			buf_putc(&out, s[i]);
		}
	}
	return out.data;
}

/* Returns the decoded body of the part of the given type (heap). */
static char *part(const char *msg, const char *type)
{
	char *boundary = header(msg, "Content-Type");
	char *b = strstr(boundary, "boundary=\"") + 10;
	*strchr(b, '"') = '\0';
	char ct[64];
	snprintf(ct, sizeof(ct), "Content-Type: %s; charset=UTF-8\r\n", type);
	const char *start = strstr(msg, ct);
	assert_non_null(start);
	start = strstr(start, "\r\n\r\n") + 4;
	char delim[128];
	snprintf(delim, sizeof(delim), "\r\n--%s", b);
	const char *end = strstr(start, delim);
	assert_non_null(end);
	free(boundary);
	return qp_decode(start, (size_t)(end - start));
}

/* Checks the transport rules: CRLF only, no line over max. */
static void assert_lines(const char *msg, size_t max)
{
	size_t col = 0;
	for (const char *p = msg; *p; p++) {
		if (*p == '\n') {
			assert_true(p > msg && p[-1] == '\r');
			col = 0;
			continue;
		}
		if (*p != '\r' && ++col > max)
			fail_msg("line over %zu columns near: %.40s", max, p - col + 1);
	}
}

static void addresses(void **state)
{
	(void)state;
	const char *good[] = {
		"a@b.fr",
		"jean.dupont@assurance-maladie.fr",
		"x+tag@sub.example.org",
		"o'brien@example.ie",
		"A_B-c@EXAMPLE.COM",
		"1@2.example.museum",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		if (!mail_address_valid(good[i]))
			fail_msg("rejected %s", good[i]);
	char long_local[80], too_long[300];
	memset(long_local, 'a', 65);
	strcpy(long_local + 65, "@example.org");
	memset(too_long, 'a', 300);
	memcpy(too_long, "a@", 2);
	strcpy(too_long + 290, ".org");
	const char *bad[] = {
		NULL,
		"",
		"a",
		"@b.fr",
		"a@",
		"a@b",
		"a@b.c",
		"a@@b.fr",
		"a@b@c.fr",
		"a b@c.fr",
		"a@b .fr",
		" a@b.fr",
		"a@b.fr ",
		"a@b.fr\r\n",
		"a\n@b.fr",
		".a@b.fr",
		"a.@b.fr",
		"a..b@c.fr",
		"a@.b.fr",
		"a@b..fr",
		"a@-b.fr",
		"a@b-.fr",
		"a@b.f1",
		"<a@b.fr>",
		"a@b.fr>",
		"\"a\"@b.fr",
		"a,b@c.fr",
		"a@[127.0.0.1]",
		"zoé@example.fr",
		"a@exemple-é.fr",
		long_local,
		too_long,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (mail_address_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
}

static void backoff(void **state)
{
	(void)state;
	assert_int_equal(mail_backoff_ms(30000, 1), 30000);
	assert_int_equal(mail_backoff_ms(30000, 2), 60000);
	assert_int_equal(mail_backoff_ms(30000, 3), 120000);
	assert_int_equal(mail_backoff_ms(30000, 7), 1920000);
	assert_int_equal(mail_backoff_ms(30000, 8), 3600000);
	assert_int_equal(mail_backoff_ms(30000, 12), 3600000);
	assert_int_equal(mail_backoff_ms(300, 3), 1200);
	assert_int_equal(mail_backoff_ms(1, 1000000), 3600000);
	assert_int_equal(mail_backoff_ms(30000, 0), 30000);
	assert_int_equal(mail_backoff_ms(10000000, 1), 3600000);
	assert_int_equal(mail_backoff_ms(0, 5), 0);
}

static void addr_spec(void **state)
{
	(void)state;
	size_t n;
	const char *a = mail_addr_spec(FROM, &n);
	assert_int_equal(n, strlen("ne-pas-repondre@cousilab.example.org"));
	assert_memory_equal(a, "ne-pas-repondre@cousilab.example.org", n);
	a = mail_addr_spec("  x@y.fr ", &n);
	assert_int_equal(n, 6);
	assert_memory_equal(a, "x@y.fr", n);
}

static void message_round_trip(void **state)
{
	(void)state;
	struct buf text_in = BUF_INIT;
	buf_puts(&text_in, "Bonjour Zoé,\n\nligne avec espaces finaux   \r\n"
			   ".ligne qui commence par un point\n");
	for (int i = 0; i < 60; i++) /* one 360-byte line: soft breaks */
		buf_puts(&text_in, "éa z=");
	buf_puts(&text_in, "\na=b ; 100 % sûr\ttab\t\nfin");
	const char *html_in = "<p>Bonjour <b>Zoé</b>&nbsp;!</p>\n";
	struct buf msg = BUF_INIT;
	assert_int_equal(mail_build_message(&msg, FROM, "zoe@example.fr",
					    "Confirmez votre adresse électronique", text_in.data,
					    html_in, "0123456789abcdef01234567"),
			 0);
	assert_lines(msg.data, 76);
	assert_true(msg.len > 4 && strcmp(msg.data + msg.len - 4, "--\r\n") == 0);

	char *v = header(msg.data, "From");
	assert_string_equal(v, FROM);
	free(v);
	v = header(msg.data, "To");
	assert_string_equal(v, "<zoe@example.fr>");
	free(v);
	v = header(msg.data, "Subject");
	assert_memory_equal(v, "=?UTF-8?B?", 10);
	char *d = decode_words(v);
	assert_string_equal(d, "Confirmez votre adresse électronique");
	free(d);
	free(v);
	v = header(msg.data, "Message-ID");
	assert_string_equal(v, "<0123456789abcdef01234567@cousilab.example.org>");
	free(v);
	v = header(msg.data, "Date");
	assert_int_equal(strlen(v), strlen("Tue, 15 Nov 1994 08:12:31 +0000"));
	assert_string_equal(v + strlen(v) - 6, " +0000");
	free(v);
	v = header(msg.data, "MIME-Version");
	assert_string_equal(v, "1.0");
	free(v);
	v = header(msg.data, "Content-Type");
	assert_non_null(strstr(v, "multipart/alternative;"));
	free(v);

	/* The text part decodes to the input, line ends made LF. */
	struct buf want = BUF_INIT;
	for (size_t i = 0; i < text_in.len; i++)
		if (!(text_in.data[i] == '\r' && text_in.data[i + 1] == '\n'))
			buf_putc(&want, text_in.data[i]);
	char *text = part(msg.data, "text/plain");
	assert_string_equal(text, want.data);
	free(text);
	char *html = part(msg.data, "text/html");
	assert_string_equal(html, html_in);
	free(html);
	/* Encoded where a relay or reader could stumble. */
	assert_non_null(strstr(msg.data, "finaux  =20\r\n"));
	assert_non_null(strstr(msg.data, "\r\n=2Eligne"));
	assert_non_null(strstr(msg.data, "a=3Db"));
	assert_non_null(strstr(msg.data, "tab=09\r\n"));
	assert_null(strstr(msg.data, "\r\n.\r\n"));
	buf_free(&want);
	buf_free(&text_in);
	buf_free(&msg);
}

static void subject_encoding(void **state)
{
	(void)state;
	struct buf msg = BUF_INIT;
	assert_int_equal(mail_build_message(&msg, FROM, "a@b.fr", "Hello there", "t", "h", "s1"),
			 0);
	assert_non_null(strstr(msg.data, "\r\nSubject: Hello there\r\n"));

	/* Long and accented: several words, each a whole number of characters. */
	struct buf subject = BUF_INIT;
	for (int i = 0; i < 30; i++)
		buf_puts(&subject, "été à Noël ");
	buf_puts(&subject, "€𝄞");
	buf_reset(&msg);
	assert_int_equal(mail_build_message(&msg, FROM, "a@b.fr", subject.data, "t", "h", "s2"), 0);
	assert_lines(msg.data, 76);
	char *v = header(msg.data, "Subject");
	char *d = decode_words(v);
	assert_string_equal(d, subject.data);
	free(d);
	free(v);

	/* Plain ASCII, but too long for one line, or looking encoded. */
	const char *odd[] = {
		"A subject that is plain ASCII but far too long to fit on one line of mail",
		"=?UTF-8?B?Zm9v?=",
		"tab\there",
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++) {
		buf_reset(&msg);
		assert_int_equal(mail_build_message(&msg, FROM, "a@b.fr", odd[i], "t", "h", "s3"),
				 0);
		assert_lines(msg.data, 76);
		v = header(msg.data, "Subject");
		assert_memory_equal(v, "=?UTF-8?B?", 10);
		d = decode_words(v);
		assert_string_equal(d, odd[i]);
		free(d);
		free(v);
	}
	buf_free(&subject);
	buf_free(&msg);
}

static void display_names(void **state)
{
	(void)state;
	struct {
		const char *from, *header;
	} cases[] = {
		{"x@example.org", "<x@example.org>"},
		{"<x@example.org>", "<x@example.org>"},
		{"Dupont, Jean <x@example.org>", "\"Dupont, Jean\" <x@example.org>"},
		{"\"Le \\Lab\" <x@example.org>", "\"Le \\\\Lab\" <x@example.org>"},
		{"Lab de la Sécurité sociale <x@example.org>",
		 "=?UTF-8?B?TGFiIGRlIGxhIFPDqWN1cml0w6kgc29jaWFsZQ==?= <x@example.org>"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf msg = BUF_INIT;
		assert_int_equal(
			mail_build_message(&msg, cases[i].from, "a@b.fr", "s", "t", "h", "seed"),
			0);
		char *v = header(msg.data, "From");
		assert_string_equal(v, cases[i].header);
		free(v);
		v = header(msg.data, "Message-ID");
		assert_string_equal(v, "<seed@example.org>");
		free(v);
		buf_free(&msg);
	}
}

static void random_message_id(void **state)
{
	(void)state;
	struct buf msg = BUF_INIT;
	assert_int_equal(mail_build_message(&msg, FROM, "a@b.fr", "s", "t", "h", NULL), 0);
	char *v = header(msg.data, "Message-ID");
	assert_int_equal(strlen(v), 1 + 24 + strlen("@cousilab.example.org>"));
	assert_int_equal(strspn(v + 1, "0123456789abcdef"), 24);
	free(v);
	buf_free(&msg);
}

static void injection_and_garbage_rejected(void **state)
{
	(void)state;
	struct {
		const char *from, *to, *subject, *text, *seed;
	} cases[] = {
		{FROM, "a@b.fr", "Salut\r\nBcc: victim@example.org", "t", "s"},
		{FROM, "a@b.fr", "Salut\nBcc: victim@example.org", "t", "s"},
		{FROM, "a@b.fr", "Salut\r", "t", "s"},
		{"Cousilab <x@example.org>\r\nBcc: v@example.org", "a@b.fr", "s", "t", "s"},
		{FROM, "a@b.fr\r\nBcc: v@example.org", "s", "t", "s"},
		{FROM, "a@b.fr>, <v@example.org", "s", "t", "s"},
		{FROM, "not an address", "s", "t", "s"},
		{"Cousilab <not an address>", "a@b.fr", "s", "t", "s"},
		{"Cousilab", "a@b.fr", "s", "t", "s"},
		{FROM, "a@b.fr", "\xc3(", "t", "s"},
		{FROM, "a@b.fr", "s", "bad \xff utf-8", "s"},
		{FROM, "a@b.fr", "s", "t", "seed with spaces"},
		{FROM, "a@b.fr", "s", "t", "<seed>"},
		{FROM, "a@b.fr", "s", "t", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf msg = BUF_INIT;
		if (mail_build_message(&msg, cases[i].from, cases[i].to, cases[i].subject,
				       cases[i].text, "h", cases[i].seed) != -1)
			fail_msg("case %zu accepted", i);
		buf_free(&msg);
	}
}

/* mail_queue refuses bad input before it touches the database (client is
 * NULL here). */
static void queue_refusals(void **state)
{
	(void)state;
	struct mustache_set *views = mustache_set_new();
	assert_int_equal(mustache_set_add(views, "mail/half.subject", "S", 1, NULL, 0), 0);
	assert_int_equal(mustache_set_add(views, "mail/half.txt", "T", 1, NULL, 0), 0);
	json_t *data = json_object();
	json_t *array = json_array();
	bson_error_t error;
	struct {
		const char *to, *tpl;
		const json_t *data;
		uint32_t code;
	} cases[] = {
		{"not an address", "half", data, MAIL_ERROR_ADDRESS},
		{"a@b.fr\r\nBcc: v@example.org", "half", data, MAIL_ERROR_ADDRESS},
		{"a@b.fr", "half", data, MAIL_ERROR_TEMPLATE},
		{"a@b.fr", "none", NULL, MAIL_ERROR_TEMPLATE},
		{"a@b.fr", "../half", data, MAIL_ERROR_TEMPLATE},
		{"a@b.fr", "half", array, MAIL_ERROR_TEMPLATE},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memset(&error, 0, sizeof(error));
		assert_int_equal(mail_queue(NULL, "cousilab", views, cases[i].to, cases[i].tpl,
					    cases[i].data, &error),
				 -1);
		assert_int_equal(error.domain, MAIL_ERROR_DOMAIN);
		assert_int_equal(error.code, cases[i].code);
	}
	json_decref(array);
	json_decref(data);
	mustache_set_free(views);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addresses),
		cmocka_unit_test(backoff),
		cmocka_unit_test(addr_spec),
		cmocka_unit_test(message_round_trip),
		cmocka_unit_test(subject_encoding),
		cmocka_unit_test(display_names),
		cmocka_unit_test(random_message_id),
		cmocka_unit_test(injection_and_garbage_rejected),
		cmocka_unit_test(queue_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
