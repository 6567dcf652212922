/* Goes up a layer. */
#include "web/page.h"
