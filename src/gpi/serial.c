/* The Grand Prix data's serial (serial.h): one counter per process. */
#include "gpi/serial.h"

static uint64_t serial;

uint64_t gpi_serial(void)
{
	return __atomic_load_n(&serial, __ATOMIC_SEQ_CST);
}

void gpi_serial_move(void)
{
	__atomic_add_fetch(&serial, 1, __ATOMIC_SEQ_CST);
}
