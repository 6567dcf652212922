/* Tables of {code, French label} pairs: statuses, notices, types. */
#ifndef COUSILAB_LABELS_H
#define COUSILAB_LABELS_H

#include <stddef.h>

#define LABELS_COUNT(table) (sizeof(table) / sizeof(*(table)))

/* Returns the label of code in pairs, or NULL when code is NULL or not
 * listed. Borrowed from the table. */
const char *label_find(const char *const pairs[][2], size_t n, const char *code);

/* Returns the label of code, or code itself ("" for NULL) when unknown. */
const char *label_or_code(const char *const pairs[][2], size_t n, const char *code);

#endif
