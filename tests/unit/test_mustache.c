/* Unit tests for src/view/mustache.c, mostly cases from the Mustache spec
 * v1.x (interpolation, sections, inverted, comments, partials, delimiters)
 * plus this engine's own contract: errors, limits, directory loading. */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "view/mustache.h"

struct tpl {
	const char *name;
	const char *src;
};

/* JSON is written with ' for " to keep the cases readable; a real
 * apostrophe is \u0027. Returns a new reference, or NULL for NULL. */
static json_t *load_json(const char *text)
{
	if (!text)
		return NULL;
	char *s = strdup(text);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t error;
	json_t *v = json_loads(s, JSON_DECODE_ANY, &error);
	if (!v)
		fail_msg("bad test JSON %s: %s", s, error.text);
	free(s);
	return v;
}

static struct mustache_set *set_of(const struct tpl *tpls)
{
	struct mustache_set *set = mustache_set_new();
	char err[256];
	for (const struct tpl *t = tpls; t->name; t++)
		if (mustache_set_add(set, t->name, t->src, strlen(t->src), err, sizeof(err)))
			fail_msg("compile %s: %s", t->name, err);
	return set;
}

/* Renders tpls[0] with json and checks the exact output. */
static void expect_tpls(const char *json, const char *expected, const struct tpl *tpls)
{
	struct mustache_set *set = set_of(tpls);
	json_t *data = load_json(json);
	struct buf out = BUF_INIT;
	assert_int_equal(mustache_render(set, tpls[0].name, data, &out), 0);
	assert_string_equal(out.data, expected);
	buf_free(&out);
	json_decref(data);
	mustache_set_free(set);
}

#define EXPECT(src, json, expected) \
	expect_tpls(json, expected, (const struct tpl[]){{"t", src}, {NULL, NULL}})

/* Extra templates (partials) follow as { name, src } pairs. */
#define EXPECT_P(src, json, expected, ...) \
	expect_tpls(json, expected, (const struct tpl[]){{"t", src}, __VA_ARGS__, {NULL, NULL}})

static void expect_error(const char *src, const char *expected)
{
	struct mustache_set *set = mustache_set_new();
	char err[256] = "";
	assert_int_equal(mustache_set_add(set, "t", src, strlen(src), err, sizeof(err)), -1);
	assert_string_equal(err, expected);
	assert_false(mustache_has(set, "t"));
	mustache_set_free(set);
}

/* ---- interpolation ---- */

static void test_no_tags(void **state)
{
	(void)state;
	EXPECT("Hello from {Mustache}!\n", "{}", "Hello from {Mustache}!\n");
	EXPECT("", "{}", "");
	EXPECT("{ {{!x}} }", NULL, "{  }");
}

static void test_basic_interpolation(void **state)
{
	(void)state;
	EXPECT("Hello, {{subject}}!\n", "{'subject':'world'}", "Hello, world!\n");
	EXPECT("| {{string}} |", "{'string':'---'}", "| --- |");
	EXPECT("  {{string}}\n", "{'string':'---'}", "  ---\n");
	EXPECT("  {{{string}}}\n", "{'string':'---'}", "  ---\n");
	EXPECT("  {{&string}}\n", "{'string':'---'}", "  ---\n");
	EXPECT("|{{ string }}|{{{ string }}}|{{& string }}|", "{'string':'---'}", "|---|---|---|");
}

static void test_html_escaping(void **state)
{
	(void)state;
	EXPECT("These characters should be HTML escaped: {{forbidden}}\n",
	       "{'forbidden':'& \\\" < >'}",
	       "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n");
	EXPECT("{{{forbidden}}}|{{&forbidden}}", "{'forbidden':'& \\\" < >'}", "& \" < >|& \" < >");
	/* The project's escaper also covers ' and ` (attribute safety). */
	EXPECT("{{x}}", "{'x':'\\u0027`'}", "&#39;&#96;");
}

