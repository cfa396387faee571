/*
 * JUnit XML for CI: one <testcase> per document, one <failure> per error
 * (warnings go to <system-out>).  The counts sit on <testsuites>/<testsuite>,
 * so the whole batch is rendered after it has run.
 */
#include "diag/render.h"

void diag_junit_begin(FILE *out, const zib_render_totals *t)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"zib validate\" tests=\"%zu\" failures=\"%zu\">\n"
		"  <testsuite name=\"zib validate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		t->documents, t->failed_documents, t->documents, t->failed_documents);
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

void diag_junit_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min,
	zib_severity fail_on)
{
	size_t i, others = 0;

	(void)index;
	fputs("    <testcase classname=\"zib.validate\" name=\"", out);
	diag_xml_str(out, file);
	fputs("\">\n", out);
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		if (d->severity < fail_on) {
			others += d->severity >= min;
			continue;
		}
		fputs("      <failure type=\"", out);
		diag_xml_str(out, d->code);
		fputs("\" message=\"", out);
		diag_xml_str(out, d->message);
		fputs("\">", out);
		line(out, d);
		fputs("</failure>\n", out);
	}
	if (others) {
		fputs("      <system-out>", out);
		for (i = 0; i < zib_report_count(r); i++) {
			const zib_diag *d = zib_report_at(r, i);
			if (d->severity < fail_on && d->severity >= min)
				line(out, d);
		}
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

void diag_junit_end(FILE *out, const zib_render_totals *t)
{
	(void)t;
	fputs("  </testsuite>\n</testsuites>\n", out);
}
