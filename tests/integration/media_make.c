/* media_make: writes a test MP4 or PDF (tests/integration/mp4_make.h) for
 * the browser flow and the fuzz corpus, which cannot link C.
 *   media_make mp4 PATH SECONDS [end] [v1] [largesize] [mdat=BYTES] [timescale=N]
 *   media_make pdf PATH BYTES
 * "end" puts moov after mdat; "v1" writes 64-bit mvhd and tkhd;
 * "largesize" a 64-bit mdat header; mdat is 1,000 bytes unless told (a
 * hole on disk). Exits 0, or 2 with a usage line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp4_make.h"

static int usage(void)
{
	fputs("usage: media_make mp4 PATH SECONDS [end] [v1] [largesize] [mdat=BYTES] "
	      "[timescale=N]\n       media_make pdf PATH BYTES\n",
	      stderr);
	return 2;
}

/* Parses the whole of s as a decimal number into *v. Returns 0 or -1. */
static int number(const char *s, unsigned long long *v)
{
	char *end;
	*v = strtoull(s, &end, 10);
	return *s && !*end ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long long n;
	if (argc < 4 || number(argv[3], &n))
		return usage();
	if (!strcmp(argv[1], "pdf")) {
		if (argc != 4 || pdf_make_file(argv[2], (size_t)n)) {
			perror(argv[2]);
			return 1;
		}
		return 0;
	}
	if (strcmp(argv[1], "mp4"))
		return usage();
	struct mp4_spec s = {.timescale = 1000, .mdat_bytes = 1000};
	unsigned long long v;
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "end"))
			s.moov_at_end = true;
		else if (!strcmp(argv[i], "v1"))
			s.mvhd_version = 1;
		else if (!strcmp(argv[i], "largesize"))
			s.mdat_largesize = true;
		else if (!strncmp(argv[i], "mdat=", 5) && !number(argv[i] + 5, &v))
			s.mdat_bytes = v;
		else if (!strncmp(argv[i], "timescale=", 10) && !number(argv[i] + 10, &v))
			s.timescale = (uint32_t)v;
		else
			return usage();
	}
	s.duration = n * s.timescale;
	if (!mp4_make_file(argv[2], &s)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
