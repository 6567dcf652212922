/* A lower layer: allowed. */
#include "core/clock.h"
