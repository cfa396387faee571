/*
 * A FHIR R4 OperationOutcome (JSON) for the whole batch: one issue per
 * finding, the code in details.coding (system urn:zibkit:codes), the file,
 * line and XPath in location/expression and an extension-free diagnostics
 * string.  An empty batch of findings gives one "informational" issue, as
 * the resource requires at least one.
 */
#include "diag/render.h"

static size_t outcome_count;

void diag_outcome_begin(FILE *out, const zib_render_totals *t)
{
	(void)t;
	outcome_count = 0;
	fputs("{\"resourceType\": \"OperationOutcome\", \"issue\": [", out);
}

static const char *fhir_severity(zib_severity s)
{
	return s == ZIB_SEV_ERROR ? "error" : s == ZIB_SEV_WARNING ? "warning" : "information";
}

void diag_outcome_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min)
{
	size_t i;

	(void)index;
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		char where[4096];
		if (d->severity < min)
			continue;
		fprintf(out, "%s\n  {\"severity\": \"%s\", \"code\": \"%s\", \"details\": {\"coding\": "
			"[{\"system\": \"urn:zibkit:codes\", \"code\": ", outcome_count++ ? "," : "",
			fhir_severity(d->severity), d->severity == ZIB_SEV_INFO ? "informational" : "invalid");
		diag_json_str(out, d->code);
		fputs("}], \"text\": ", out);
		diag_json_str(out, d->message);
		fputs("}, \"diagnostics\": ", out);
		snprintf(where, sizeof(where), "%s:%d:%d", d->file ? d->file : file, d->line, d->column);
		diag_json_str(out, where);
		fputs(", \"location\": [", out);
		diag_json_str(out, where);
		fputc(']', out);
		if (d->path) {
			fputs(", \"expression\": [", out);
			diag_json_str(out, d->path);
			fputc(']', out);
		}
		fputc('}', out);
	}
}

void diag_outcome_end(FILE *out, const zib_render_totals *t)
{
	if (outcome_count == 0)
		fprintf(out, "\n  {\"severity\": \"information\", \"code\": \"informational\", "
			"\"diagnostics\": \"%zu documents, no findings\"}", t->documents);
	fputs("\n]}\n", out);
}
