/*
 * FHIR R4 OperationOutcome (JSON), one per document: one issue per
 * finding, its code the FHIR IssueType of the finding kind (issuetype.c),
 * the finding code in details.coding (system urn:zibkit:codes), the file,
 * line and path in location/expression and diagnostics; FHIR findings
 * (ZIB-FHIR*) line up with the HL7 validator: location the FHIRPath and
 * "Line[n] Col[m]", expression the FHIRPath.  A document
 * without findings gets one "informational" issue, as the resource needs
 * at least one.  A batch of several documents is a Bundle (type
 * collection) with one OperationOutcome entry per document, in input order.
 */
#include <string.h>

#include "diag/render.h"

static int outcome_bundle;

void diag_outcome_begin(FILE *out, const zib_render_totals *t)
{
	outcome_bundle = t->documents != 1;
	if (outcome_bundle)
		fputs("{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [", out);
}

static const char *fhir_severity(zib_severity s)
{
	return s == ZIB_SEV_ERROR ? "error" : s == ZIB_SEV_WARNING ? "warning" : "information";
}

/* Whether code is a FHIR-level finding, located as the HL7 validator does. */
static int is_fhir_code(const char *code)
{
	return code && strncmp(code, "ZIB-FHIR", 8) == 0 && strncmp(code, "ZIB-FHIRZ-", 10) != 0;
}

static void issue(FILE *out, const zib_diag *d, const char *file, int first)
{
	char where[4096];

	fprintf(out, "%s\n  {\"severity\": \"%s\", \"code\": \"%s\", \"details\": {\"coding\": "
		"[{\"system\": \"urn:zibkit:codes\", \"code\": ", first ? "" : ",",
		fhir_severity(d->severity), zib_code_issue_type(d->code));
	diag_json_str(out, d->code);
	fputs("}], \"text\": ", out);
	diag_json_str(out, d->message);
	fputs("}, \"diagnostics\": ", out);
	snprintf(where, sizeof(where), "%s:%d:%d", d->file ? d->file : file, d->line, d->column);
	diag_json_str(out, where);
	fputs(", \"location\": [", out);
	if (d->path && is_fhir_code(d->code)) {
		char line[64];
		diag_json_str(out, d->path);
		snprintf(line, sizeof(line), "Line[%d] Col[%d]", d->line, d->column);
		fputs(", ", out);
		diag_json_str(out, line);
	} else {
		diag_json_str(out, where);
	}
	fputc(']', out);
	if (d->path) {
		fputs(", \"expression\": [", out);
		diag_json_str(out, d->path);
		fputc(']', out);
	}
	fputc('}', out);
}

void diag_outcome_document(FILE *out, const zib_render_item *it)
{
	size_t i, shown = 0;
	char none[4096];

	if (outcome_bundle)
		fprintf(out, "%s\n{\"resource\": ", it->index ? "," : "");
	fprintf(out, "{\"resourceType\": \"OperationOutcome\", \"id\": \"document-%zu\", \"issue\": [",
		it->index + 1);
	for (i = 0; i < zib_report_count(it->report); i++) {
		const zib_diag *d = zib_report_at(it->report, i);
		if (d->severity >= it->min_severity)
			issue(out, d, it->file, shown++ == 0);
	}
	if (!shown) {
		snprintf(none, sizeof(none), "%s: no findings", it->file);
		fputs("\n  {\"severity\": \"information\", \"code\": \"informational\", \"diagnostics\": ", out);
		diag_json_str(out, none);
		fputc('}', out);
	}
	fputs("\n]}", out);
	if (outcome_bundle)
		fputc('}', out);
	else
		fputc('\n', out);
}

void diag_outcome_end(FILE *out, const zib_render_totals *t)
{
	(void)t;
	if (outcome_bundle)
		fputs("\n]}\n", out);
}
