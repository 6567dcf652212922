/* Writing Atom 1.0 feeds (RFC 4287): the escaping and the elements every
 * feed of the site shares (cousiSTORE's practices, the Grand Prix's
 * laureates). */
#ifndef COUSILAB_ATOM_H
#define COUSILAB_ATOM_H

struct buf;

/* Appends s as XML text or attribute value: & < > " ' become entities;
 * what XML 1.0 forbids (control characters but tab, LF and CR; U+FFFE,
 * U+FFFF) is dropped and bytes that are not UTF-8 become U+FFFD, so the
 * document stays well-formed whatever was stored. */
void atom_text(struct buf *b, const char *s);

/* Appends <tag>text</tag> (text escaped) on its own line after indent. */
void atom_element(struct buf *b, const char *indent, const char *tag, const char *text);

/* Appends <link rel="rel" type="type" href="base path"/> on its own line. */
void atom_link(struct buf *b, const char *indent, const char *rel, const char *type,
	       const char *base, const char *path);

/* Appends the XML declaration, <feed> and its head: title, id (base
 * self), its self and alternate links, updated (RFC 3339), the author
 * and the generator. The entries and atom_feed_close follow. */
void atom_feed_open(struct buf *b, const char *base, const char *title, const char *self,
		    const char *alternate, const char *updated);

/* Appends </feed>. */
void atom_feed_close(struct buf *b);


#endif
