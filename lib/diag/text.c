/*
 * The text form of a finding, shaped like a compiler message so editors
 * can jump to it:  FILE:LINE:COL: LEVEL[CODE] ZIB (CONCEPT): message
 * followed, when known, by the path and the expected and actual values.
 */
#include <stdio.h>

#include "zib.h"

const char *zib_severity_name(zib_severity sev)
{
	switch (sev) {
	case ZIB_SEV_ERROR: return "error";
	case ZIB_SEV_WARNING: return "warning";
	default: return "info";
	}
}

static const char *severity_color(zib_severity sev)
{
	switch (sev) {
	case ZIB_SEV_ERROR: return "\033[1;31m";
	case ZIB_SEV_WARNING: return "\033[1;35m";
	default: return "\033[1;36m";
	}
}

void zib_diag_write_text(FILE *out, const zib_diag *d, int color)
{
	fputs(d->file ? d->file : "<input>", out);
	if (d->line > 0) {
		fprintf(out, ":%d", d->line);
		if (d->column > 0)
			fprintf(out, ":%d", d->column);
	}
	fputs(": ", out);
	if (color)
		fputs(severity_color(d->severity), out);
	fputs(zib_severity_name(d->severity), out);
	if (d->code)
		fprintf(out, "[%s]", d->code);
	if (color)
		fputs("\033[0m", out);
	fputc(' ', out);
	if (d->zib) {
		fputs(d->zib, out);
		if (d->concept)
			fprintf(out, " (%s)", d->concept);
		fputs(": ", out);
	} else if (d->concept) {
		fprintf(out, "%s: ", d->concept);
	}
	fputs(d->message ? d->message : "", out);
	if (d->expected || d->actual) {
		fputs(" (", out);
		if (d->expected)
			fprintf(out, "expected '%s'", d->expected);
		if (d->expected && d->actual)
			fputs(", ", out);
		if (d->actual)
			fprintf(out, "got '%s'", d->actual);
		fputc(')', out);
	}
	fputc('\n', out);
	if (d->path)
		fprintf(out, "    at %s\n", d->path);
}
