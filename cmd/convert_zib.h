/* zib convert between models (cmd/convert_zib.c): one document into FHIR R4. */
#ifndef ZIB_CMD_CONVERT_ZIB_H
#define ZIB_CMD_CONVERT_ZIB_H

#include <stdio.h>

#include "core/buf.h"
#include "zib.h"

struct convert_zib_opts {
	const zib_ctx *ctx;
	int xml;              /* --format xml */
	int ndjson;           /* --format ndjson: the resources, one per line */
	int flags;            /* ZIB_FHIR_PRETTY */
	int strict;           /* what cannot be carried is an error: no output */
	zib_fhir_bundle bundle;
};

/* Converts one input; appends the output to out; findings to err_out.
 * Returns a ZIB_EXIT_* code. */
int convert_zib_job(const struct convert_zib_opts *o, const char *path, const char *data,
	size_t len, FILE *err_out, struct buf *out);

#endif
