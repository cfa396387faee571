/*
 * The FHIR IssueType (OperationOutcome.issue.code, R4 value set
 * http://hl7.org/fhir/issue-type) of each finding code, beside the codes
 * table (codes.c): what kind of problem the finding is.  A code missing
 * here falls back on its family (the prefix), so that a new code still gets
 * a sensible type; tests/unit/test_diag.c checks every registered code maps
 * to a member of the value set.
 */
#include <string.h>

#include "zib.h"

static const struct {
	const char *code;
	const char *type;
} issue_types[] = {
	{ "ZIB-XML-001", "structure" },
	{ "ZIB-XML-002", "security" },
	{ "ZIB-XML-003", "structure" },
	{ "ZIB-DOC-001", "not-supported" },
	{ "ZIB-DOC-002", "too-long" },
	{ "ZIB-DOC-003", "not-found" },
	{ "ZIB-CDA-001", "structure" },
	{ "ZIB-CDA-002", "required" },
	{ "ZIB-CDA-003", "code-invalid" },
	{ "ZIB-CDA-004", "required" },
	{ "ZIB-CDA-010", "business-rule" },
	{ "ZIB-CDA-011", "required" },
	{ "ZIB-CDA-012", "business-rule" },
	{ "ZIB-CDA-013", "not-supported" },
	{ "ZIB-CDA-014", "incomplete" },
	{ "ZIB-CDA-020", "informational" },
	{ "ZIB-CDAW-005", "incomplete" },
	{ "ZIB-ADA-001", "structure" },
	{ "ZIB-ADA-002", "not-found" },
	{ "ZIB-FHIR-002", "duplicate" },
	{ "ZIB-FHIR-006", "value" },
	{ "ZIB-FHIR-010", "not-supported" },
	{ "ZIB-FHIR-012", "value" },
	{ "ZIB-FHIR-013", "not-supported" },
	{ "ZIB-FHIR-014", "too-costly" },
	{ "ZIB-FHIR-015", "not-supported" },
	{ "ZIB-FHIRZ-001", "not-supported" },
	{ "ZIB-FHIRZ-002", "not-found" },
	{ "ZIB-FHIRZ-003", "informational" },
	{ "ZIB-CARD-001", "required" },
	{ "ZIB-CARD-003", "required" },
	{ "ZIB-CDA-005", "required" },
	{ "ZIB-CDA-006", "required" },
	{ "ZIB-CARD-002", "structure" },
	{ "ZIB-DT-006", "required" },
	{ "ZIB-DT-007", "code-invalid" },
	{ "ZIB-VS-003", "value" },
	{ "ZIB-ID-004", "required" },
	{ "ZIB-SCH-001", "processing" },
	{ "ZIB-SCH-002", "not-supported" },
};

/* Code families: the type of every code of the family not listed above. */
static const struct {
	const char *prefix;
	const char *type;
} family_types[] = {
	{ "ZIB-XML-", "structure" },
	{ "ZIB-DOC-", "processing" },
	{ "ZIB-CDA-", "business-rule" },
	{ "ZIB-ADA-", "structure" },
	{ "ZIB-CDAW-", "not-supported" },
	{ "ZIB-CONV-", "not-supported" },
	{ "ZIB-FHIRZ-", "not-supported" },
	{ "ZIB-FHIR-", "structure" },
	/* FHIR conformance (lib/fhirval), as the HL7 validator types them */
	{ "ZIB-FHIRV-00", "structure" },
	{ "ZIB-FHIRV-01", "required" },
	{ "ZIB-FHIRV-02", "value" },
	{ "ZIB-FHIRV-030", "code-invalid" },
	{ "ZIB-FHIRV-031", "code-invalid" },
	{ "ZIB-FHIRV-032", "not-supported" },
	{ "ZIB-FHIRV-04", "structure" },
	{ "ZIB-FHIRV-050", "invalid" },
	{ "ZIB-FHIRV-051", "invalid" },
	{ "ZIB-FHIRV-052", "invariant" },
	{ "ZIB-FHIRV-053", "invariant" },
	{ "ZIB-FHIRV-060", "not-found" },
	{ "ZIB-FHIRV-061", "not-supported" },
	{ "ZIB-FHIRV-062", "structure" },
	{ "ZIB-FHIRV-063", "value" },
	{ "ZIB-FHIRV-064", "structure" },
	{ "ZIB-FHIRV-07", "invariant" },
	{ "ZIB-DT-", "value" },
	{ "ZIB-UNIT-", "value" },
	{ "ZIB-VS-", "code-invalid" },
	{ "ZIB-ID-", "value" },
	{ "ZIB-XSD-", "structure" },
	{ "ZIB-CARD-", "structure" },
	{ "SCH-", "invariant" },   /* a Schematron assert or report */
};

const char *zib_code_issue_type(const char *code)
{
	size_t i;

	if (!code)
		return "invalid";
	for (i = 0; i < sizeof(issue_types) / sizeof(issue_types[0]); i++)
		if (strcmp(code, issue_types[i].code) == 0)
			return issue_types[i].type;
	for (i = 0; i < sizeof(family_types) / sizeof(family_types[0]); i++)
		if (strncmp(code, family_types[i].prefix, strlen(family_types[i].prefix)) == 0)
			return family_types[i].type;
	return "invalid";
}
