/* The renderers of a batch of reports, one file per format (render.c). */
#ifndef ZIB_DIAG_RENDER_H
#define ZIB_DIAG_RENDER_H

#include <stdio.h>

#include "zib.h"

/* Writes s quoted as a JSON string / escaped as XML text. */
void render_json_str(FILE *out, const char *s);
void render_xml_str(FILE *out, const char *s);

void json_begin(FILE *out, const zib_render_totals *t);
/* fail_on: the least severity that fails the document ("valid": false, a
 * JUnit <failure>). */
void json_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min,
	zib_severity fail_on);
void json_end(FILE *out, const zib_render_totals *t);
void junit_begin(FILE *out, const zib_render_totals *t);
void junit_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min,
	zib_severity fail_on);
void junit_end(FILE *out, const zib_render_totals *t);
void sarif_begin(FILE *out, const zib_render_totals *t);
void sarif_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min);
void sarif_end(FILE *out, const zib_render_totals *t);
void outcome_begin(FILE *out, const zib_render_totals *t);
void outcome_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min);
void outcome_end(FILE *out, const zib_render_totals *t);

#endif
