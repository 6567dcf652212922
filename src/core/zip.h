/* A ZIP archive written front to back into a sink, never held whole:
 * stored entries (the files we pack, PDFs, are compressed already), each
 * one's CRC-32 computed while its bytes go by and written after them in a
 * data descriptor, so an entry of any size streams with a few hundred
 * bytes of state. Past 4 GiB (an entry's size, an entry's offset, the
 * central directory) or 65,535 entries the ZIP64 records take over, as
 * APPNOTE 6.3 says; names are UTF-8, flagged as such (bit 11).
 *
 * The central directory (the names, sizes and offsets of the entries
 * written) is kept in memory until zip_finish: about 60 bytes plus the
 * name per entry. */
#ifndef COUSILAB_ZIP_H
#define COUSILAB_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct zip_writer;

/* Takes the next len bytes of the archive; returns false when they could
 * not go (the reader went away): the writer then stops writing. */
typedef bool zip_sink(void *ctx, const void *data, size_t len);

/* Returns crc updated with data[0..n) (start from 0): the CRC-32 of ISO
 * 3309 that ZIP and PNG use. Table-driven; allocates nothing. */
uint32_t zip_crc32(uint32_t crc, const void *data, size_t n);

/* Returns s made into one safe path component for a ZIP entry name:
 * valid UTF-8 (bad bytes become U+FFFD), no '/', '\', ':' or control
 * characters (each becomes '_'), no leading dot or space, at most
 * max_bytes bytes (cut on a character boundary); "fichier" when nothing
 * is left. So a name from a user can never climb out of the folder the
 * archive gives it. Allocated in a. */
const char *zip_safe_name(struct arena *a, const char *s, size_t max_bytes);

/* Returns a new writer that hands its bytes to sink(ctx, ...); the caller
 * owns it (zip_writer_free). Allocates. */
struct zip_writer *zip_writer_new(zip_sink *sink, void *ctx);

/* Starts an entry named name ("folder/file.pdf": relative, '/' between
 * non-empty components, none of them "." or "..", no '\', valid UTF-8,
 * at most 65,535 bytes), of exactly size bytes, last modified at mtime_ms
 * (UTC milliseconds; stored in Paris wall time, which is how archivers
 * read the MS-DOS field). Returns false (nothing written) for a bad
 * name, an entry still open, or a writer that failed before. */
bool zip_entry_begin(struct zip_writer *z, const char *name, uint64_t size, int64_t mtime_ms);

/* Writes the next len bytes of the open entry. Returns false when the
 * sink failed or the entry would pass the size given to
 * zip_entry_begin. */
bool zip_entry_write(struct zip_writer *z, const void *data, size_t len);

/* Ends the open entry with its data descriptor. Returns false when its
 * bytes do not add up to the announced size (the archive is then
 * broken: stop) or the sink failed. */
bool zip_entry_end(struct zip_writer *z);

/* Writes the central directory and the end records. Returns false when
 * an entry is still open or the sink failed. */
bool zip_finish(struct zip_writer *z);

/* Returns how many bytes the writer has handed to its sink. */
uint64_t zip_written(const struct zip_writer *z);

/* Frees z and its directory; NULL is accepted. */
void zip_writer_free(struct zip_writer *z);

#endif
