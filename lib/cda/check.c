/*
 * Document identity of a BgZ CDA document: the root element, the BgZ 2020
 * document template, the LOINC document code and the header parts CDA and
 * the BgZ require, and that those the transaction marks mandatory carry a
 * value, not a nullFlavor.  Zib-level rules live in lib/validate/.
 */
#include <string.h>

#include "cda/cda.h"
#include "cda/map.h"
#include "core/xml.h"

static void finding(zib_report *report, const char *file, const xmlNode *node,
	const char *code, zib_severity sev, const char *expected, const char *actual, const char *msg)
{
	zib_diag d;
	char path[1024];

	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.code = code;
	d.file = file;
	d.line = node ? (int)xmlGetLineNo((xmlNodePtr)node) : 0;
	d.path = node ? xml_node_path_hl7(node, path, sizeof(path)) : NULL;
	d.expected = expected;
	d.actual = actual;
	d.message = msg;
	zib_report_add(report, &d);
}

static int has_template(const xmlNode *root, const char *oid)
{
	const xmlNode *c;

	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "templateId") == 0 &&
		    cda_attr(c, "root") && strcmp(cda_attr(c, "root"), oid) == 0)
			return 1;
	return 0;
}

/* Every id of the patient a nullFlavor: the patient has no identifier. */
static void check_patient_ids(const xmlNode *role, const char *file, zib_report *report)
{
	const xmlNode *c, *null_id = NULL;
	int ids = 0;

	for (c = role ? role->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "id") != 0)
			continue;
		if (cda_attr(c, "nullFlavor") && !null_id)
			null_id = c;
		else if (!cda_attr(c, "nullFlavor"))
			ids++;
	}
	if (null_id && !ids)
		finding(report, file, null_id, CDA_CODE_HEADER_NULL, ZIB_SEV_ERROR, "a patient identifier",
			cda_attr(null_id, "nullFlavor"), "the patient's id is a nullFlavor");
}

/*
 * The HL7 NL header template and the header values a BgZ document cannot
 * go without: the patient's id (every one a nullFlavor is none) and
 * birthTime, the document's effectiveTime.  Findings, not a reason to stop
 * reading: the document is still CDA.
 */
static void check_header_values(xmlNode *root, const char *file, zib_report *report)
{
	static const struct { const char *path[4]; const char *what; } values[] = {
		{ { "effectiveTime", NULL }, "the document effectiveTime" },
		{ { "recordTarget", "patientRole", "patient", "birthTime" }, "the patient's birthTime" },
	};
	xmlNode *role = cda_child(cda_child(root, "recordTarget"), "patientRole");
	size_t i, k;

	if (!has_template(root, CDA_NL_HEADER_TEMPLATE))
		finding(report, file, root, CDA_CODE_NL_HEADER, ZIB_SEV_ERROR, CDA_NL_HEADER_TEMPLATE, NULL,
			"document lacks the HL7 NL CDA header templateId");
	/* In document order: effectiveTime, the patient's ids, birthTime. */
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		xmlNode *n = root;
		char msg[128];
		if (i == 1)
			check_patient_ids(role, file, report);
		for (k = 0; n && k < 4 && values[i].path[k]; k++)
			n = cda_child(n, values[i].path[k]);
		if (!n || !cda_attr(n, "nullFlavor"))
			continue;
		snprintf(msg, sizeof(msg), "%s is a nullFlavor", values[i].what);
		finding(report, file, n, CDA_CODE_HEADER_NULL, ZIB_SEV_ERROR, "a value",
			cda_attr(n, "nullFlavor"), msg);
	}
}

int cda_check_document(xmlDoc *xml, const char *file, zib_report *report)
{
	static const struct { const char *path[4]; const char *what; } required[] = {
		{ { "recordTarget", "patientRole", NULL }, "recordTarget/patientRole (the patient)" },
		{ { "author", NULL }, "author" },
		{ { "custodian", NULL }, "custodian" },
		{ { "effectiveTime", NULL }, "effectiveTime" },
		{ { "id", NULL }, "id" },
		{ { "component", "structuredBody", NULL }, "component/structuredBody" },
	};
	xmlNode *root = xmlDocGetRootElement(xml), *code;
	int errors = 0;
	size_t i, k;

	if (!root || strcmp((const char *)root->name, "ClinicalDocument") != 0 || !root->ns ||
	    strcmp((const char *)root->ns->href, "urn:hl7-org:v3") != 0) {
		finding(report, file, root, CDA_CODE_NOT_CDA, ZIB_SEV_ERROR, "ClinicalDocument",
			root ? (const char *)root->name : NULL,
			"root element is not an HL7 CDA ClinicalDocument in namespace urn:hl7-org:v3");
		return 1;
	}
	if (!has_template(root, CDA_BGZ_DOCUMENT_TEMPLATE)) {
		finding(report, file, root, CDA_CODE_TEMPLATE, ZIB_SEV_ERROR, CDA_BGZ_DOCUMENT_TEMPLATE, NULL,
			"document lacks the BgZ 2020 document templateId");
		errors++;
	}
	code = cda_child(root, "code");
	if (!code || !cda_attr(code, "code") || strcmp(cda_attr(code, "code"), CDA_BGZ_LOINC_CODE) != 0 ||
	    !cda_attr(code, "codeSystem") || strcmp(cda_attr(code, "codeSystem"), CDA_LOINC) != 0) {
		finding(report, file, code ? code : root, CDA_CODE_LOINC, ZIB_SEV_ERROR,
			CDA_BGZ_LOINC_CODE " (LOINC " CDA_LOINC ")", code ? cda_attr(code, "code") : NULL,
			"document code is not LOINC 60591-5 (Patient summary Document)");
		errors++;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		xmlNode *n = root;
		for (k = 0; n && required[i].path[k]; k++)
			n = cda_child(n, required[i].path[k]);
		if (!n) {
			char msg[256];
			snprintf(msg, sizeof(msg), "required header part '%s' is missing", required[i].what);
			finding(report, file, root, CDA_CODE_HEADER, ZIB_SEV_ERROR, required[i].what, NULL, msg);
			errors++;
		}
	}
	check_header_values(root, file, report);
	return errors;
}