static void test_numbers(void **state)
{
	(void)state;
	EXPECT("{{i}} {{n}} {{big}} {{zero}}",
	       "{'i':85000,'n':-12,'big':9007199254740993,'zero':0}",
	       "85000 -12 9007199254740993 0");
	EXPECT("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	       "{'a':1.210,'b':1.5,'c':3.0,'d':0.1,'e':0.30000000000000004,"
	       "'f':1e100,'g':-2.5e-7}",
	       "1.21 1.5 3 0.1 0.30000000000000004 1e+100 -2.5e-07");
	EXPECT("{{{a}}} {{&a}}", "{'a':1.210}", "1.21 1.21");
}

static void test_other_values(void **state)
{
	(void)state;
	EXPECT("{{t}} {{f}} [{{n}}] [{{missing}}] [{{o}}] [{{a}}]",
	       "{'t':true,'f':false,'n':null,'o':{'x':1},'a':[1]}", "true false [] [] [] []");
	EXPECT("[{{{n}}}{{&n}}{{{missing}}}]", "{'n':null}", "[]");
}

static void test_dotted_names(void **state)
{
	(void)state;
	EXPECT("\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
	       "{'person':{'name':'Joe'}}", "\"Joe\" == \"Joe\"");
	EXPECT("{{{person.name}}}|{{&person.name}}", "{'person':{'name':'<Joe>'}}", "<Joe>|<Joe>");
	EXPECT("{{a.b.c.d.e.name}}", "{'a':{'b':{'c':{'d':{'e':{'name':'Phil'}}}}}}", "Phil");
	EXPECT("[{{a.b.c}}]", "{'a':{}}", "[]");
	EXPECT("[{{a.b.c.name}}]", "{'a':{'b':{}},'c':{'name':'Jim'}}", "[]");
	EXPECT("[{{a.b}}]", "{'a':'x'}", "[]");
	/* A dot always splits: keys containing dots are unreachable. */
	EXPECT("[{{a.b}}]", "{'a.b':'c'}", "[]");
}

static void test_dotted_context_rules(void **state)
{
	(void)state;
	EXPECT("{{#a}}{{b.c.d.e.name}}{{/a}}",
	       "{'a':{'b':{'c':{'d':{'e':{'name':'Phil'}}}}},"
	       "'b':{'c':{'d':{'e':{'name':'Wrong'}}}}}",
	       "Phil");
	/* b resolves in the innermost frame, so c is not searched further out. */
	EXPECT("[{{#a}}{{b.c}}{{/a}}]", "{'a':{'b':{}},'b':{'c':'ERROR'}}", "[]");
	/* The first part is searched outward like any name. */
	EXPECT("{{#a}}{{b.c}}{{/a}}", "{'a':{'x':1},'b':{'c':'out'}}", "out");
}

static void test_implicit_iterator(void **state)
{
	(void)state;
	EXPECT("Hello, {{.}}!\n", "'world'", "Hello, world!\n");
	EXPECT("{{.}}|{{{.}}}|{{&.}}", "'<b>'", "&lt;b&gt;|<b>|<b>");
	EXPECT("{{.}}", "85000", "85000");
	EXPECT("[{{.}}]", "{'a':1}", "[]");
	EXPECT("[{{.}}]", NULL, "[]");
}

/* The spec's implicit iterator cases (v1.3: interpolation.yml and
 * sections.yml), data at the root included: a scalar or a list. */
static void test_spec_implicit_iterators(void **state)
{
	(void)state;
	/* interpolation.yml */
	EXPECT("Hello, {{.}}!\n", "'world'", "Hello, world!\n");
	EXPECT("These characters should be HTML escaped: {{.}}\n", "'& \\\" < >'",
	       "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n");
	EXPECT("These characters should not be HTML escaped: {{{.}}}\n", "'& \\\" < >'",
	       "These characters should not be HTML escaped: & \" < >\n");
	EXPECT("These characters should not be HTML escaped: {{&.}}\n", "'& \\\" < >'",
	       "These characters should not be HTML escaped: & \" < >\n");
	EXPECT("\"{{.}} miles an hour!\"", "85", "\"85 miles an hour!\"");
	/* sections.yml */
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':['a','b','c','d','e']}",
	       "\"(a)(b)(c)(d)(e)\"");
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':[1,2,3,4,5]}", "\"(1)(2)(3)(4)(5)\"");
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':[1.1,2.2,3.3,4.4,5.5]}",
	       "\"(1.1)(2.2)(3.3)(4.4)(5.5)\"");
	EXPECT("\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"", "{'list':[[1,2,3],['a','b','c']]}",
	       "\"(123)(abc)\"");
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':['&','\\\"','<','>']}",
	       "\"(&amp;)(&quot;)(&lt;)(&gt;)\"");
	EXPECT("\"{{#list}}({{{.}}}){{/list}}\"", "{'list':['&','\\\"','<','>']}",
	       "\"(&)(\")(<)(>)\"");
	EXPECT("\"{{#list}}({{&.}}){{/list}}\"", "{'list':['&','\\\"','<','>']}",
	       "\"(&)(\")(<)(>)\"");
	EXPECT("\"{{#.}}({{value}}){{/.}}\"", "[{'value':'a'},{'value':'b'}]", "\"(a)(b)\"");
	/* And inverted over the root: an empty list is falsey. */
	EXPECT("\"{{^.}}none{{/.}}\"", "[]", "\"none\"");
	EXPECT("\"{{^.}}none{{/.}}\"", "['a']", "\"\"");
}

/* ---- sections ---- */

static void test_section_truthiness(void **state)
{
	(void)state;
	static const char *const falsey[] = {
		"{'v':false}", "{'v':null}", "{'v':''}", "{'v':0}",
		"{'v':0.0}",   "{'v':[]}",   "{}",       "{'v':-0.0}",
	};
	static const char *const truthy[] = {
		"{'v':true}", "{'v':{}}", "{'v':'0'}", "{'v':' '}",
		"{'v':1}",    "{'v':-1}", "{'v':0.5}", "{'v':'false'}",
	};
	for (size_t i = 0; i < sizeof(falsey) / sizeof(*falsey); i++) {
		EXPECT("[{{#v}}yes{{/v}}]", falsey[i], "[]");
		EXPECT("[{{^v}}no{{/v}}]", falsey[i], "[no]");
	}
	for (size_t i = 0; i < sizeof(truthy) / sizeof(*truthy); i++) {
		EXPECT("[{{#v}}yes{{/v}}]", truthy[i], "[yes]");
		EXPECT("[{{^v}}no{{/v}}]", truthy[i], "[]");
	}
	EXPECT("\"{{#boolean}}This should be rendered.{{/boolean}}\"", "{'boolean':true}",
	       "\"This should be rendered.\"");
	EXPECT("[{{#missing}}Found key 'missing'!{{/missing}}]", "{}", "[]");
}

