/*
 * Unit tests of lib/core/xml.c (safe parsing) and format sniffing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xml.h"
#include "harness.h"
#include "zib.h"

static int parse(const char *text, zib_report *r, xmlDoc **doc)
{
	zib_error err;

	return xml_parse(doc, text, strlen(text), "t.xml", r, &err);
}

TEST(xml, well_formed_document_parses_with_line_numbers)
{
	zib_report *r;
	xmlDoc *doc;

	zib_report_new(&r);
	ASSERT_INT_EQ(ZIB_OK, parse("<?xml version='1.0'?>\n<a>\n  <b/>\n</a>\n", r, &doc));
	ASSERT(doc != NULL);
	ASSERT_INT_EQ(3, xmlGetLineNo(xmlDocGetRootElement(doc)->children->next));
	ASSERT_INT_EQ(0, zib_report_count(r));
	xmlFreeDoc(doc);
	zib_report_free(r);
}

TEST(xml, malformed_is_a_finding_with_line)
{
	zib_report *r;
	xmlDoc *doc;
	const zib_diag *d;

	zib_report_new(&r);
	ASSERT_INT_EQ(ZIB_EPARSE, parse("<a>\n<b>\n</a>\n", r, &doc));
	ASSERT(doc == NULL);
	ASSERT(zib_report_count(r) >= 1);
	d = zib_report_at(r, 0);
	ASSERT_STR_EQ("ZIB-XML-001", d->code);
	ASSERT_INT_EQ(3, d->line);
	ASSERT_STR_EQ("t.xml", d->file);
	ASSERT(d->message[0] >= 'a' && d->message[0] <= 'z');
	zib_report_free(r);
}

TEST(xml, empty_document_is_reported)
{
	zib_report *r;
	xmlDoc *doc;

	zib_report_new(&r);
	ASSERT_INT_EQ(ZIB_EPARSE, parse(" \n\t", r, &doc));
	ASSERT_STR_EQ("ZIB-XML-003", zib_report_at(r, 0)->code);
	zib_report_free(r);
}

TEST(xml, external_entity_is_refused_and_never_read)
{
	char secret[] = "/tmp/zib-xxe-XXXXXX", text[1024];
	zib_report *r;
	xmlDoc *doc = NULL;
	int fd = mkstemp(secret);
	size_t i;

	ASSERT(fd >= 0);
	ASSERT_INT_EQ(11, write(fd, "TOPSECRET42", 11));
	close(fd);
	snprintf(text, sizeof(text), "<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE a [ <!ENTITY x SYSTEM \"file://%s\"> ]>\n<a>&x;</a>\n", secret);
	zib_report_new(&r);
	ASSERT_INT_EQ(ZIB_EPARSE, parse(text, r, &doc));
	ASSERT(doc == NULL);
	for (i = 0; i < zib_report_count(r); i++)
		ASSERT(strstr(zib_report_at(r, i)->message, "TOPSECRET42") == NULL);
	ASSERT_STR_EQ("ZIB-XML-002", zib_report_at(r, zib_report_count(r) - 1)->code);
	zib_report_free(r);
	unlink(secret);
}

TEST(xml, external_dtd_is_not_loaded)
{
	zib_report *r;
	xmlDoc *doc = NULL;

	zib_report_new(&r);
	ASSERT_INT_EQ(ZIB_EPARSE, parse("<!DOCTYPE a SYSTEM \"http://example.invalid/a.dtd\">\n<a/>", r, &doc));
	ASSERT_STR_EQ("ZIB-XML-002", zib_report_at(r, 0)->code);
	zib_report_free(r);
}

TEST(xml, billion_laughs_is_refused)
{
	zib_report *r;
	xmlDoc *doc = NULL;

	zib_report_new(&r);
	ASSERT_INT_EQ(ZIB_EPARSE, parse("<!DOCTYPE a [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><a>&b;</a>", r, &doc));
	ASSERT(doc == NULL);
	zib_report_free(r);
}

TEST(sniff, recognises_cda_fhir_ada_and_json)
{
	ASSERT_INT_EQ(ZIB_FORMAT_CDA, zib_sniff_format(
		"<?xml version=\"1.0\"?>\n<!-- c -->\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">", 74));
	ASSERT_INT_EQ(ZIB_FORMAT_FHIR_XML, zib_sniff_format("<Bundle xmlns=\"http://hl7.org/fhir\">", 36));
	ASSERT_INT_EQ(ZIB_FORMAT_FHIR_JSON, zib_sniff_format("\xEF\xBB\xBF  {\"resourceType\":1}", 22));
	ASSERT_INT_EQ(ZIB_FORMAT_ADA, zib_sniff_format("<adaxml xmlns:xsi=\"x\">", 22));
	ASSERT_INT_EQ(ZIB_FORMAT_UNKNOWN, zib_sniff_format("hello", 5));
	ASSERT_INT_EQ(ZIB_FORMAT_UNKNOWN, zib_sniff_format("", 0));
	ASSERT_STR_EQ("cda", zib_source_format_name(ZIB_FORMAT_CDA));
}
