/*
 * SARIF 2.1.0 for code-scanning tools: one run of the tool "zib", a result
 * per finding with the physical location (file, line, column) and the path
 * as a logical location, and tool.driver.rules for every code that occurs,
 * Schematron asserts (SCH-...) included.  Findings suppressed by --ignore
 * or a baseline are results with an external suppression.
 *
 * The rules are known only once every result is written, so "results"
 * comes first in the run object and "tool" last; JSON objects have no
 * order.  The codes seen are kept between begin and end.
 */
#include <stdlib.h>
#include <string.h>

#include "diag/render.h"

struct sarif_rule {
	char *code;
	char *description;   /* a Schematron assert's text: its first message */
	zib_severity severity;
};

static struct {
	size_t results;
	struct sarif_rule *rules;
	size_t count, cap;
} sarif;

static const char *level(zib_severity s)
{
	return s == ZIB_SEV_ERROR ? "error" : s == ZIB_SEV_WARNING ? "warning" : "note";
}

static void rule_seen(const zib_diag *d)
{
	size_t i;

	if (!d->code)
		return;
	for (i = 0; i < sarif.count; i++)
		if (strcmp(sarif.rules[i].code, d->code) == 0)
			return;
	if (sarif.count == sarif.cap) {
		size_t cap = sarif.cap ? sarif.cap * 2 : 32;
		struct sarif_rule *p = realloc(sarif.rules, cap * sizeof(*p));
		if (!p)
			return;   /* the rule is left out; the result still names it */
		sarif.rules = p;
		sarif.cap = cap;
	}
	sarif.rules[sarif.count].code = strdup(d->code);
	sarif.rules[sarif.count].description = strdup(d->message ? d->message : d->code);
	sarif.rules[sarif.count].severity = d->severity;
	if (sarif.rules[sarif.count].code && sarif.rules[sarif.count].description)
		sarif.count++;
	else {
		free(sarif.rules[sarif.count].code);
		free(sarif.rules[sarif.count].description);
	}
}

void diag_sarif_begin(FILE *out, const zib_render_totals *t)
{
	(void)t;
	memset(&sarif, 0, sizeof(sarif));
	fputs("{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\", "
		"\"runs\": [{\"results\": [", out);
}

static void result(FILE *out, const zib_diag *d, const char *file, int suppressed)
{
	fprintf(out, "%s\n  {\"ruleId\": ", sarif.results++ ? "," : "");
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
	if (suppressed)
		fputs(", \"suppressions\": [{\"kind\": \"external\", "
			"\"justification\": \"--ignore or --baseline\"}]", out);
	fputc('}', out);
	rule_seen(d);
}

void diag_sarif_document(FILE *out, const zib_render_item *it)
{
	size_t i;

	for (i = 0; i < zib_report_count(it->report); i++) {
		const zib_diag *d = zib_report_at(it->report, i);
		if (d->severity >= it->min_severity)
			result(out, d, it->file, 0);
	}
	for (i = 0; i < zib_report_count(it->suppressed); i++) {
		const zib_diag *d = zib_report_at(it->suppressed, i);
		if (d->severity >= it->min_severity)
			result(out, d, it->file, 1);
	}
}

/* The registered description of a code, or NULL (a Schematron code). */
static const char *registered(const char *code, zib_severity *sev)
{
	size_t i;

	for (i = 0; i < zib_code_count(); i++) {
		const char *c, *desc;
		zib_severity s;
		zib_code_at(i, &c, &s, &desc);
		if (strcmp(c, code) == 0) {
			*sev = s;
			return desc;
		}
	}
	return NULL;
}

void diag_sarif_end(FILE *out, const zib_render_totals *t)
{
	size_t i;

	(void)t;
	fprintf(out, "\n], \"tool\": {\"driver\": {\"name\": \"zib\", \"version\": \"%s\", "
		"\"informationUri\": \"https://github.com/zibkit/zibkit\", \"rules\": [", zib_version());
	for (i = 0; i < sarif.count; i++) {
		struct sarif_rule *r = &sarif.rules[i];
		zib_severity sev = r->severity;
		const char *desc = registered(r->code, &sev);
		fprintf(out, "%s\n    {\"id\": ", i ? "," : "");
		diag_json_str(out, r->code);
		fputs(", \"shortDescription\": {\"text\": ", out);
		diag_json_str(out, desc ? desc : r->description);
		fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", level(sev));
		free(r->code);
		free(r->description);
	}
	free(sarif.rules);
	memset(&sarif, 0, sizeof(sarif));
	fputs("]}}}]}\n", out);
}
