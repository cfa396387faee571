#include "zib.h"
const char *zib_version(void) { return "0.1.0"; }
int zib_version_number(void) { return ZIB_VERSION_NUMBER; }
