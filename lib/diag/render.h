/* The renderers of a batch of reports, one file per format (render.c). */
#ifndef ZIB_DIAG_RENDER_H
#define ZIB_DIAG_RENDER_H

#include <stdio.h>

#include "zib.h"

/* Writes s quoted as a JSON string / escaped as XML text. */
void render_json_str(FILE *out, const char *s);
void render_xml_str(FILE *out, const char *s);

void json_begin(FILE *out, const zib_render_totals *t);
void json_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min);
void json_end(FILE *out, const zib_render_totals *t);
void junit_begin(FILE *out, const zib_render_totals *t);
void junit_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min);
void junit_end(FILE *out, const zib_render_totals *t);
void sarif_begin(FILE *out, const zib_render_totals *t);
void sarif_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min);
void sarif_end(FILE *out, const zib_render_totals *t);
void outcome_begin(FILE *out, const zib_render_totals *t);
void outcome_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min);
void outcome_end(FILE *out, const zib_render_totals *t);

#endif
