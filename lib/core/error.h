/*
 * Internal helpers for filling a caller's zib_error.
 */
#ifndef ZIB_CORE_ERROR_H
#define ZIB_CORE_ERROR_H

#include "zib.h"

/* Sets err (when not NULL) and returns status, so callers can write
 * `return error_set(err, ZIB_EIO, "cannot open '%s'", path);`. */
int error_set(zib_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
