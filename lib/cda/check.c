/*
 * Document identity of a BgZ CDA document: the root element, the BgZ 2020
 * document template, the LOINC document code and the header parts CDA and
 * the BgZ require.  Zib-level rules live in lib/validate/.
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
	xmlNode *root = xmlDocGetRootElement(xml), *c, *code;
	int errors = 0, has_template = 0;
	size_t i, k;

	if (!root || strcmp((const char *)root->name, "ClinicalDocument") != 0 || !root->ns ||
	    strcmp((const char *)root->ns->href, "urn:hl7-org:v3") != 0) {
		finding(report, file, root, CDA_CODE_NOT_CDA, ZIB_SEV_ERROR, "ClinicalDocument",
			root ? (const char *)root->name : NULL,
			"root element is not an HL7 CDA ClinicalDocument in namespace urn:hl7-org:v3");
		return 1;
	}
	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "templateId") == 0 &&
		    cda_attr(c, "root") && strcmp(cda_attr(c, "root"), CDA_BGZ_DOCUMENT_TEMPLATE) == 0)
			has_template = 1;
	if (!has_template) {
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
	return errors;
}
