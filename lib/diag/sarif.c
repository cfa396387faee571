/*
 * SARIF 2.1.0 for code-scanning tools: one run of the tool "zib", its rules
 * (the finding codes), and a result per finding with the physical location
 * (file, line, column) and the XPath as a logical location.
 */
#include "diag/render.h"

static const char *level(zib_severity s)
{
	return s == ZIB_SEV_ERROR ? "error" : s == ZIB_SEV_WARNING ? "warning" : "note";
}

void diag_sarif_begin(FILE *out, const zib_render_totals *t)
{
	size_t i;

	(void)t;
	fprintf(out, "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\", "
		"\"runs\": [{\"tool\": {\"driver\": {\"name\": \"zib\", \"version\": \"%s\", "
		"\"informationUri\": \"https://github.com/zibkit/zibkit\", \"rules\": [", zib_version());
	for (i = 0; i < zib_code_count(); i++) {
		const char *code, *desc;
		zib_severity sev;
		zib_code_at(i, &code, &sev, &desc);
		fprintf(out, "%s\n    {\"id\": ", i ? "," : "");
		diag_json_str(out, code);
		fputs(", \"shortDescription\": {\"text\": ", out);
		diag_json_str(out, desc);
		fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", level(sev));
	}
	fputs("]}}, \"results\": [", out);
}

static size_t sarif_count;

void diag_sarif_document(FILE *out, size_t index, const char *file, const zib_report *r, zib_severity min)
{
	size_t i;

	(void)file;
	if (index == 0)
		sarif_count = 0;
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		if (d->severity < min)
			continue;
		fprintf(out, "%s\n  {\"ruleId\": ", sarif_count++ ? "," : "");
		diag_json_str(out, d->code);
		fprintf(out, ", \"level\": \"%s\", \"message\": {\"text\": ", level(d->severity));
		diag_json_str(out, d->message);
		fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
		diag_json_str(out, d->file ? d->file : file);
		fputc('}', out);
		if (d->line > 0) {
			fprintf(out, ", \"region\": {\"startLine\": %d", d->line);
			if (d->column > 0)
				fprintf(out, ", \"startColumn\": %d", d->column);
			fputc('}', out);
		}
		fputc('}', out);
		if (d->path) {
			fputs(", \"logicalLocations\": [{\"fullyQualifiedName\": ", out);
			diag_json_str(out, d->path);
			fputs(", \"kind\": \"element\"}]", out);
		}
		fputs("}]", out);
		if (d->zib || d->concept) {
			fputs(", \"properties\": {\"zib\": ", out);
			diag_json_str(out, d->zib);
			fputs(", \"concept\": ", out);
			diag_json_str(out, d->concept);
			fputc('}', out);
		}
		fputc('}', out);
	}
}

void diag_sarif_end(FILE *out, const zib_render_totals *t)
{
	(void)t;
	fputs("\n]}]}\n", out);
}
