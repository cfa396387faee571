/*
 * JSON output of `zib validate`: one object for the whole batch.  A
 * contract: "format_version" changes only with a CHANGELOG entry.
 *   {"format_version": 1, "documents": [{"file", "valid", "errors",
 *    "warnings", "findings": [{severity, code, file, line, column, path,
 *    zib, concept, message, expected, actual}]}], "summary": {...}}
 */
#include "diag/render.h"

#define JSON_FORMAT_VERSION 1

void diag_json_begin(FILE *out, const zib_render_totals *t)
{
	(void)t;
	fprintf(out, "{\"format_version\": %d, \"documents\": [", JSON_FORMAT_VERSION);
}

static void field(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	diag_json_str(out, value);
}

void diag_json_document(FILE *out, const zib_render_item *it)
{
	const zib_report *r = it->report;
	zib_severity min = it->min_severity;
	size_t i, shown = 0;

	fprintf(out, "%s\n  {\"file\": ", it->index ? "," : "");
	diag_json_str(out, it->file);
	fprintf(out, ", \"valid\": %s, \"errors\": %zu, \"warnings\": %zu, ",
		zib_report_worst(r) >= (int)it->fail_on ? "false" : "true",
		zib_report_count_severity(r, ZIB_SEV_ERROR), zib_report_count_severity(r, ZIB_SEV_WARNING));
	if (it->suppressed)
		fprintf(out, "\"suppressed\": %zu, ", zib_report_count(it->suppressed));
	fputs("\"findings\": [", out);
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		if (d->severity < min)
			continue;
		fprintf(out, "%s\n    {\"severity\": \"%s\"", shown++ ? "," : "", zib_severity_name(d->severity));
		field(out, "code", d->code);
		field(out, "file", d->file);
		fprintf(out, ", \"line\": %d, \"column\": %d", d->line, d->column);
		field(out, "path", d->path);
		field(out, "zib", d->zib);
		field(out, "concept", d->concept);
		field(out, "message", d->message);
		field(out, "expected", d->expected);
		field(out, "actual", d->actual);
		fputc('}', out);
	}
	fputs(shown ? "\n  ]}" : "]}", out);
}

void diag_json_end(FILE *out, const zib_render_totals *t)
{
	fprintf(out, "\n], \"summary\": {\"documents\": %zu, \"invalid\": %zu, \"errors\": %zu, "
		"\"warnings\": %zu", t->documents, t->failed_documents, t->errors, t->warnings);
	if (t->suppressed)
		fprintf(out, ", \"suppressed\": %zu", t->suppressed);
	fputs("}}\n", out);
}
