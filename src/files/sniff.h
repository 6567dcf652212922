/* What an uploaded file really is, judged by its content, never its name:
 * magic bytes, and for ZIP containers their central directory. */
#ifndef COUSILAB_SNIFF_H
#define COUSILAB_SNIFF_H

#include <stddef.h>

enum file_type {
	FILE_UNKNOWN,
	FILE_EMPTY,
	FILE_PDF,
	FILE_ODT,
	FILE_DOCX,
	FILE_ODS,
	FILE_XLSX,
	FILE_ODP,
	FILE_PPTX,
	FILE_PNG,
	FILE_JPEG,
	FILE_MP4,
	FILE_EXECUTABLE,
	FILE_CORRUPT,
};

struct file_kind_info {
	const char *mime;     /* "application/pdf" */
	const char *ext;      /* "pdf", the extension files are served with */
	const char *label_fr; /* "document PDF", for messages */
};

/* Returns the type of the file at path, whose size is size bytes, reading
 * a few small pieces of it with pread (never the whole file; at most
 * ~64 KiB of heap for the duration of the call):
 * - FILE_EMPTY when size is 0;
 * - FILE_EXECUTABLE for PE ("MZ"), ELF, Mach-O and "#!" scripts;
 * - FILE_PDF: "%PDF-" at 0 and "%%EOF" in the last 1 KiB;
 * - FILE_PNG: signature, IHDR first, IEND in the last 1 KiB;
 * - FILE_JPEG: FF D8 FF at 0 and FF D9 in the last 4 KiB;
 * - FILE_MP4: an MP4 container as files/mp4.h judges it (an ftyp box at
 *   0 with an MP4 brand, top-level boxes that tile the file exactly, among
 *   them one moov and an mdat), whether or not its movie can be timed;
 * - ZIP containers, walked through their central directory (nothing
 *   decompressed): OpenDocument when the first entry is a stored
 *   "mimetype" holding the text, spreadsheet or presentation type; OOXML
 *   when "[Content_Types].xml" is there with exactly one of
 *   word/document.xml, xl/workbook.xml, ppt/presentation.xml and no macro
 *   project (vbaProject.bin); any other ZIP, ZIP64 included, is
 *   FILE_UNKNOWN;
 * - FILE_CORRUPT when a recognised format is truncated or inconsistent
 *   (PDF without %%EOF, ZIP without a sound central directory, ...) or the
 *   file is shorter than size or cannot be read;
 * - FILE_UNKNOWN otherwise. */
enum file_type file_sniff(const char *path, size_t size);

/* Returns the static description of t (any value, unknown ones included).
 * Never NULL; types that are not documents have mime
 * "application/octet-stream" and ext "bin". */
const struct file_kind_info *file_type_info(enum file_type t);

/* Why a file meant to be one PDF document (the Grand Prix dossier) is not,
 * by its content alone: "%PDF-" must open the file (at offset 0, not
 * merely somewhere in its first kilobyte as readers tolerate: an HTML page
 * or an executable named .pdf is refused) AND "%%EOF" must lie in its last
 * 1,024 bytes (a cut-off upload has no trailer). */
enum file_pdf_check {
	FILE_PDF_OK,
	FILE_PDF_EMPTY,
	FILE_PDF_NOT_PDF,    /* no header */
	FILE_PDF_NO_TRAILER, /* header, but no %%EOF at the end: truncated */
	FILE_PDF_UNREADABLE, /* cannot be opened, or shorter than size */
};

/* Checks the file at path, of size bytes, reading its first bytes and its
 * last 1,024 with pread (never the whole file; ~64 KiB of heap for the
 * duration of the call, like file_sniff). */
enum file_pdf_check file_pdf_check(const char *path, size_t size);

/* Returns NULL for FILE_PDF_OK, else why the file is refused, in French,
 * for the person uploading it. Static. */
const char *file_pdf_refusal(enum file_pdf_check c);

#endif
