/* The serial of this process's copies of the Grand Prix's data: the
 * editions, the candidatures' index, the grids' index and the declared
 * conflicts. Each copy's builder moves it before the copy it builds
 * replaces the last, so a page kept under the serial read before its data
 * is stale as soon as any copy it was built from has been replaced: a
 * juror's own page (ui-juror.c) is served again only while nothing it
 * shows has changed in this process. */
#ifndef COUSILAB_GPI_SERIAL_H
#define COUSILAB_GPI_SERIAL_H

#include <stdint.h>

/* Returns the current serial. Read it before the data a copy is built
 * from. Thread-safe, no allocation. */
uint64_t gpi_serial(void);

/* Moves the serial: called by a builder of one of the copies above before
 * its new copy is installed (a copy built and then dropped only costs a
 * rebuilt page). Thread-safe, no allocation. */
void gpi_serial_move(void);

#endif
