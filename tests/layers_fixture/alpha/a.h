/* Sideways: one feature including another. */
#include "beta/b.h"
