/*
 * Unit tests of lib/diag: the report and the text form of a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "zib.h"

TEST(report, copies_strings_and_counts)
{
	zib_report *r;
	zib_diag d;
	char file[32] = "doc.xml";

	ASSERT_INT_EQ(ZIB_OK, zib_report_new(&r));
	ASSERT_INT_EQ(-1, zib_report_worst(r));
	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_WARNING;
	d.code = "ZIB-TEST-001";
	d.file = file;
	d.line = 12;
	ASSERT_INT_EQ(ZIB_OK, zib_report_addf(r, &d, "value '%s' is odd", "x"));
	strcpy(file, "changed");
	d.severity = ZIB_SEV_ERROR;
	zib_report_addf(r, &d, "second");
	ASSERT_INT_EQ(2, zib_report_count(r));
	ASSERT_STR_EQ("doc.xml", zib_report_at(r, 0)->file);
	ASSERT_STR_EQ("value 'x' is odd", zib_report_at(r, 0)->message);
	ASSERT_INT_EQ(ZIB_SEV_ERROR, zib_report_worst(r));
	ASSERT_INT_EQ(1, zib_report_count_severity(r, ZIB_SEV_WARNING));
	ASSERT(zib_report_at(r, 2) == NULL);
	zib_report_free(r);
	zib_report_free(NULL);
}

TEST(diag, text_line_is_compiler_style)
{
	zib_diag d;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	memset(&d, 0, sizeof(d));
	d.severity = ZIB_SEV_ERROR;
	d.code = "ZIB-VS-002";
	d.file = "file.xml";
	d.line = 212;
	d.column = 9;
	d.zib = "AlcoholUse";
	d.concept = "NL-CM:7.3.2";
	d.message = "code not in value set";
	d.actual = "X";
	d.path = "/ClinicalDocument/component";
	zib_diag_write_text(f, &d, 0);
	fclose(f);
	ASSERT_STR_EQ("file.xml:212:9: error[ZIB-VS-002] AlcoholUse (NL-CM:7.3.2): code not in value set"
		" (got 'X')\n    at /ClinicalDocument/component\n", text);
	free(text);
}
