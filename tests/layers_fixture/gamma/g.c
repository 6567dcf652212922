/* A folder LAYERS does not name. */
#include "core/clock.h"
