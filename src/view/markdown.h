/* Markdown to HTML for user-written text (practice descriptions), through
 * Debian's libcmark in its safe mode: raw HTML and javascript:, vbscript:,
 * file: and data: links are dropped, so the output may be inserted into a
 * page unescaped. */
#ifndef COUSILAB_MARKDOWN_H
#define COUSILAB_MARKDOWN_H

struct arena;

/* Returns the HTML of CommonMark text md (NULL is empty), with headings
 * moved down by shift levels (at most h6) so that they nest under the
 * page's own. Arena-owned; allocates. */
char *markdown_to_html(struct arena *a, const char *md, int shift);

#endif
