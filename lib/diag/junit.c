/*
 * JUnit XML for CI, in the shape of Apache Ant's XMLJUnitResultFormatter
 * (the "Ant JUnit schema"; tests/junit-ant.xsd checks it): <testsuites>
 * holding one <testsuite> with name, package, id, hostname, timestamp,
 * tests, failures, errors and time, then <properties>, one <testcase> per
 * document (name, classname, time) and <system-out>/<system-err>.
 *
 * A document that fails has one <failure> holding all its findings, one
 * per line; the warnings of documents that pass go to the suite's
 * <system-out>, the only place the schema gives them.  The counts sit on
 * <testsuite>, so begin needs the batch's totals: a caller that streams
 * renders the documents first (into a spool) and begin after them; the
 * passing documents' lines are kept until end either way.
 */
#include <stdlib.h>
#include <time.h>

#include "diag/render.h"

/* The passing documents' findings, kept for <system-out>. */
static FILE *junit_out_lines;
static char *junit_out_buf;
static size_t junit_out_len;

/* Opened by begin or by the first document, whichever comes first. */
static void open_out_lines(void)
{
	if (junit_out_lines)
		return;
	junit_out_buf = NULL;
	junit_out_len = 0;
	junit_out_lines = open_memstream(&junit_out_buf, &junit_out_len);
}

static void seconds(FILE *out, double s)
{
	fprintf(out, "%.3f", s > 0 ? s : 0.0);
}

void diag_junit_begin(FILE *out, const zib_render_totals *t)
{
	time_t when = (time_t)t->started;
	struct tm tm;
	char stamp[32] = "1970-01-01T00:00:00";

	if (gmtime_r(&when, &tm))
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"  <testsuite name=\"zib validate\" package=\"zib\" id=\"0\" hostname=\"localhost\" "
		"timestamp=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"", stamp, t->documents,
		t->failed_documents);
	seconds(out, t->seconds);
	fputs("\">\n    <properties/>\n", out);
	open_out_lines();
}

static void line(FILE *out, const zib_diag *d)
{
	diag_xml_str(out, d->file);
	fprintf(out, ":%d:%d: %s[", d->line, d->column, zib_severity_name(d->severity));
	diag_xml_str(out, d->code);
	fputs("] ", out);
	if (d->concept) {
		diag_xml_str(out, d->concept);
		fputs(": ", out);
	}
	diag_xml_str(out, d->message);
	if (d->path) {
		fputs(" at ", out);
		diag_xml_str(out, d->path);
	}
	fputc('\n', out);
}

/* The first finding that fails the document: its code is the failure type. */
static const zib_diag *first_failing(const zib_report *r, zib_severity fail_on)
{
	size_t i;

	for (i = 0; i < zib_report_count(r); i++)
		if (zib_report_at(r, i)->severity >= fail_on)
			return zib_report_at(r, i);
	return NULL;
}

void diag_junit_document(FILE *out, const zib_render_item *it)
{
	const zib_report *r = it->report;
	const zib_diag *first = first_failing(r, it->fail_on);
	size_t i, errors = zib_report_count_severity(r, ZIB_SEV_ERROR);
	size_t warnings = zib_report_count_severity(r, ZIB_SEV_WARNING);
	FILE *dest;

	fputs("    <testcase classname=\"zib.validate\" name=\"", out);
	diag_xml_str(out, it->file);
	fputs("\" time=\"", out);
	seconds(out, it->seconds);
	fputs("\"", out);
	if (!first) {
		fputs("/>\n", out);
		open_out_lines();
		dest = junit_out_lines;
	} else {
		fputs(">\n      <failure type=\"", out);
		diag_xml_str(out, first->code);
		fprintf(out, "\" message=\"%zu error%s, %zu warning%s: ", errors, errors == 1 ? "" : "s",
			warnings, warnings == 1 ? "" : "s");
		diag_xml_str(out, first->message);
		fputs("\">", out);
		dest = out;
	}
	for (i = 0; dest && i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		if (d->severity >= it->min_severity)
			line(dest, d);
	}
	if (it->suppressed && zib_report_count(it->suppressed) && dest)
		fprintf(dest, "%s: %zu finding%s suppressed (--ignore, --baseline)\n", it->file,
			zib_report_count(it->suppressed), zib_report_count(it->suppressed) == 1 ? "" : "s");
	if (first)
		fputs("</failure>\n    </testcase>\n", out);
}

void diag_junit_end(FILE *out, const zib_render_totals *t)
{
	(void)t;
	fputs("    <system-out>", out);
	if (junit_out_lines) {
		fclose(junit_out_lines);
		junit_out_lines = NULL;
		fputs(junit_out_buf ? junit_out_buf : "", out);   /* escaped by line() */
		free(junit_out_buf);
		junit_out_buf = NULL;
	}
	fputs("</system-out>\n    <system-err/>\n  </testsuite>\n</testsuites>\n", out);
}
