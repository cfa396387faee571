#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

void zib_error_clear(zib_error *err)
{
	if (err) {
		err->status = ZIB_OK;
		err->message[0] = '\0';
	}
}

int error_set(zib_error *err, int status, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->status = status;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return status;
}
