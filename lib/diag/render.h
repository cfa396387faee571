/* The renderers of a batch of reports, one file per format (render.c). */
#ifndef ZIB_DIAG_RENDER_H
#define ZIB_DIAG_RENDER_H

#include <stdio.h>

#include "zib.h"

/* Writes s quoted as a JSON string / escaped as XML text. */
void diag_json_str(FILE *out, const char *s);
void diag_xml_str(FILE *out, const char *s);

/* Each format: begin, one call per document, end (render.c dispatches). */
void diag_json_begin(FILE *out, const zib_render_totals *t);
void diag_json_document(FILE *out, const zib_render_item *it);
void diag_json_end(FILE *out, const zib_render_totals *t);
void diag_junit_begin(FILE *out, const zib_render_totals *t);
void diag_junit_document(FILE *out, const zib_render_item *it);
void diag_junit_end(FILE *out, const zib_render_totals *t);
void diag_sarif_begin(FILE *out, const zib_render_totals *t);
void diag_sarif_document(FILE *out, const zib_render_item *it);
void diag_sarif_end(FILE *out, const zib_render_totals *t);
void diag_outcome_begin(FILE *out, const zib_render_totals *t);
void diag_outcome_document(FILE *out, const zib_render_item *it);
void diag_outcome_end(FILE *out, const zib_render_totals *t);
void diag_html_begin(FILE *out, const zib_render_totals *t);
void diag_html_document(FILE *out, const zib_render_item *it);
void diag_html_end(FILE *out, const zib_render_totals *t);

#endif
