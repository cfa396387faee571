/*
 * Dispatch of the batch renderers (text here; json.c, junit.c, sarif.c,
 * outcome.c) and their shared escaping.
 */
#include <string.h>

#include "core/buf.h"
#include "diag/render.h"

void diag_json_str(FILE *out, const char *s)
{
	struct buf b = BUF_INIT;

	if (!s) {
		fputs("null", out);
		return;
	}
	buf_json_escape(&b, s);
	fprintf(out, "\"%s\"", b.data ? b.data : "");
	buf_release(&b);
}

void diag_xml_str(FILE *out, const char *s)
{
	struct buf b = BUF_INIT;

	buf_xml_escape(&b, s ? s : "");
	fputs(b.data ? b.data : "", out);
	buf_release(&b);
}

int zib_render_format_parse(const char *name)
{
	static const char *const names[] = { "text", "json", "junit", "sarif", "outcome", "html" };
	size_t i;

	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

void zib_render_begin(FILE *out, zib_render_format f, const zib_render_totals *t)
{
	switch (f) {
	case ZIB_RENDER_JSON: diag_json_begin(out, t); break;
	case ZIB_RENDER_JUNIT: diag_junit_begin(out, t); break;
	case ZIB_RENDER_SARIF: diag_sarif_begin(out, t); break;
	case ZIB_RENDER_OUTCOME: diag_outcome_begin(out, t); break;
	case ZIB_RENDER_HTML: diag_html_begin(out, t); break;
	default: break;
	}
}

void zib_render_document(FILE *out, zib_render_format f, size_t index, const char *file,
	const zib_report *r, zib_severity min, int color)
{
	zib_render_document_failing(out, f, index, file, r, min, ZIB_SEV_ERROR, color);
}

void zib_render_document_failing(FILE *out, zib_render_format f, size_t index, const char *file,
	const zib_report *r, zib_severity min, zib_severity fail_on, int color)
{
	zib_render_item it;

	memset(&it, 0, sizeof(it));
	it.version = ZIB_RENDER_ITEM_VERSION;
	it.index = index;
	it.file = file;
	it.report = r;
	it.min_severity = min;
	it.fail_on = fail_on;
	it.seconds = -1;
	it.color = color;
	zib_render_item_write(out, f, &it);
}

void zib_render_item_write(FILE *out, zib_render_format f, const zib_render_item *it)
{
	size_t i;

	switch (f) {
	case ZIB_RENDER_JSON: diag_json_document(out, it); break;
	case ZIB_RENDER_JUNIT: diag_junit_document(out, it); break;
	case ZIB_RENDER_SARIF: diag_sarif_document(out, it); break;
	case ZIB_RENDER_OUTCOME: diag_outcome_document(out, it); break;
	case ZIB_RENDER_HTML: diag_html_document(out, it); break;
	default:
		for (i = 0; i < zib_report_count(it->report); i++)
			if (zib_report_at(it->report, i)->severity >= it->min_severity)
				zib_diag_write_text(out, zib_report_at(it->report, i), it->color);
	}
}

void zib_render_end(FILE *out, zib_render_format f, const zib_render_totals *t)
{
	switch (f) {
	case ZIB_RENDER_JSON: diag_json_end(out, t); break;
	case ZIB_RENDER_JUNIT: diag_junit_end(out, t); break;
	case ZIB_RENDER_SARIF: diag_sarif_end(out, t); break;
	case ZIB_RENDER_OUTCOME: diag_outcome_end(out, t); break;
	case ZIB_RENDER_HTML: diag_html_end(out, t); break;
	default: break;
	}
}
