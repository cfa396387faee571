/*
 * zib diff --format html: one self-contained page (inline CSS, no script,
 * nothing fetched) for a tester to show a vendor: a summary, then per zib
 * the instances side by side, A left and B right, with every concept that
 * differs highlighted on both sides, and the instances found on one side
 * only with what they hold.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "strbuf.h"

static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
}

/* 1 when v is one of the changed values of this pair (side 0: A). */
static int is_changed(const zib_diff *d, size_t from, size_t to, const zib_value *v, int side)
{
	size_t i;

	for (i = from; i < to; i++) {
		const zib_diff_item *it = zib_diff_at(d, i);
		if ((side ? it->b : it->a) == v)
			return 1;
	}
	return 0;
}

/* The values of an instance, one row each, indented by depth; the changed
 * ones of items [from, to) marked. */
static void values(FILE *out, const zib_diff *d, size_t from, size_t to, const zib_value *v, int side,
	int depth)
{
	char text[1024];

	for (; v; v = zib_value_next(v)) {
		const zib_concept *c = zib_value_concept(v);
		zib_value_format(text, sizeof(text), v);
		fprintf(out, "<div class=\"v%s\" style=\"margin-left:%dem\"><span class=\"cid\">",
			is_changed(d, from, to, v, side) ? " chg" : "", depth * 1);
		esc(out, c ? zib_concept_id(c) : "?");
		fputs("</span> <b>", out);
		esc(out, c ? zib_concept_name_nl(c) : "?");
		fputs("</b> ", out);
		esc(out, text);
		fprintf(out, " <span class=\"ln\">:%d</span></div>\n", zib_value_line(v));
		if (!zib_value_target(v))
			values(out, d, from, to, zib_value_children(v), side, depth + 1);
	}
}

static void instance_head(FILE *out, const char *file, const zib_instance *inst)
{
	fputs("<div class=\"where\">", out);
	esc(out, file);
	fprintf(out, ":%d", zib_instance_line(inst));
	if (zib_instance_path(inst)) {
		fputs(" <code>", out);
		esc(out, zib_instance_path(inst));
		fputs("</code>", out);
	}
	fputs("</div>\n", out);
}

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
	"h1{font-size:1.5em;margin:0 0 .5em}h2{font-size:1.15em;margin:1.4em 0 .3em}"
	"table{border-collapse:collapse;width:100%;margin:.3em 0 1em;table-layout:fixed}"
	"th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
	"th{background:#eef}table.sum{width:auto}td.num{text-align:right}"
	".v{padding:0 .2em}.v.chg{background:#ffe08a;font-weight:600}.cid{color:#888;font-size:.85em}"
	".ln{color:#aaa;font-size:.85em}.where{color:#555;font-size:.9em;margin-bottom:.3em}"
	".changes td{background:#fff7e0}.onlya{background:#fdd}.onlyb{background:#dfd}"
	".same{color:#393;font-size:1.1em}code{font-size:.9em}";

void diff_write_html(FILE *out, const zib_diff *d, const char *a_name, const char *b_name)
{
	const zib_model *zib = NULL;
	size_t i, j, n = zib_diff_count(d), only_a = 0, only_b = 0, changed = 0;

	for (i = 0; i < n; i++) {
		zib_diff_kind k = zib_diff_at(d, i)->kind;
		only_a += k == ZIB_DIFF_ONLY_A;
		only_b += k == ZIB_DIFF_ONLY_B;
		changed += k == ZIB_DIFF_CHANGED;
	}
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>zib diff</title>\n<style>%s</style>\n</head>\n<body>\n<h1>zib diff</h1>\n"
		"<table class=\"sum\"><tr><th>A</th><td>", css);
	esc(out, a_name);
	fputs("</td></tr><tr><th>B</th><td>", out);
	esc(out, b_name);
	fprintf(out, "</td></tr>\n<tr><th>instances</th><td>%zu in A, %zu in B, %zu matched</td></tr>\n"
		"<tr><th>differences</th><td>%zu concept%s changed, %zu only in A, %zu only in B</td></tr>"
		"</table>\n", zib_diff_instances_a(d), zib_diff_instances_b(d), zib_diff_matched(d), changed,
		changed == 1 ? "" : "s", only_a, only_b);
	if (n == 0)
		fputs("<p class=\"same\">No differences.</p>\n", out);
	for (i = 0; i < n; i = j) {
		const zib_diff_item *it = zib_diff_at(d, i);
		if (it->zib != zib) {
			zib = it->zib;
			fputs("<h2>", out);
			esc(out, zib_model_name_nl(zib));
			fputs(" <span class=\"cid\">", out);
			esc(out, zib_model_root_concept(zib));
			fputs("</span></h2>\n", out);
		}
		/* The items of one instance pair (or one unmatched instance). */
		for (j = i + 1; j < n && it->kind == ZIB_DIFF_CHANGED &&
		     zib_diff_at(d, j)->kind == ZIB_DIFF_CHANGED &&
		     zib_diff_at(d, j)->a_instance == it->a_instance &&
		     zib_diff_at(d, j)->b_instance == it->b_instance; j++)
			;
		fputs("<table>\n<tr><th>A</th><th>B</th></tr>\n", out);
		if (it->kind == ZIB_DIFF_CHANGED) {
			size_t k;
			fputs("<tr class=\"changes\"><td colspan=\"2\">", out);
			for (k = i; k < j; k++) {
				const zib_diff_item *c = zib_diff_at(d, k);
				fputs(k > i ? "<br>" : "", out);
				esc(out, zib_concept_id(c->concept));
				fputs(" <b>", out);
				esc(out, c->concept_path);
				fputs("</b>: ", out);
				esc(out, c->a ? c->a_text : "(absent)");
				fputs(" &#8594; ", out);
				esc(out, c->b ? c->b_text : "(absent)");
				if (c->note) {
					fputs(" <i>(", out);
					esc(out, c->note);
					fputs(")</i>", out);
				}
			}
			fputs("</td></tr>\n<tr><td>", out);
			instance_head(out, it->a_file, it->a_instance);
			values(out, d, i, j, zib_instance_values(it->a_instance), 0, 0);
			fputs("</td><td>", out);
			instance_head(out, it->b_file, it->b_instance);
			values(out, d, i, j, zib_instance_values(it->b_instance), 1, 0);
			fputs("</td></tr>\n", out);
		} else if (it->kind == ZIB_DIFF_ONLY_A) {
			fputs("<tr><td class=\"onlya\">only in A<br>", out);
			instance_head(out, it->a_file, it->a_instance);
			values(out, d, i, i, zib_instance_values(it->a_instance), 0, 0);
			fputs("</td><td></td></tr>\n", out);
		} else {
			fputs("<tr><td></td><td class=\"onlyb\">only in B<br>", out);
			instance_head(out, it->b_file, it->b_instance);
			values(out, d, i, i, zib_instance_values(it->b_instance), 1, 0);
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n", out);
	}
	fprintf(out, "<p class=\"cid\">zib %s</p>\n</body>\n</html>\n", zib_version());
}
