/* Toolbox rules: which file types each resource kind takes, how large,
 * and why a file is refused, in French.
 *
 * Kinds (as stored): guide, modele, checklist (documents: PDF, ODT, DOCX,
 * 20 Mo), presentation (ODP, PPTX, PDF, 50 Mo), tableur (ODS, XLSX, 20 Mo),
 * video (MP4, 500 Mo). Documents and presentations also take a PNG or JPEG
 * image up to 10 Mo (an infographic, a poster, a scanned checklist); a
 * spreadsheet or a video never is an image. "lien" takes no file.
 * Mo are MiB, as file managers count them. */
#ifndef COUSILAB_FILE_RULES_H
#define COUSILAB_FILE_RULES_H

#include <stddef.h>

#include "files/sniff.h"

struct arena;

/* Returns the size limit in bytes for a file of type t in a resource of
 * kind, or 0 when kind does not take t (or takes no file, or is not a
 * kind). Pure. */
size_t file_kind_limit(const char *kind, enum file_type t);

/* Returns the largest limit of kind over all types (0 when it takes no
 * file): the upload limit to set before the type is known. Pure. */
size_t file_kind_max_size(const char *kind);

/* Returns NULL when a file of type t (from file_sniff) and size bytes may
 * be the file of a resource of kind, else why not, in French: empty,
 * executable, damaged, wrong type, too large, in that order. The reason
 * is static or allocated in a. */
const char *file_refusal(struct arena *a, const char *kind, enum file_type t, size_t size);

/* Returns NULL when name, a file name as sent (well-formed UTF-8), may be
 * kept, else why not, in French: it holds what utf8_refused_char refuses
 * in one line (a control character, a line end, a bidi override that
 * would show "facture\u202Efdp.exe" as "facturexe.pdf"). Static or
 * allocated in a. */
const char *file_name_refusal(struct arena *a, const char *name);

#endif
