/*
 * Every finding code libzib reports, once: code, severity, description.
 * man/zib-validate.1 lists this table.  Never renumber or reuse a code; a
 * retired code stays here as a comment.
 */
#include "zib.h"

static const struct {
	const char *code;
	zib_severity severity;
	const char *description;
} codes[] = {
	{ "ZIB-XML-001", ZIB_SEV_ERROR, "the document is not well-formed XML" },
	{ "ZIB-XML-002", ZIB_SEV_ERROR, "DOCTYPE with entity declarations or an external DTD refused (no DTD loading, no entity expansion)" },
	{ "ZIB-XML-003", ZIB_SEV_ERROR, "the document is empty" },
	{ "ZIB-DOC-001", ZIB_SEV_ERROR, "the document's format cannot be read into zibs (zib reads HL7 CDA, FHIR XML and JSON, and ADA)" },
	{ "ZIB-DOC-002", ZIB_SEV_ERROR, "the document is over the size limit (--max-size); refused unread" },
	{ "ZIB-DOC-003", ZIB_SEV_ERROR, "the input cannot be opened or read" },
	{ "ZIB-CDA-001", ZIB_SEV_ERROR, "root element is not an HL7 CDA ClinicalDocument" },
	{ "ZIB-CDA-002", ZIB_SEV_ERROR, "the BgZ 2020 document templateId 2.16.840.1.113883.2.4.3.11.60.126.10.1 is missing" },
	{ "ZIB-CDA-003", ZIB_SEV_ERROR, "the document code is not LOINC 60591-5" },
	{ "ZIB-CDA-004", ZIB_SEV_ERROR, "a required header part is missing (patient, author, custodian, effectiveTime, id, structuredBody)" },
	{ "ZIB-CDA-005", ZIB_SEV_ERROR, "a mandatory header element is a nullFlavor (the patient's id or birthTime, the document effectiveTime)" },
	{ "ZIB-CDA-006", ZIB_SEV_ERROR, "the HL7 NL CDA header templateId 2.16.840.1.113883.2.4.6.10.100001 is missing" },
	{ "ZIB-CDA-010", ZIB_SEV_ERROR, "a section template that does not belong in a BgZ 2020 document" },
	{ "ZIB-CDA-011", ZIB_SEV_WARNING, "a section without templateId" },
	{ "ZIB-CDA-012", ZIB_SEV_ERROR, "a section template not referenced by the BgZ 2020 document template (Uitslagen)" },
	{ "ZIB-CDA-013", ZIB_SEV_WARNING, "an entry or element with a template unknown to the BgZ 2020 and the zibs; not read" },
	{ "ZIB-CDA-014", ZIB_SEV_WARNING, "a section with neither narrative text nor entries" },
	{ "ZIB-CDA-020", ZIB_SEV_INFO, "content not mapped to a zib (shown with -v)" },
	{ "ZIB-CDAW-001", ZIB_SEV_WARNING, "convert --to cda: a zib without a CDA entry template in the BgZ 2020 is carried in the section narrative only (error with --strict)" },
	{ "ZIB-CDAW-002", ZIB_SEV_WARNING, "convert --to cda: a value or reference has no place in its CDA template; narrative only (error with --strict)" },
	{ "ZIB-CDAW-003", ZIB_SEV_WARNING, "convert --to cda: a zib instance has no place in a BgZ 2020 CDA document; not carried (error with --strict)" },
	{ "ZIB-CDAW-004", ZIB_SEV_WARNING, "convert --to cda: source content that was not read into zibs is not carried (error with --strict)" },
	{ "ZIB-CDAW-005", ZIB_SEV_INFO, "convert --to cda: a required header part (patient, author) is a placeholder with nullFlavor NI" },
	{ "ZIB-ADA-001", ZIB_SEV_ERROR, "root element is not an ADA transaction (adaxml/data or an element with @app)" },
	{ "ZIB-ADA-002", ZIB_SEV_WARNING, "an ADA reference names no instance in the document" },
	{ "ZIB-FHIR-001", ZIB_SEV_ERROR, "FHIR JSON is not well-formed" },
	{ "ZIB-FHIR-002", ZIB_SEV_ERROR, "a property appears twice in one FHIR JSON object" },
	{ "ZIB-FHIR-003", ZIB_SEV_ERROR, "an element the FHIR type does not have" },
	{ "ZIB-FHIR-004", ZIB_SEV_ERROR, "the wrong JSON type for a FHIR element" },
	{ "ZIB-FHIR-005", ZIB_SEV_ERROR, "no resourceType, an unknown one, or a root that is no FHIR resource" },
	{ "ZIB-FHIR-006", ZIB_SEV_ERROR, "a primitive value that does not fit its FHIR type (boolean, integer, decimal)" },
	{ "ZIB-FHIR-007", ZIB_SEV_ERROR, "an array for a FHIR element that does not repeat, or a single value for one that does" },
	{ "ZIB-FHIR-008", ZIB_SEV_ERROR, "the narrative div is not well-formed XHTML" },
	{ "ZIB-FHIR-009", ZIB_SEV_ERROR, "XML not in FHIR form (namespace, text content, unknown attribute)" },
	{ "ZIB-FHIR-010", ZIB_SEV_WARNING, "XML comments dropped: FHIR JSON has no comments" },
	{ "ZIB-FHIR-011", ZIB_SEV_ERROR, "the arrays name and _name of a repeating primitive do not match" },
	{ "ZIB-FHIR-012", ZIB_SEV_WARNING, "an empty FHIR value, object or array (error: a primitive with neither value nor extension)" },
	{ "ZIB-FHIR-013", ZIB_SEV_ERROR, "the input is neither FHIR XML nor FHIR JSON" },
	{ "ZIB-FHIR-014", ZIB_SEV_ERROR, "FHIR elements nested deeper than the limit (256)" },
	{ "ZIB-FHIR-015", ZIB_SEV_WARNING, "xsi:schemaLocation on the root dropped: it has no JSON form" },
	{ "ZIB-FHIRV-001", ZIB_SEV_ERROR, "FHIR structure: an Extension.url that is not an absolute URL, a primitive with neither value nor extension (ele-1), or an empty JSON array" },
	{ "ZIB-FHIRV-002", ZIB_SEV_ERROR, "FHIR narrative: an XHTML element or attribute txt-1 does not allow (script, event handlers, javascript: links)" },
	{ "ZIB-FHIRV-003", ZIB_SEV_ERROR, "FHIR narrative: no non-whitespace content (txt-2)" },
	{ "ZIB-FHIRV-004", ZIB_SEV_ERROR, "FHIR XML: an element out of the order the specification defines" },
	{ "ZIB-FHIRV-005", ZIB_SEV_INFO, "FHIR extension: an HL7 (hl7.org/fhir) or Nictiz (nictiz.nl, fhir.nl) extension whose definition is not loaded; not checked" },
	{ "ZIB-FHIRV-006", ZIB_SEV_ERROR, "FHIR extension: a value of a type the extension's definition does not allow" },
	{ "ZIB-FHIRV-007", ZIB_SEV_ERROR, "FHIR extension: a url that names no loaded extension definition (R4 core, the default profiles, --fhir-package)" },
	{ "ZIB-FHIRV-008", ZIB_SEV_ERROR, "FHIR extension: used on an element its definition's context does not allow" },
	{ "ZIB-FHIRV-009", ZIB_SEV_INFO, "FHIR conformance only (--checks fhir) on a document that is not FHIR: nothing checked beyond well-formedness" },
	{ "ZIB-FHIRV-010", ZIB_SEV_ERROR, "FHIR cardinality: an element the definition requires (min >= 1) is absent" },
	{ "ZIB-FHIRV-020", ZIB_SEV_ERROR, "FHIR primitive: a value not in the format of its type (date, dateTime, instant, time, oid, uuid, uri, code, positiveInt...; dates must exist)" },
	{ "ZIB-FHIRV-021", ZIB_SEV_ERROR, "FHIR primitive: a resource id that is not 1 to 64 of A-Z a-z 0-9 - ." },
	{ "ZIB-FHIRV-022", ZIB_SEV_ERROR, "FHIR primitive: a dateTime with a time but no timezone" },
	{ "ZIB-FHIRV-023", ZIB_SEV_ERROR, "FHIR primitive: base64Binary content that is not valid base64" },
	{ "ZIB-FHIRV-024", ZIB_SEV_ERROR, "FHIR Attachment: the stated size does not match the size of the data" },
	{ "ZIB-FHIRV-030", ZIB_SEV_ERROR, "FHIR binding: a code not in the value set of a required binding" },
	{ "ZIB-FHIRV-031", ZIB_SEV_WARNING, "FHIR binding: a code not in the value set of an extensible binding" },
	{ "ZIB-FHIRV-032", ZIB_SEV_INFO, "FHIR binding: not checked, the code system is not available locally (SNOMED CT, LOINC...), or an extensible base binding of a resource that claims a profile" },
	{ "ZIB-FHIRV-040", ZIB_SEV_ERROR, "FHIR reference: a local reference #id without a contained resource of that id (ref-1)" },
	{ "ZIB-FHIRV-041", ZIB_SEV_ERROR, "FHIR reference: resolves in the Bundle to a resource of another type than it names, or than the element allows" },
	{ "ZIB-FHIRV-042", ZIB_SEV_WARNING, "FHIR reference: matches more than one entry of the Bundle" },
	{ "ZIB-FHIRV-043", ZIB_SEV_ERROR, "FHIR reference: matches more than one entry of a document Bundle" },
	{ "ZIB-FHIRV-044", ZIB_SEV_ERROR, "FHIR profile reference: the resource a reference resolves to (contained, in the Bundle) conforms to none of the element's targetProfiles" },
	{ "ZIB-FHIRV-050", ZIB_SEV_ERROR, "FHIR Bundle: an entry without fullUrl (outside transactions and batches), or a fullUrl that is not absolute" },
	{ "ZIB-FHIRV-051", ZIB_SEV_ERROR, "FHIR Bundle: a RESTful fullUrl that does not end in its resource's type and id" },
	{ "ZIB-FHIRV-052", ZIB_SEV_ERROR, "FHIR Bundle: an invariant bdl-1 to bdl-12 fails" },
	{ "ZIB-FHIRV-053", ZIB_SEV_ERROR, "FHIR Bundle: two entries with the same fullUrl (and versionId) (bdl-7)" },
	{ "ZIB-FHIRV-060", ZIB_SEV_WARNING, "FHIR profile: a profile (--profile, meta.profile) that is not loaded; not checked" },
	{ "ZIB-FHIRV-062", ZIB_SEV_ERROR, "FHIR profile: an element or slice occurs fewer or more times than the profile allows, or a profile for another resource type" },
	{ "ZIB-FHIRV-063", ZIB_SEV_ERROR, "FHIR profile: a value of a type, or not matching the fixed value, pattern, maxLength or required binding, the profile does not allow" },
	{ "ZIB-FHIRV-064", ZIB_SEV_ERROR, "FHIR profile: a value that matches no slice of a closed slicing, or slices out of order" },
	{ "ZIB-FHIRV-070", ZIB_SEV_ERROR, "FHIR invariant: a constraint (FHIRPath) of the definition or profile does not hold (warning when the constraint is a warning)" },
	{ "ZIB-FHIRV-061", ZIB_SEV_INFO, "FHIR STU3: what was checked of an STU3 (zib2017) document and by which definitions, or that FHIR conformance was not checked because the document's release is not evident" },
	{ "ZIB-CONV-001", ZIB_SEV_WARNING, "convert --to fhir-r4: a zib value or instance the R4 Bundle cannot hold; not carried (error with --strict)" },
	{ "ZIB-CONV-002", ZIB_SEV_WARNING, "convert --to fhir-r4: source content outside the zibs is not carried (error with --strict)" },
	{ "ZIB-CONV-003", ZIB_SEV_WARNING, "convert --to fhir-r4: a value written as FHIR allows, with a loss (a time without zone as its date, a required element absent); error with --strict" },
	{ "ZIB-FHIRZ-001", ZIB_SEV_WARNING, "a FHIR resource that fits no zib (by meta.profile, type or code); not read" },
	{ "ZIB-FHIRZ-002", ZIB_SEV_WARNING, "a FHIR reference that does not resolve within the input" },
	{ "ZIB-FHIRZ-003", ZIB_SEV_INFO, "FHIR content not mapped to a zib (shown with -v)" },
	{ "ZIB-CARD-001", ZIB_SEV_WARNING, "a concept the zib requires (minimum cardinality) is absent" },
	{ "ZIB-CARD-002", ZIB_SEV_ERROR, "a concept occurs more often than the zib allows" },
	{ "ZIB-CARD-003", ZIB_SEV_ERROR, "a concept both the zib and the BgZ 2020 transaction require is absent (CDA)" },
	{ "ZIB-DT-001", ZIB_SEV_ERROR, "a date/time (TS) is not a valid HL7 timestamp" },
	{ "ZIB-DT-002", ZIB_SEV_ERROR, "a quantity (PQ) value is not a decimal number" },
	{ "ZIB-DT-003", ZIB_SEV_ERROR, "a quantity (PQ) unit is not a valid UCUM expression" },
	{ "ZIB-DT-004", ZIB_SEV_ERROR, "a boolean (BL) is not 'true' or 'false'" },
	{ "ZIB-DT-005", ZIB_SEV_ERROR, "an integer (INT) is not a whole number" },
	{ "ZIB-DT-006", ZIB_SEV_WARNING, "a quantity (PQ) has no unit" },
	{ "ZIB-DT-007", ZIB_SEV_WARNING, "a quantity (PQ) unit is valid UCUM syntax but not a known UCUM unit" },
	{ "ZIB-DT-008", ZIB_SEV_ERROR, "a quantity (PQ) unit in HL7 CDA is not a known UCUM unit (the PQ datatype requires UCUM)" },
	{ "ZIB-UNIT-001", ZIB_SEV_ERROR, "a quantity's unit does not fit the zib (its unit list, or the kind of quantity: a mass, a length)" },
	{ "ZIB-UNIT-002", ZIB_SEV_ERROR, "a quantity in HL7 CDA without unit where the zib needs one (HL7 reads unit 1)" },
	{ "ZIB-VS-001", ZIB_SEV_ERROR, "a code is not in the zib's (enumerable) value set" },
	{ "ZIB-VS-002", ZIB_SEV_WARNING, "a code system OID the zib models do not know" },
	{ "ZIB-VS-003", ZIB_SEV_ERROR, "a coded value without code system, or a code system that is not an OID" },
	{ "ZIB-ID-001", ZIB_SEV_ERROR, "a BSN is not 9 digits" },
	{ "ZIB-ID-002", ZIB_SEV_ERROR, "a BSN fails the eleven-test (elfproef)" },
	{ "ZIB-ID-003", ZIB_SEV_ERROR, "an identifier's system is not a valid OID (or URI)" },
	{ "ZIB-ID-004", ZIB_SEV_WARNING, "an identifier without value (extension) and without nullFlavor" },
	{ "ZIB-ID-005", ZIB_SEV_ERROR, "a patient identifier under a register of care providers or organisations (AGB, UZI, URA, BIG), which cannot identify a patient" },
	{ "ZIB-XSD-001", ZIB_SEV_ERROR, "the document does not conform to the XML schema" },
	{ "ZIB-SCH-001", ZIB_SEV_ERROR, "a Schematron test could not be evaluated on this document" },
	{ "ZIB-SCH-002", ZIB_SEV_WARNING, "no rule file of the --package applies to the document" },
};

size_t zib_code_count(void)
{
	return sizeof(codes) / sizeof(codes[0]);
}

void zib_code_at(size_t index, const char **code, zib_severity *severity, const char **description)
{
	if (index >= zib_code_count())
		return;
	if (code)
		*code = codes[index].code;
	if (severity)
		*severity = codes[index].severity;
	if (description)
		*description = codes[index].description;
}
