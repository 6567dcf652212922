/* And back: a cycle between alpha and beta. */
#include "alpha/a.h"
