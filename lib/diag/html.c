/*
 * HTML report of zib validate: one self-contained page for people (a tester
 * showing a vendor the result): inline CSS, no script, nothing fetched.
 * First a summary (documents, errors, warnings; findings per code and per
 * zib), then a table per document, each finding with its location and the
 * source lines around it.
 *
 * The summary needs every document, so the documents are written to a
 * buffer and the page is put together at the end.  The source snippets are
 * read from the files named in the findings when the document is rendered
 * (standard input has none).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "diag/render.h"

#define SNIPPET_CONTEXT 2     /* lines before and after the finding's line */
#define SNIPPET_WIDTH 160     /* characters shown of a long line (minified JSON) */

struct html_count {
	char *name;
	zib_severity severity;
	size_t n;
};

static struct {
	FILE *body;
	char *body_buf;
	size_t body_len;
	struct html_count *codes, *zibs;
	size_t ncodes, nzibs;
} html;

static void esc(FILE *out, const char *s)
{
	diag_xml_str(out, s ? s : "");
}

static void count(struct html_count **list, size_t *n, const char *name, zib_severity sev)
{
	struct html_count *p;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*list)[i].name, name) == 0) {
			(*list)[i].n++;
			if (sev > (*list)[i].severity)
				(*list)[i].severity = sev;
			return;
		}
	p = realloc(*list, (*n + 1) * sizeof(*p));
	if (!p)
		return;
	*list = p;
	p[*n].name = strdup(name);
	p[*n].severity = sev;
	p[*n].n = 1;
	if (p[*n].name)
		(*n)++;
}

void diag_html_begin(FILE *out, const zib_render_totals *t)
{
	(void)out;
	(void)t;
	memset(&html, 0, sizeof(html));
	html.body = open_memstream(&html.body_buf, &html.body_len);
}