static void test_section_context(void **state)
{
	(void)state;
	EXPECT("\"{{#context}}Hi {{name}}.{{/context}}\"", "{'context':{'name':'Joe'}}",
	       "\"Hi Joe.\"");
	EXPECT("\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"",
	       "{'a':'foo','b':'wrong','sec':{'b':'bar'},'c':{'d':'baz'}}", "\"foo, bar, baz\"");
	/* A truthy scalar is pushed too. */
	EXPECT("\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"", "{'foo':'bar'}", "\"bar is bar\"");
	EXPECT("{{#n}}[{{.}}]{{/n}}", "{'n':7}", "[7]");
	EXPECT("{{#o}}[{{.}}]{{/o}}", "{'o':{}}", "[]");
}

static void test_section_lists(void **state)
{
	(void)state;
	EXPECT("\"{{#list}}{{item}}{{/list}}\"", "{'list':[{'item':1},{'item':2},{'item':3}]}",
	       "\"123\"");
	EXPECT("\"{{#list}}Yay lists!{{/list}}\"", "{'list':[]}", "\"\"");
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':['a','b','c','d','e']}",
	       "\"(a)(b)(c)(d)(e)\"");
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':[1,2,3,4,5]}", "\"(1)(2)(3)(4)(5)\"");
	EXPECT("\"{{#list}}({{.}}){{/list}}\"", "{'list':[1.1,2.2,3.3,4.4,5.5]}",
	       "\"(1.1)(2.2)(3.3)(4.4)(5.5)\"");
	EXPECT("\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"", "{'list':[[1,2,3],['a','b','c']]}",
	       "\"(123)(abc)\"");
	EXPECT("{{#list}}({{.}}){{/list}}|{{#list}}({{{.}}}){{/list}}",
	       "{'list':['&','\\\"','<','>']}", "(&amp;)(&quot;)(&lt;)(&gt;)|(&)(\")(<)(>)");
	EXPECT("\"{{#.}}({{value}}){{/.}}\"", "[{'value':'a'},{'value':'b'}]", "\"(a)(b)\"");
	EXPECT("\"{{#section}}foo{{/section}}\"", "{'section':'123'}", "\"foo\"");
	/* Lists are not flattened; falsey elements still get a pass. */
	EXPECT("{{#l}}<{{.}}>{{/l}}", "{'l':[false,null,'',0]}", "<false><><><0>");
}

static void test_section_outer_lookup(void **state)
{
	(void)state;
	EXPECT("{{#items}}{{name}}@{{site}} {{/items}}",
	       "{'site':'S','items':[{'name':'a'},{'name':'b','site':'T'}]}", "a@S b@T ");
	EXPECT("{{#tops}}{{#middles}}{{tname.lower}}{{mname}}."
	       "{{#bottoms}}{{tname.upper}}{{mname}}{{bname}}.{{/bottoms}}"
	       "{{/middles}}{{/tops}}",
	       "{'tops':[{'tname':{'upper':'A','lower':'a'},'middles':"
	       "[{'mname':'1','bottoms':[{'bname':'x'},{'bname':'y'}]}]}]}",
	       "a1.A1x.A1y.");
	/* Same name nested: the inner lookup falls back to the outer list. */
	EXPECT("{{#list}}{{#list}}x{{/list}}{{/list}}", "{'list':[1,2]}", "xxxx");
}

static void test_section_deeply_nested(void **state)
{
	(void)state;
	EXPECT("{{#a}}\n{{one}}\n{{#b}}\n{{one}}{{two}}{{one}}\n{{#c}}\n"
	       "{{one}}{{two}}{{three}}{{two}}{{one}}\n{{#d}}\n"
	       "{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n"
	       "{{#five}}\n"
	       "{{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}\n"
	       "{{one}}{{two}}{{three}}{{four}}{{.}}6{{.}}{{four}}{{three}}{{two}}{{one}}\n"
	       "{{one}}{{two}}{{three}}{{four}}{{five}}{{four}}{{three}}{{two}}{{one}}\n"
	       "{{/five}}\n"
	       "{{one}}{{two}}{{three}}{{four}}{{three}}{{two}}{{one}}\n{{/d}}\n"
	       "{{one}}{{two}}{{three}}{{two}}{{one}}\n{{/c}}\n"
	       "{{one}}{{two}}{{one}}\n{{/b}}\n{{one}}\n{{/a}}\n",
	       "{'a':{'one':1},'b':{'two':2},"
	       "'c':{'three':3,'d':{'four':4,'five':5}}}",
	       "1\n121\n12321\n1234321\n123454321\n12345654321\n123454321\n"
	       "1234321\n12321\n121\n1\n");
}

static void test_section_nesting_and_dotted(void **state)
{
	(void)state;
	EXPECT("{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
	       "{'bool':true,'two':'second'}", "* first\n* second\n* third\n");
	EXPECT("| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", "{'bool':true}",
	       "| A B C D E |");
	EXPECT("| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", "{'bool':false}", "| A  E |");
	EXPECT("\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"", "{'a':{'b':{'c':true}}}",
	       "\"Here\" == \"Here\"");
	EXPECT("\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", "{'a':{'b':{'c':false}}}", "\"\" == \"\"");
	EXPECT("\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", "{'a':{}}", "\"\" == \"\"");
}

static void test_section_whitespace(void **state)
{
	(void)state;
	EXPECT(" | {{#boolean}}\t|\t{{/boolean}} | \n", "{'boolean':true}", " | \t|\t | \n");
	EXPECT(" | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n",
	       "{'boolean':true}", " |  \n  | \n");
	EXPECT(" {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n", "{'boolean':true}",
	       " YES\n GOOD\n");
	EXPECT("|{{# boolean }}={{/ boolean }}|", "{'boolean':true}", "|=|");
}

