/*
 * libFuzzer target: XSD validation.  The input is a document checked by
 * zib_check_document against a small schema of CDA-like types written
 * once (the schema layer, its error findings, the checks after it).
 */
#include "fuzz_util.h"

static const char xsd[] =
	"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:hl7-org:v3\" "
	"xmlns=\"urn:hl7-org:v3\" elementFormDefault=\"qualified\">"
	"<xs:simpleType name=\"ts\"><xs:restriction base=\"xs:string\">"
	"<xs:pattern value=\"[0-9]{1,8}([0-9]{6}([+\\-][0-9]{4})?)?\"/></xs:restriction></xs:simpleType>"
	"<xs:complexType name=\"II\"><xs:attribute name=\"root\" type=\"xs:string\"/>"
	"<xs:attribute name=\"extension\" type=\"xs:string\"/></xs:complexType>"
	"<xs:complexType name=\"TS\"><xs:attribute name=\"value\" type=\"ts\"/></xs:complexType>"
	"<xs:complexType name=\"Doc\"><xs:sequence>"
	"<xs:element name=\"templateId\" type=\"II\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>"
	"<xs:element name=\"id\" type=\"II\"/>"
	"<xs:element name=\"effectiveTime\" type=\"TS\" minOccurs=\"0\"/>"
	"<xs:any processContents=\"lax\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>"
	"</xs:sequence><xs:attribute name=\"classCode\" type=\"xs:token\"/></xs:complexType>"
	"<xs:element name=\"ClinicalDocument\" type=\"Doc\"/></xs:schema>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static zib_schema *schema;
	zib_check_options opts = ZIB_CHECK_OPTIONS_INIT;
	zib_report *report = NULL;
	zib_error err;

	if (!schema && zib_schema_load(&schema, fuzz_file("cda.xsd", xsd, sizeof(xsd) - 1),
	    &err) != ZIB_OK)
		abort();
	opts.schema = schema;
	if (zib_report_new(&report) != ZIB_OK)
		abort();
	zib_check_document(NULL, fuzz_ctx(), &opts, "fuzz.xml", (const char *)data, size, report, &err);
	zib_report_free(report);
	return 0;
}