/* The file's text, read once per document; NULL when it cannot be read. */
static char *source_of(const char *file, size_t *len)
{
	char *data = NULL;
	zib_error err;

	if (!file || strcmp(file, "<stdin>") == 0 || strcmp(file, "-") == 0)
		return NULL;
	if (zib_read_file(&data, len, file, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		return NULL;
	return data;
}

/* Lines line-2 .. line+2 of data, the finding's line marked. */
static void snippet(FILE *out, const char *data, size_t len, int line)
{
	const char *p = data, *end = data + len;
	int n = 1;

	if (!data || line <= 0)
		return;
	fputs("<pre class=\"src\">", out);
	while (p < end && n <= line + SNIPPET_CONTEXT) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (n >= line - SNIPPET_CONTEXT) {
			struct buf b = BUF_INIT;
			size_t w = (size_t)(stop - p);
			char *text;
			if (w > SNIPPET_WIDTH)
				w = SNIPPET_WIDTH;
			text = strndup(p, w);
			buf_xml_escape(&b, text ? text : "");
			fprintf(out, "<span class=\"%s\"><span class=\"ln\">%5d</span> %s%s</span>",
				n == line ? "hit" : "ctx", n, b.data ? b.data : "",
				(size_t)(stop - p) > w ? " &#8230;" : "");
			buf_release(&b);
			free(text);
		}
		p = nl ? nl + 1 : end;
		n++;
	}
	fputs("</pre>", out);
}

void diag_html_document(FILE *unused, const zib_render_item *it)
{
	FILE *out = html.body;
	const zib_report *r = it->report;
	size_t i, shown = 0, errors = zib_report_count_severity(r, ZIB_SEV_ERROR);
	size_t warnings = zib_report_count_severity(r, ZIB_SEV_WARNING);
	char *src = NULL;
	const char *src_file = NULL;
	size_t src_len = 0;
	int fails = zib_report_worst(r) >= (int)it->fail_on;

	(void)unused;
	if (!out)
		return;
	fprintf(out, "<div class=\"doc %s\" id=\"doc-%zu\">\n<h2>", fails ? "bad" : "good", it->index + 1);
	esc(out, it->file);
	fprintf(out, " <span class=\"verdict\">%s</span></h2>\n<p class=\"counts\">%zu error%s, %zu warning%s",
		fails ? "invalid" : "valid", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	if (it->suppressed && zib_report_count(it->suppressed))
		fprintf(out, ", %zu suppressed", zib_report_count(it->suppressed));
	fputs("</p>\n", out);
	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		const char *file = d->file ? d->file : it->file;
		if (d->severity < it->min_severity)
			continue;
		if (d->code)
			count(&html.codes, &html.ncodes, d->code, d->severity);
		count(&html.zibs, &html.nzibs, d->zib ? d->zib : "(no zib)", d->severity);
		if (!shown++)
			fputs("<table class=\"findings\">\n<colgroup><col class=\"c1\"><col class=\"c2\">"
				"<col class=\"c3\"><col class=\"c4\"><col></colgroup>\n<tr><th>level</th>"
				"<th>code</th><th>where</th><th>zib (concept)</th><th>finding</th></tr>\n", out);
		if (!src_file || strcmp(src_file, file) != 0) {
			free(src);
			src = source_of(file, &src_len);
			src_file = file;
		}
		fprintf(out, "<tr class=\"%s\"><td class=\"sev\">%s</td><td class=\"code\">",
			zib_severity_name(d->severity), zib_severity_name(d->severity));
		esc(out, d->code);
		fputs("</td><td class=\"where\">", out);
		esc(out, file);
		if (d->line > 0)
			fprintf(out, ":%d", d->line);
		if (d->path) {
			fputs("<br><code>", out);
			esc(out, d->path);
			fputs("</code>", out);
		}
		fputs("</td><td>", out);
		esc(out, d->zib);
		if (d->concept) {
			fputs(" (", out);
			esc(out, d->concept);
			fputc(')', out);
		}
		fputs("</td><td>", out);
		esc(out, d->message);
		if (d->expected || d->actual) {
			fputs("<br><span class=\"ea\">", out);
			if (d->expected) {
				fputs("expected <q>", out);
				esc(out, d->expected);
				fputs("</q> ", out);
			}
			if (d->actual) {
				fputs("got <q>", out);
				esc(out, d->actual);
				fputs("</q>", out);
			}
			fputs("</span>", out);
		}
		snippet(out, src, src_len, d->line);
		fputs("</td></tr>\n", out);
	}
	free(src);
	fputs(shown ? "</table>\n" : "<p class=\"none\">No findings.</p>\n", out);
	fputs("</div>\n", out);
}

static int by_count(const void *a, const void *b)
{
	const struct html_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void count_table(FILE *out, const char *title, struct html_count *list, size_t n)
{
	size_t i;

	fprintf(out, "<table class=\"tally\"><tr><th>%s</th><th>level</th><th>findings</th></tr>\n", title);
	qsort(list, n, sizeof(*list), by_count);
	for (i = 0; i < n; i++) {
		fprintf(out, "<tr class=\"%s\"><td>", zib_severity_name(list[i].severity));
		esc(out, list[i].name);
		fprintf(out, "</td><td>%s</td><td class=\"num\">%zu</td></tr>\n",
			zib_severity_name(list[i].severity), list[i].n);
		free(list[i].name);
	}
	if (!n)
		fputs("<tr><td colspan=\"3\">none</td></tr>\n", out);
	fputs("</table>\n", out);
	free(list);
}

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
	"h1{font-size:1.5em;margin:0 0 .5em}h2{font-size:1.15em;margin:1.2em 0 .3em}"
	"table{border-collapse:collapse;margin:.4em 0 1em}"
	"th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
	"th{background:#eef}td.num{text-align:right}"
	".totals td{font-size:1.1em}.summary{display:flex;gap:2em;flex-wrap:wrap}"
	"tr.error td.sev,tr.error td:first-child{background:#fdd}"
	"tr.warning td.sev,tr.warning td:first-child{background:#ffd}"
	"tr.info td.sev{background:#def}"
	".doc{border-left:6px solid #8c8;padding-left:.8em}.doc.bad{border-left-color:#d66}"
	".verdict{font-size:.8em;padding:.1em .5em;border-radius:.3em;background:#8c8;color:#fff}"
	".bad .verdict{background:#d66}"
	"table.findings{width:100%;table-layout:fixed}col.c1{width:5em}col.c2{width:9em}"
	"col.c3{width:24%}col.c4{width:11em}td.where code{word-break:break-all}"
	"pre.src{background:#f7f7f7;border:1px solid #ddd;padding:.3em;margin:.3em 0 0;overflow-x:auto}"
	"pre.src .hit{background:#ffe08a;display:block}pre.src .ctx{display:block;color:#555}"
	".ln{color:#999}code{font-size:.9em}.ea{color:#555}.none{color:#393}";

void diag_html_end(FILE *out, const zib_render_totals *t)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>zib validate: %zu document%s</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>zib validate</h1>\n<table class=\"totals\"><tr><th>documents</th><th>invalid</th>"
		"<th>errors</th><th>warnings</th>%s</tr>\n<tr><td class=\"num\">%zu</td>"
		"<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>",
		t->documents, t->documents == 1 ? "" : "s", css, t->suppressed ? "<th>suppressed</th>" : "",
		t->documents, t->failed_documents, t->errors, t->warnings);
	if (t->suppressed)
		fprintf(out, "<td class=\"num\">%zu</td>", t->suppressed);
	fputs("</tr></table>\n<div class=\"summary\">\n", out);
	count_table(out, "code", html.codes, html.ncodes);
	count_table(out, "zib", html.zibs, html.nzibs);
	fputs("</div>\n", out);
	if (html.body) {
		fclose(html.body);
		fputs(html.body_buf ? html.body_buf : "", out);
		free(html.body_buf);
	}
	fprintf(out, "<p class=\"foot\">zib %s</p>\n</body>\n</html>\n", zib_version());
	memset(&html, 0, sizeof(html));
}