static void test_section_standalone(void **state)
{
	(void)state;
	EXPECT("| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", "{'boolean':true}",
	       "| This Is\n|\n| A Line\n");
	EXPECT("| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n", "{'boolean':true}",
	       "| This Is\n|\n| A Line\n");
	EXPECT("|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", "{'boolean':true}", "|\r\n|");
	EXPECT("  {{#boolean}}\n#{{/boolean}}\n/", "{'boolean':true}", "#\n/");
	EXPECT("#{{#boolean}}\n/\n  {{/boolean}}", "{'boolean':true}", "#\n/\n");
	/* Tabs count as blanks; a lone \r is not a line ending. */
	EXPECT("a\n\t {{#b}}\t\nx\n{{/b}} \r\nz", "{'b':true}", "a\nx\nz");
	EXPECT("a\n{{#b}}\rx{{/b}}", "{'b':true}", "a\n\rx");
	/* Two tags on a line: neither is standalone. */
	EXPECT("a\n{{#b}}{{/b}}\nz", "{'b':true}", "a\n\nz");
	/* A list repeats the lines between standalone tags. */
	EXPECT("<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", "{'l':[1,2]}",
	       "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
}

/* ---- inverted sections ---- */

static void test_inverted(void **state)
{
	(void)state;
	EXPECT("\"{{^boolean}}This should be rendered.{{/boolean}}\"", "{'boolean':false}",
	       "\"This should be rendered.\"");
	EXPECT("\"{{^boolean}}This should not be rendered.{{/boolean}}\"", "{'boolean':true}",
	       "\"\"");
	EXPECT("\"{{^null}}This should be rendered.{{/null}}\"", "{'null':null}",
	       "\"This should be rendered.\"");
	EXPECT("\"{{^context}}Hi {{name}}.{{/context}}\"", "{'context':{'name':'Joe'}}", "\"\"");
	EXPECT("\"{{^list}}{{n}}{{/list}}\"", "{'list':[{'n':1},{'n':2},{'n':3}]}", "\"\"");
	EXPECT("\"{{^list}}Yay lists!{{/list}}\"", "{'list':[]}", "\"Yay lists!\"");
	EXPECT("{{^a}}{{b}}{{/a}}", "{'a':false,'b':'outer'}", "outer");
	EXPECT("[{{^missing}}Found key 'missing'!{{/missing}}]", "{}", "[Found key 'missing'!]");
	EXPECT("| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |", "{'bool':false}",
	       "| A B C D E |");
	EXPECT("| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |", "{'bool':true}", "| A  E |");
	EXPECT("\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"", "{'a':{}}",
	       "\"Not Here\" == \"Not Here\"");
	EXPECT("\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"\"", "{'a':{'b':{'c':true}}}",
	       "\"\" == \"\"");
	EXPECT("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "{'v':1}", "yes");
}

static void test_inverted_whitespace(void **state)
{
	(void)state;
	EXPECT(" | {{^boolean}}\t|\t{{/boolean}} | \n", "{'boolean':false}", " | \t|\t | \n");
	EXPECT("| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", "{'boolean':false}",
	       "| This Is\n|\n| A Line\n");
	EXPECT("| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n", "{'boolean':false}",
	       "| This Is\n|\n| A Line\n");
	EXPECT("|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|", "{'boolean':false}", "|\r\n|");
	EXPECT("  {{^boolean}}\n^{{/boolean}}\n/", "{'boolean':false}", "^\n/");
	EXPECT("^{{^boolean}}\n/\n  {{/boolean}}", "{'boolean':false}", "^\n/\n");
	EXPECT("|{{^ boolean }}={{/ boolean }}|", "{'boolean':false}", "|=|");
}

/* ---- comments ---- */

static void test_comments_inline(void **state)
{
	(void)state;
	EXPECT("12345{{! Comment Block! }}67890", "{}", "1234567890");
	EXPECT("12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", "{}", "1234567890\n");
	EXPECT("  12 {{! 34 }}\n", "{}", "  12 \n");
	EXPECT("12345 {{! Comment Block! }} 67890", "{}", "12345  67890");
	EXPECT("comments never show: >{{! comment }}<", "{'! comment':1,'!comment':2,'comment':3}",
	       "comments never show: ><");
	EXPECT("[{{!}}]", "{}", "[]");
}

static void test_comments_standalone(void **state)
{
	(void)state;
	EXPECT("Begin.\n{{! Comment Block! }}\nEnd.\n", "{}", "Begin.\nEnd.\n");
	EXPECT("Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", "{}", "Begin.\nEnd.\n");
	EXPECT("|\r\n{{! Standalone Comment }}\r\n|", "{}", "|\r\n|");
	EXPECT("  {{! I'm Still Standalone }}\n!", "{}", "!");
	EXPECT("!\n  {{! I'm Still Standalone }}", "{}", "!\n");
	EXPECT("Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", "{}", "Begin.\nEnd.\n");
	EXPECT("Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n", "{}",
	       "Begin.\nEnd.\n");
	/* A tag ending on the comment's last line is not standalone. */
	EXPECT("{{!\n}}{{#a}}\nx{{/a}}", "{'a':true}", "\nx");
}

/* ---- set delimiters ---- */

static void test_delimiters(void **state)
{
	(void)state;
	EXPECT("{{=<% %>=}}(<%text%>)", "{'text':'Hey!'}", "(Hey!)");
	EXPECT("({{=[ ]=}}[text])", "{'text':'It worked!'}", "(It worked!)");
	EXPECT("{{=| |=}}|x| {{x}}", "{'x':1}", "1 {{x}}");
	EXPECT("{{=<<< >>>=}}<<<x>>> <<<{x}>>> <<<&x>>>", "{'x':'<'}", "&lt; < <");
	EXPECT("{{=<% %>=}}<%#l%><%.%><%/l%><%={{ }}=%>{{x}}", "{'l':[1,2],'x':3}", "123");
	EXPECT("| {{=@ @=}} |", "{}", "|  |");
	EXPECT(" | {{=@ @=}}\n", "{}", " | \n");
	EXPECT("|{{= @   @ =}}|", "{}", "||");
}

static void test_delimiters_sections(void **state)
{
	(void)state;
	EXPECT("[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n"
	       "{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n",
	       "{'section':true,'data':'I got interpolated.'}",
	       "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n"
	       "  I got interpolated.\n]\n");
	EXPECT("[\n{{^section}}\n  {{data}}\n  |data|\n{{/section}}\n\n"
	       "{{= | | =}}\n|^section|\n  {{data}}\n  |data|\n|/section|\n]\n",
	       "{'section':false,'data':'I got interpolated.'}",
	       "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n"
	       "  I got interpolated.\n]\n");
}

static void test_delimiters_standalone(void **state)
{
	(void)state;
	EXPECT("Begin.\n{{=@ @=}}\nEnd.\n", "{}", "Begin.\nEnd.\n");
	EXPECT("Begin.\n  {{=@ @=}}\nEnd.\n", "{}", "Begin.\nEnd.\n");
	EXPECT("|\r\n{{= @ @ =}}\r\n|", "{}", "|\r\n|");
	EXPECT("  {{=@ @=}}\n=", "{}", "=");
	EXPECT("=\n  {{=@ @=}}", "{}", "=\n");
}

static void test_delimiters_and_partials(void **state)
{
	(void)state;
	/* Delimiters never leak into or out of a partial. */
	EXPECT_P("[ {{>include}} ]\n{{= | | =}}\n[ |>include| ]\n", "{'value':'yes'}",
		 "[ .yes. ]\n[ .yes. ]\n", {"include", ".{{value}}."});
	EXPECT_P("[ {{>include}} ]\n[ .{{value}}.  .|value|. ]\n", "{'value':'yes'}",
		 "[ .yes.  .yes. ]\n[ .yes.  .|value|. ]\n",
		 {"include", ".{{value}}. {{= | | =}} .|value|."});
}

/* ---- partials ---- */

static void test_partials_basic(void **state)
{
	(void)state;
	EXPECT_P("\"{{>text}}\"", "{}", "\"from partial\"", {"text", "from partial"});
	EXPECT("\"{{>text}}\"", "{}", "\"\"");
	EXPECT_P("\"{{>partial}}\"", "{'text':'content'}", "\"*content*\"",
		 {"partial", "*{{text}}*"});
	EXPECT_P("{{>outer}}", "{'a':'hello','b':'world'}", "*hello world!*",
		 {"outer", "*{{a}} {{>inner}}*"}, {"inner", "{{b}}!"});
	EXPECT_P("|{{> partial }}|", "{}", "|[]|", {"partial", "[]"});
	EXPECT_P("{{> partials/head}}{{>mail/a.txt}}", "{'x':1}", "h1m",
		 {"partials/head", "h{{x}}"}, {"mail/a.txt", "m"});
	/* The partial sees the context stack at its tag. */
	EXPECT_P("{{#l}}{{>item}}{{/l}}", "{'sep':',','l':[{'n':1},{'n':2}]}", "1,2,",
		 {"item", "{{n}}{{sep}}"});
}

static void test_partials_recursion(void **state)
{
	(void)state;
	EXPECT_P("{{>node}}", "{'content':'X','nodes':[{'content':'Y','nodes':[]}]}", "X<Y<>>",
		 {"node", "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"});
}

static void test_partials_whitespace(void **state)
{
	(void)state;
	EXPECT_P("| {{>partial}} |", "{}", "| \t|\t |", {"partial", "\t|\t"});
	EXPECT_P("  {{data}}  {{> partial}}\n", "{'data':'|'}", "  |  >\n>\n", {"partial", ">\n>"});
	EXPECT_P("|\r\n{{>partial}}\r\n|", "{}", "|\r\n>|", {"partial", ">"});
	EXPECT_P("  {{>partial}}\n>", "{}", "  >\n  >>", {"partial", ">\n>"});
	EXPECT_P(">\n  {{>partial}}", "{}", ">\n  >\n  >", {"partial", ">\n>"});
}

static void test_partials_indentation(void **state)
{
	(void)state;
	/* Interpolated newlines are data, not partial lines: not indented. */
	EXPECT_P("\\\n {{>partial}}\n/\n", "{'content':'<\\n->'}", "\\\n |\n <\n->\n |\n/\n",
		 {"partial", "|\n{{{content}}}\n|\n"});
	/* Standalone partials inside indented partials add up. */
	EXPECT_P("  {{>a}}\n", "{}", "  x\n    1\n    2\n  y\n", {"a", "x\n  {{>b}}\ny\n"},
		 {"b", "1\n2\n"});
	/* Standalone tags inside the partial vanish; every kept line,
	 * blank ones too, is indented once per pass. */
	EXPECT_P("<ul>\n\t{{>items}}\n</ul>\n", "{'l':[1,2]}",
		 "<ul>\n\t<li>1</li>\n\t<li>2</li>\n\t\n\tend\n</ul>\n",
		 {"items", "{{#l}}\n<li>{{.}}</li>\n{{/l}}\n\nend\n"});
	/* A line starting with a tag is indented like any other. */
	EXPECT_P("  {{>p}}\n", "{'a':'A'}", "  A\n  b\n", {"p", "{{a}}\n{{! c }}b\n"});
	EXPECT_P("  {{>p}}\n", "{'l':[1,2]}", "  1\n  2\n  x\n", {"p", "{{#l}}{{.}}\n{{/l}}x\n"});
	/* A partial that is not standalone gets no indentation, nor do the
	 * partials it includes. */
	EXPECT_P("  {{>a}}\n", "{}", "  [1\n2]\n", {"a", "[{{>b}}]\n"}, {"b", "1\n2"});
}

/* ---- limits ---- */

static void test_partial_depth_limit(void **state)
{
	(void)state;
	char expected[64];
	memset(expected, 'x', 33); /* the template and 32 nested partials */
	expected[33] = '\0';
	EXPECT("x{{>t}}", "{}", expected);

	/* A linked list 40 deep rendered recursively stops at 32 partials. */
	json_t *data = json_object(), *node = data;
	for (int i = 0; i < 40; i++) {
		json_t *child = json_object();
		json_object_set_new(node, "name", json_string("n"));
		json_object_set_new(node, "child", child);
		node = child;
	}
	struct mustache_set *set = set_of(
		(const struct tpl[]){{"n", "{{name}}{{#child}}{{>n}}{{/child}}"}, {NULL, NULL}});
	struct buf out = BUF_INIT;
	assert_int_equal(mustache_render(set, "n", data, &out), 0);
	assert_int_equal(out.len, 33);
	buf_free(&out);
	mustache_set_free(set);
	json_decref(data);
}

static void nested_sections(size_t depth, struct buf *out)
{
	struct buf src = BUF_INIT;
	for (size_t i = 0; i < depth; i++)
		buf_puts(&src, i % 2 ? "{{#a}}" : "{{^f}}");
	buf_puts(&src, "x");
	for (size_t i = depth; i-- > 0;)
		buf_puts(&src, i % 2 ? "{{/a}}" : "{{/f}}");
	struct mustache_set *set = mustache_set_new();
	assert_int_equal(mustache_set_add(set, "t", src.data, src.len, NULL, 0), 0);
	json_t *data = load_json("{'a':{'b':1}}");
	assert_int_equal(mustache_render(set, "t", data, out), 0);
	json_decref(data);
	mustache_set_free(set);
	buf_free(&src);
}

static void test_section_depth_limit(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	nested_sections(100, &out);
	assert_string_equal(out.data, "x");
	buf_reset(&out);
	nested_sections(5000, &out); /* must stop, not overflow the stack */
	assert_string_equal(out.data, "");
	buf_free(&out);
}

static void render_runaway(const char *src, size_t *len)
{
	struct mustache_set *set = set_of((const struct tpl[]){{"t", src}, {NULL, NULL}});
	json_t *data = load_json("{'l':[1,2,3]}");
	struct buf out = BUF_INIT;
	assert_int_equal(mustache_render(set, "t", data, &out), 0);
	*len = out.len;
	buf_free(&out);
	json_decref(data);
	mustache_set_free(set);
}

static void test_runaway_budget(void **state)
{
	(void)state;
	size_t len;
	/* 2^33 expansions without the step budget. */
	render_runaway("{{>t}}{{>t}}", &len);
	assert_int_equal(len, 0);
	render_runaway("x{{#l}}{{>t}}{{/l}}", &len);
	assert_in_range(len, 1000, 1 << 23);
	/* 2^33 copies of 1 KiB without the output budget. */
	char big[1100];
	memset(big, 'x', 1024);
	strcpy(big + 1024, "{{>t}}{{>t}}");
	render_runaway(big, &len);
	assert_in_range(len, 64 << 20, (64 << 20) + 1024);
}

/* ---- compile errors ---- */

static void test_errors_structure(void **state)
{
	(void)state;
	expect_error("Hello {{name", "t:1: unclosed tag");
	expect_error("a\r\nb {{{name}}", "t:2: unclosed tag");
	expect_error("a\nb\n{{#s}}\nx", "t:3: unclosed section \"s\"");
	expect_error("{{#a}}{{#b}}\n{{/b}}", "t:1: unclosed section \"a\"");
	expect_error("{{#a}}\n{{/b}}", "t:2: close tag \"b\" does not match \"a\"");
	expect_error("x\n{{/a}}", "t:2: close tag \"a\" without open section");
	expect_error("{{!\n\n}}\n{{/x}}", "t:4: close tag \"x\" without open section");
	expect_error("{{=<% %>=}}\n<% a }}", "t:2: unclosed tag");
}

static void test_errors_names(void **state)
{
	(void)state;
	expect_error("{{}}", "t:1: empty tag name");
	expect_error("x\n{{ }}", "t:2: empty tag name");
	expect_error("{{#}}{{/}}", "t:1: empty tag name");
	expect_error("{{^ }}", "t:1: empty tag name");
	expect_error("{{>}}", "t:1: empty tag name");
	expect_error("{{&}}", "t:1: empty tag name");
	expect_error("{{{ }}}", "t:1: empty tag name");
	expect_error("{{a..b}}", "t:1: invalid name \"a..b\"");
	expect_error("{{.a}}", "t:1: invalid name \".a\"");
	expect_error("{{#a.}}{{/a.}}", "t:1: invalid name \"a.\"");
	expect_error("{{a b}}", "t:1: invalid name \"a b\"");
	expect_error("{{> a b}}", "t:1: invalid partial name \"a b\"");
}

static void test_errors_delimiters(void **state)
{
	(void)state;
	expect_error("{{=<%=}}", "t:1: bad delimiter syntax \"<%\"");
	expect_error("{{=<% %> x=}}", "t:1: bad delimiter syntax \"<% %> x\"");
	expect_error("{{=a=b c=}}", "t:1: bad delimiter syntax \"a=b c\"");
	expect_error("\n{{= =}}", "t:2: bad delimiter syntax \"\"");
	expect_error("{{=<% %>", "t:1: unclosed tag");
}

static void test_error_buffer(void **state)
{
	(void)state;
	struct mustache_set *set = mustache_set_new();
	char err[8];
	memset(err, '?', sizeof(err));
	assert_int_equal(mustache_set_add(set, "t", "{{", 2, err, sizeof(err)), -1);
	assert_string_equal(err, "t:1: un");
	assert_int_equal(mustache_set_add(set, "t", "{{", 2, NULL, 0), -1);
	assert_int_equal(mustache_set_add(set, "t", "{{", 2, err, 0), -1);
	mustache_set_free(set);
}

/* ---- API contract ---- */

static void test_replace_and_failed_add(void **state)
{
	(void)state;
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	assert_int_equal(mustache_set_add(set, "t", "A", 1, NULL, 0), 0);
	assert_int_equal(mustache_set_add(set, "t", "{{#x}}", 6, NULL, 0), -1);
	assert_int_equal(mustache_render(set, "t", NULL, &out), 0);
	assert_string_equal(out.data, "A");
	assert_int_equal(mustache_set_add(set, "t", "B", 1, NULL, 0), 0);
	buf_reset(&out);
	assert_int_equal(mustache_render(set, "t", NULL, &out), 0);
	assert_string_equal(out.data, "B");
	buf_free(&out);
	mustache_set_free(set);
}

static void test_has_and_unknown(void **state)
{
	(void)state;
	struct mustache_set *set = mustache_set_new();
	assert_false(mustache_has(set, "t"));
	const char *names[] = {"m", "c", "x", "a", "partials/head", "b"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_int_equal(
			mustache_set_add(set, names[i], names[i], strlen(names[i]), NULL, 0), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_true(mustache_has(set, names[i]));
	assert_false(mustache_has(set, "partials"));
	assert_false(mustache_has(set, ""));

	struct buf out = BUF_INIT;
	buf_puts(&out, "keep");
	assert_int_equal(mustache_render(set, "nope", NULL, &out), -1);
	assert_int_equal(out.len, 4);
	assert_string_equal(out.data, "keep");
	assert_int_equal(mustache_render(set, "partials/head", NULL, &out), 0);
	assert_string_equal(out.data, "keeppartials/head");
	buf_free(&out);
	mustache_set_free(set);
	mustache_set_free(NULL);
}

static void test_null_data_and_binary(void **state)
{
	(void)state;
	EXPECT("[{{a}}{{#a}}x{{/a}}{{^a}}y{{/a}}{{.}}]", NULL, "[y]");

	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	assert_int_equal(mustache_set_add(set, "e", "", 0, NULL, 0), 0);
	assert_int_equal(mustache_render(set, "e", NULL, &out), 0);
	assert_non_null(out.data);
	assert_string_equal(out.data, "");
	assert_int_equal(mustache_set_add(set, "z", "a\0b{{x}}", 8, NULL, 0), 0);
	json_t *data = json_pack("{s:s%}", "x", "c\0d", (size_t)3);
	assert_int_equal(mustache_render(set, "z", data, &out), 0);
	assert_int_equal(out.len, 6);
	assert_memory_equal(out.data, "a\0bc\0d", 6);
	json_decref(data);
	buf_free(&out);
	mustache_set_free(set);
}

struct thread_job {
	const struct mustache_set *set;
	const json_t *data;
	int failures;
};

static void *render_many(void *arg)
{
	struct thread_job *job = arg;
	struct buf out = BUF_INIT;
	for (int i = 0; i < 300; i++) {
		buf_reset(&out);
		mustache_render(job->set, "page", job->data, &out);
		job->failures += strcmp(out.data, "<h1>T</h1>\n  <li>1</li>\n  "
						  "<li>2</li>\n") != 0;
	}
	buf_free(&out);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	struct mustache_set *set = set_of(
		(const struct tpl[]){{"page", "{{>head}}\n  {{>item}}\n"},
				     {"head", "<h1>{{title}}</h1>\n"},
				     {"item", "{{#l}}\n<li>{{.}}</li>\n{{/l}}\n"},
				     {NULL, NULL}});
	json_t *data = load_json("{'title':'T','l':[1,2]}");
	pthread_t th[8];
	struct thread_job jobs[8];
	for (int i = 0; i < 8; i++) {
		jobs[i] = (struct thread_job){set, data, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	json_decref(data);
	mustache_set_free(set);
}

/* ---- load_dir ---- */

static void write_file(const char *root, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *root)
{
	assert_int_equal(nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_load_dir(void **state)
{
	(void)state;
	char root[] = "/tmp/mustache-test-XXXXXX";
	assert_non_null(mkdtemp(root));
	write_file(root, "home.mustache", "{{> partials/head}}\n<p>{{msg}}</p>\n");
	write_file(root, "partials/head.mustache", "<h1>{{title}}</h1>\n");
	write_file(root, "mail/confirm.txt.mustache", "Hello {{name}}");
	write_file(root, "a/b/c/deep.mustache", "deep");
	write_file(root, "readme.txt", "{{ not a template");
	write_file(root, ".hidden/x.mustache", "{{#broken");
	write_file(root, "partials/.swp.mustache", "{{#broken");

	char err[256] = "";
	struct mustache_set *set = mustache_set_load_dir(root, err, sizeof(err));
	assert_non_null(set);
	assert_string_equal(err, "");
	assert_true(mustache_has(set, "home"));
	assert_true(mustache_has(set, "partials/head"));
	assert_true(mustache_has(set, "mail/confirm.txt"));
	assert_true(mustache_has(set, "a/b/c/deep"));
	assert_false(mustache_has(set, "home.mustache"));
	assert_false(mustache_has(set, "readme"));
	assert_false(mustache_has(set, ".hidden/x"));

	json_t *data = load_json("{'title':'<T>','msg':'hi'}");
	struct buf out = BUF_INIT;
	assert_int_equal(mustache_render(set, "home", data, &out), 0);
	assert_string_equal(out.data, "<h1>&lt;T&gt;</h1>\n<p>hi</p>\n");
	buf_free(&out);
	json_decref(data);
	mustache_set_free(set);

	/* A trailing slash gives the same names. */
	char slash[64];
	snprintf(slash, sizeof(slash), "%s/", root);
	set = mustache_set_load_dir(slash, err, sizeof(err));
	assert_non_null(set);
	assert_true(mustache_has(set, "partials/head"));
	mustache_set_free(set);

	write_file(root, "mail/bad.mustache", "line1\n{{#x}}\n");
	assert_null(mustache_set_load_dir(root, err, sizeof(err)));
	assert_string_equal(err, "mail/bad:2: unclosed section \"x\"");
	remove_tree(root);

	assert_null(mustache_set_load_dir(root, err, sizeof(err)));
	assert_int_equal(strncmp(err, root, strlen(root)), 0);
	assert_non_null(strstr(err, ": "));
}

/* Holes: the named partials and variables print nothing and are recorded
 * where they would have gone, in output order, each time they are met;
 * other tags render as usual. */
static void test_holes(void **state)
{
	(void)state;
	struct mustache_set *set = set_of((const struct tpl[]){
		{"page", "{{>bar}}|{{#l}}[{{csrf}}{{{csrf}}}{{.}}]{{/l}}|{{name}}|{{>other}}"},
		{"bar", "<a>{{name}}</a>"},
		{"other", "<{{name}}>"},
		{NULL, NULL}});
	json_t *data = load_json("{'name':'N','csrf':'T','l':[1,2]}");
	const char *names[] = {"csrf", "bar"};
	struct mustache_holes holes = {.names = names, .n_names = 2};
	struct buf out = BUF_INIT;
	buf_puts(&out, ">>");
	assert_int_equal(mustache_render_holes(set, "page", data, &out, &holes), 0);
	assert_string_equal(out.data, ">>|[1][2]|N|<N>");
	const struct mustache_hole expected[] = {
		{2, 1}, {4, 0}, {4, 0}, {7, 0}, {7, 0},
	};
	assert_int_equal(holes.count, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(holes.at[i].offset, expected[i].offset);
		assert_int_equal(holes.at[i].name, expected[i].name);
	}
	mustache_holes_free(&holes);
	assert_null(holes.at);
	/* An unknown template leaves both untouched. */
	assert_int_equal(mustache_render_holes(set, "nope", data, &out, &holes), -1);
	assert_int_equal(holes.count, 0);
	buf_free(&out);
	json_decref(data);
	mustache_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_tags),
		cmocka_unit_test(test_basic_interpolation),
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_other_values),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_dotted_context_rules),
		cmocka_unit_test(test_implicit_iterator),
		cmocka_unit_test(test_spec_implicit_iterators),
		cmocka_unit_test(test_section_truthiness),
		cmocka_unit_test(test_section_context),
		cmocka_unit_test(test_section_lists),
		cmocka_unit_test(test_section_outer_lookup),
		cmocka_unit_test(test_section_deeply_nested),
		cmocka_unit_test(test_section_nesting_and_dotted),
		cmocka_unit_test(test_section_whitespace),
		cmocka_unit_test(test_section_standalone),
		cmocka_unit_test(test_inverted),
		cmocka_unit_test(test_inverted_whitespace),
		cmocka_unit_test(test_comments_inline),
		cmocka_unit_test(test_comments_standalone),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_delimiters_sections),
		cmocka_unit_test(test_delimiters_standalone),
		cmocka_unit_test(test_delimiters_and_partials),
		cmocka_unit_test(test_partials_basic),
		cmocka_unit_test(test_partials_recursion),
		cmocka_unit_test(test_partials_whitespace),
		cmocka_unit_test(test_partials_indentation),
		cmocka_unit_test(test_partial_depth_limit),
		cmocka_unit_test(test_section_depth_limit),
		cmocka_unit_test(test_runaway_budget),
		cmocka_unit_test(test_errors_structure),
		cmocka_unit_test(test_errors_names),
		cmocka_unit_test(test_errors_delimiters),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_replace_and_failed_add),
		cmocka_unit_test(test_has_and_unknown),
		cmocka_unit_test(test_null_data_and_binary),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_holes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
