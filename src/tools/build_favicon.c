/* build_favicon: writes the site's favicon.ico, for the browsers and
 * crawlers that ask for /favicon.ico and cannot read styles/favicon.svg.
 *
 *   build_favicon OUT.ico
 *
 * Draws the same shape as styles/favicon.svg, in its 32-unit space: a
 * square of accent blue with corners of radius 6 and a white "C", a ring
 * of radius 8 and width 4 open over ±40° on the right, with round ends.
 * Each pixel averages 8×8 samples. Writes 16, 32 and 48 pixel images,
 * 32-bit BMP each, to OUT.ico atomically (OUT.ico.tmp, then rename).
 * Exits 1 on any error, after saying why. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLES 8
#define GAP_DEGREES 40.0
static const int SIZES[] = {16, 32, 48};
#define N_SIZES (sizeof(SIZES) / sizeof(*SIZES))

/* Returns true when (x, y) lies in the square of side 32 with rounded
 * corners of radius 6. */
static int in_square(double x, double y)
{
	double cx = x < 6 ? 6 : x > 26 ? 26 : x;
	double cy = y < 6 ? 6 : y > 26 ? 26 : y;
	return x >= 0 && x <= 32 && y >= 0 && y <= 32 &&
	       (x - cx) * (x - cx) + (y - cy) * (y - cy) <= 36;
}

/* Returns true when (x, y) lies in the stroke of the "C". */
static int in_c(double x, double y)
{
	double dx = x - 16, dy = y - 16;
	double gap = GAP_DEGREES * M_PI / 180;
	double angle = atan2(dy, dx);
	if (fabs(hypot(dx, dy) - 8) <= 2 && fabs(angle) >= gap)
		return 1;
	/* The round ends, centred on the ring where the gap starts. */
	double ex = 16 + 8 * cos(gap), ey = 8 * sin(gap);
	return hypot(x - ex, y - (16 - ey)) <= 2 || hypot(x - ex, y - (16 + ey)) <= 2;
}

/* Writes size×size BGRA pixels, bottom row first as BMP wants them. */
static void draw(int size, uint8_t *bgra)
{
	static const uint8_t blue[3] = {0x91, 0x00, 0x00}; /* #000091 as BGR */
	for (int row = 0; row < size; row++)
		for (int col = 0; col < size; col++) {
			double cover = 0, white = 0;
			for (int sy = 0; sy < SAMPLES; sy++)
				for (int sx = 0; sx < SAMPLES; sx++) {
					double x = (col + (sx + 0.5) / SAMPLES) * 32 / size;
					double y = (row + (sy + 0.5) / SAMPLES) * 32 / size;
					if (in_square(x, y)) {
						cover++;
						white += in_c(x, y);
					}
				}
			uint8_t *p = bgra + 4 * ((size_t)(size - 1 - row) * size + col);
			double w = cover ? white / cover : 0;
			for (int c = 0; c < 3; c++)
				p[c] = (uint8_t)lround(blue[c] * (1 - w) + 255 * w);
			p[3] = (uint8_t)lround(255 * cover / (SAMPLES * SAMPLES));
		}
}

static void put16(FILE *f, unsigned v)
{
	fputc(v & 0xff, f);
	fputc(v >> 8 & 0xff, f);
}

static void put32(FILE *f, uint32_t v)
{
	put16(f, v & 0xffff);
	put16(f, v >> 16);
}

/* Returns the bytes of one image: its BITMAPINFOHEADER, its pixels and
 * its 1-bit AND mask (all zero: the alpha channel says it all), rows
 * padded to 4 bytes. */
static uint32_t image_bytes(int size)
{
	uint32_t mask_row = (uint32_t)((size + 31) / 32 * 4);
	return 40 + (uint32_t)(size * size * 4) + mask_row * (uint32_t)size;
}

static void write_image(FILE *f, int size)
{
	put32(f, 40);
	put32(f, (uint32_t)size);
	put32(f, (uint32_t)size * 2); /* XOR image and AND mask */
	put16(f, 1);
	put16(f, 32);
	for (int i = 0; i < 6; i++)
		put32(f, 0);
	uint8_t *bgra = calloc((size_t)size * size, 4);
	if (!bgra) {
		fprintf(stderr, "build_favicon: out of memory\n");
		exit(1);
	}
	draw(size, bgra);
	fwrite(bgra, 4, (size_t)size * size, f);
	free(bgra);
	for (uint32_t i = 0; i < image_bytes(size) - 40 - (uint32_t)(size * size * 4); i++)
		fputc(0, f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: build_favicon OUT.ico\n");
		return 1;
	}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		perror(tmp);
		return 1;
	}
	put16(f, 0);
	put16(f, 1); /* icon */
	put16(f, N_SIZES);
	uint32_t offset = 6 + 16 * N_SIZES;
	for (size_t i = 0; i < N_SIZES; i++) {
		fputc(SIZES[i] & 0xff, f);
		fputc(SIZES[i] & 0xff, f);
		fputc(0, f); /* no palette */
		fputc(0, f);
		put16(f, 1);
		put16(f, 32);
		put32(f, image_bytes(SIZES[i]));
		put32(f, offset);
		offset += image_bytes(SIZES[i]);
	}
	for (size_t i = 0; i < N_SIZES; i++)
		write_image(f, SIZES[i]);
	if (ferror(f) | fclose(f) || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		remove(tmp);
		return 1;
	}
	return 0;
}
