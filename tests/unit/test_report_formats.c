/*
 * Unit tests of the report machinery added for CI: the FHIR IssueType of
 * every finding code (lib/diag/issuetype.c) and suppression by code and by
 * baseline (lib/diag/baseline.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "harness.h"
#include "zib.h"

/* http://hl7.org/fhir/R4/valueset-issue-type.html */
static int is_issue_type(const char *t)
{
	static const char *const types[] = { "invalid", "structure", "required", "value", "invariant",
		"security", "login", "unknown", "expired", "forbidden", "suppressed", "processing",
		"not-supported", "duplicate", "multiple-matches", "not-found", "deleted", "too-long",
		"code-invalid", "extension", "too-costly", "business-rule", "conflict", "transient",
		"lock-error", "no-store", "exception", "timeout", "incomplete", "throttled", "informational" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

TEST(issuetype, every_code_maps_to_the_value_set)
{
	size_t i;

	for (i = 0; i < zib_code_count(); i++) {
		const char *code;
		zib_code_at(i, &code, NULL, NULL);
		if (!is_issue_type(zib_code_issue_type(code)))
			harness_fail(__FILE__, __LINE__, "%s -> '%s'", code, zib_code_issue_type(code));
	}
}

TEST(issuetype, kinds_follow_the_finding)
{
	ASSERT_STR_EQ("structure", zib_code_issue_type("ZIB-XML-001"));
	ASSERT_STR_EQ("required", zib_code_issue_type("ZIB-CARD-001"));
	ASSERT_STR_EQ("value", zib_code_issue_type("ZIB-DT-001"));
	ASSERT_STR_EQ("code-invalid", zib_code_issue_type("ZIB-VS-001"));
	ASSERT_STR_EQ("not-found", zib_code_issue_type("ZIB-FHIRZ-002"));
	ASSERT_STR_EQ("invariant", zib_code_issue_type("SCH-title-present"));
	ASSERT_STR_EQ("structure", zib_code_issue_type("ZIB-FHIR-099"));   /* family fallback */
	ASSERT_STR_EQ("invalid", zib_code_issue_type("OTHER-1"));
	ASSERT_STR_EQ("invalid", zib_code_issue_type(NULL));
}

static void finding(zib_diag *d, const char *code, const char *file, const char *path, const char *msg)
{
	memset(d, 0, sizeof(*d));
	d->severity = ZIB_SEV_WARNING;
	d->code = code;
	d->file = file;
	d->path = path;
	d->message = msg;
	d->line = 7;
}

TEST(suppress, ignore_list_and_baseline_round_trip)
{
	char path[] = "/tmp/zib-baseline-XXXXXX";
	zib_suppress *s = NULL;
	zib_report *r, *kept, *supp;
	zib_error err;
	zib_diag d;
	FILE *f;
	int fd = mkstemp(path);

	ASSERT(fd >= 0);
	f = fdopen(fd, "w");
	ASSERT(f != NULL);
	zib_report_new(&r);
	finding(&d, "ZIB-FHIRZ-002", "a.json", "Observation.subject", "reference\twith a tab");
	zib_report_add(r, &d);
	zib_baseline_write_header(f);
	zib_baseline_write(f, r, ZIB_SEV_WARNING);
	fclose(f);

	ASSERT_INT_EQ(ZIB_OK, zib_suppress_new(&s));
	ASSERT_INT_EQ(ZIB_OK, zib_suppress_load_baseline(s, path, &err));
	d.line = 99;   /* a moved finding still matches */
	ASSERT_INT_EQ(1, zib_suppress_match(s, &d));
	d.path = "Observation.performer";
	ASSERT_INT_EQ(0, zib_suppress_match(s, &d));
	ASSERT_INT_EQ(ZIB_OK, zib_suppress_add_codes(s, "ZIB-DT-001,ZIB-VS-002", &err));
	finding(&d, "ZIB-VS-002", "b.xml", NULL, "x");
	ASSERT_INT_EQ(1, zib_suppress_match(s, &d));
	ASSERT_INT_EQ(ZIB_EINVAL, zib_suppress_add_codes(s, "ZIB-DT-001,,X", &err));

	zib_report_add(r, &d);
	finding(&d, "ZIB-VS-001", "b.xml", NULL, "new");
	zib_report_add(r, &d);
	zib_report_new(&kept);
	zib_report_new(&supp);
	ASSERT_INT_EQ(ZIB_OK, zib_suppress_split(s, r, kept, supp));
	ASSERT_INT_EQ(1, zib_report_count(kept));
	ASSERT_STR_EQ("ZIB-VS-001", zib_report_at(kept, 0)->code);
	ASSERT_INT_EQ(2, zib_report_count(supp));
	zib_report_free(r);
	zib_report_free(kept);
	zib_report_free(supp);
	zib_suppress_free(s);
	unlink(path);
}

TEST(suppress, bad_baseline_names_file_and_line)
{
	char path[] = "/tmp/zib-baseline-XXXXXX";
	zib_suppress *s = NULL;
	zib_error err;
	int fd = mkstemp(path);

	ASSERT(fd >= 0);
	ASSERT(write(fd, "# zib baseline 1\nZIB-X\tonly two\n", 32) == 32);
	close(fd);
	zib_suppress_new(&s);
	zib_error_clear(&err);
	ASSERT_INT_EQ(ZIB_EPARSE, zib_suppress_load_baseline(s, path, &err));
	ASSERT(strstr(err.message, ":2:") != NULL);
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT(write(fd, "code\tfile\tpath\tmessage\n", 23) == 23);
	close(fd);
	ASSERT_INT_EQ(ZIB_EPARSE, zib_suppress_load_baseline(s, path, &err));
	ASSERT(strstr(err.message, "not a zib baseline") != NULL);
	zib_suppress_free(s);
	unlink(path);
}
