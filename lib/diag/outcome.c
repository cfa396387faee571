/*
 * A FHIR R4 OperationOutcome (JSON) for the whole batch: one issue per
 * finding, the code in details.coding (system urn:zibkit:codes), the file,
 * line and XPath in location/expression and an extension-free diagnostics
 * string.  FHIR findings (ZIB-FHIR*) line up with the HL7 validator's
 * issues: issue.code by rule class, location the FHIRPath and
 * "Line[n] Col[m]", expression the FHIRPath.  An empty batch of findings gives one "informational" issue, as
 * the resource requires at least one.
 */
#include <string.h>

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

/* The issue type of a FHIR conformance finding, as the HL7 validator
 * gives it; NULL for other findings. */
static const char *fhir_issue_type(const char *code)
{
	static const struct {
		const char *prefix;
		const char *type;
	} map[] = {
		{ "ZIB-FHIRV-00", "structure" }, { "ZIB-FHIRV-01", "required" },
		{ "ZIB-FHIRV-02", "value" }, { "ZIB-FHIRV-030", "code-invalid" },
		{ "ZIB-FHIRV-031", "code-invalid" }, { "ZIB-FHIRV-032", "not-supported" },
		{ "ZIB-FHIRV-04", "structure" }, { "ZIB-FHIRV-050", "invalid" },
		{ "ZIB-FHIRV-051", "invalid" }, { "ZIB-FHIRV-052", "invariant" },
		{ "ZIB-FHIRV-053", "invariant" }, { "ZIB-FHIRV-060", "not-found" },
		{ "ZIB-FHIRV-061", "not-supported" }, { "ZIB-FHIRV-062", "structure" },
		{ "ZIB-FHIRV-063", "value" }, { "ZIB-FHIRV-064", "structure" },
		{ "ZIB-FHIRV-07", "invariant" },
		{ "ZIB-FHIR-", "structure" },
	};
	size_t i;

	for (i = 0; code && i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(code, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].type;
	return NULL;
}

void diag_outcome_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min)
{
	size_t i;

	(void)index;
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		char where[4096];
		const char *type = fhir_issue_type(d->code);
		if (d->severity < min)
			continue;
		if (!type)
			type = d->severity == ZIB_SEV_INFO ? "informational" : "invalid";
		fprintf(out, "%s\n  {\"severity\": \"%s\", \"code\": \"%s\", \"details\": {\"coding\": "
			"[{\"system\": \"urn:zibkit:codes\", \"code\": ", outcome_count++ ? "," : "",
			fhir_severity(d->severity), type);
		diag_json_str(out, d->code);
		fputs("}], \"text\": ", out);
		diag_json_str(out, d->message);
		fputs("}, \"diagnostics\": ", out);
		snprintf(where, sizeof(where), "%s:%d:%d", d->file ? d->file : file, d->line, d->column);
		diag_json_str(out, where);
		fputs(", \"location\": [", out);
		if (d->path && fhir_issue_type(d->code)) {
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
}

void diag_outcome_end(FILE *out, const zib_render_totals *t)
{
	if (outcome_count == 0)
		fprintf(out, "\n  {\"severity\": \"information\", \"code\": \"informational\", "
			"\"diagnostics\": \"%zu documents, no findings\"}", t->documents);
	fputs("\n]}\n", out);
}
