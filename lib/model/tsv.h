/*
 * tsv: reads the tab-separated model tables (format: zib-models/README.md).
 * The header row must name exactly the expected columns; every data row must
 * have that many fields.  Errors name FILE:LINE.
 */
#ifndef ZIB_MODEL_TSV_H
#define ZIB_MODEL_TSV_H

#include <stddef.h>

#include "zib.h"

#define TSV_MAX_COLUMNS 16

struct tsv {
	const char *name;        /* file name for messages */
	char *text;              /* a private, writable copy */
	char *next;              /* where the next line starts */
	int line;                /* line number of the row last read */
	int ncolumns;
};

/* Starts reading text; checks the header against columns (NULL-ended). */
int tsv_open(struct tsv *t, const char *name, const char *text, size_t len,
	const char *const *columns, zib_error *err);
/* Reads the next data row into fields; 1 for a row, 0 at the end, <0 on error. */
int tsv_next(struct tsv *t, char *fields[TSV_MAX_COLUMNS], zib_error *err);
void tsv_close(struct tsv *t);

#endif
