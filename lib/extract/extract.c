/*
 * zib extract: selections of zib instances and concepts, written as CSV,
 * as a readable listing, or summarised per BgZ zib (see zib.h).
 *
 * Columns are the selected models' concepts that carry a value (leaves and
 * references to other zibs), in model order; a value finds its column by
 * its concept's position in the model, so two concepts sharing an NL-CM id
 * (the minimumWaarde of a Keerdosis and of a Frequentie) stay apart.
 * A coded concept has three columns (code, system, display), a quantity
 * two (value, unit), a timestamp one in ISO 8601 (extract/cells.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "extract/cells.h"
#include "model/doc.h"
#include "model/value.h"

struct zib_selection {
	const zib_ctx *ctx;
	unsigned char *model_on;     /* per model index */
	unsigned char **concept_on;  /* per model index, per concept index; NULL: all */
	size_t nmodels_on;
	int concept_filter;
};

static size_t model_index(const zib_ctx *ctx, const struct zib_model *m)
{
	return (size_t)(m - ctx->models);
}

/* Calls fn for each comma-separated item of list; stops at the first failure. */
static int each_item(const char *list, int (*fn)(struct zib_selection *, const char *, zib_error *),
	struct zib_selection *sel, zib_error *err)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		char item[256];
		int rc;

		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (item[0] && (rc = fn(sel, item, err)) < 0)
			return rc;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int add_zib(struct zib_selection *sel, const char *name, zib_error *err)
{
	const zib_model *m = zib_model_find(sel->ctx, name);

	if (!m)
		return error_set(err, ZIB_EINVAL, "unknown zib '%s'", name);
	sel->model_on[model_index(sel->ctx, m)] = 1;
	return 0;
}

static int add_section(struct zib_selection *sel, const char *name, zib_error *err)
{
	size_t i;
	int found = 0;

	for (i = 0; i < sel->ctx->nmodels; i++)
		if (strcasecmp(sel->ctx->models[i].section, name) == 0) {
			sel->model_on[i] = 1;
			found = 1;
		}
	return found ? 0 : error_set(err, ZIB_EINVAL, "unknown BgZ section '%s'", name);
}

static int add_concept(struct zib_selection *sel, const char *id, zib_error *err)
{
	size_t i, j;
	int found = 0;

	for (i = 0; i < sel->ctx->nmodels; i++) {
		const struct zib_model *m = &sel->ctx->models[i];
		for (j = 0; j < m->nconcepts; j++) {
			size_t k;
			if (strcmp(m->concepts[j].id, id) != 0)
				continue;
			if (!sel->concept_on[i]) {
				sel->concept_on[i] = calloc(m->nconcepts, 1);
				if (!sel->concept_on[i])
					return error_set(err, ZIB_ENOMEM, "out of memory");
			}
			/* The concept and its subtree. */
			sel->concept_on[i][j] = 1;
			for (k = j + 1; k < m->nconcepts && m->concepts[k].depth > m->concepts[j].depth; k++)
				sel->concept_on[i][k] = 1;
			found = 1;
		}
	}
	return found ? 0 : error_set(err, ZIB_EINVAL, "unknown concept '%s'", id);
}

int zib_selection_new(zib_selection **out, const zib_ctx *ctx, const char *zibs,
	const char *sections, const char *concepts, zib_error *err)
{
	struct zib_selection *sel = calloc(1, sizeof(*sel));
	size_t i;
	int rc = 0, any;

	*out = NULL;
	if (!sel)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	sel->ctx = ctx;
	sel->model_on = calloc(ctx->nmodels ? ctx->nmodels : 1, 1);
	sel->concept_on = calloc(ctx->nmodels ? ctx->nmodels : 1, sizeof(*sel->concept_on));
	if (!sel->model_on || !sel->concept_on) {
		zib_selection_free(sel);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	rc = each_item(zibs, add_zib, sel, err);
	if (rc == 0)
		rc = each_item(sections, add_section, sel, err);
	if (rc == 0)
		rc = each_item(concepts, add_concept, sel, err);
	if (rc < 0) {
		zib_selection_free(sel);
		return rc;
	}
	any = 0;
	for (i = 0; i < ctx->nmodels; i++)
		any |= sel->model_on[i];
	for (i = 0; i < ctx->nmodels; i++) {
		if (sel->concept_on[i]) {
			sel->concept_filter = 1;
			/* A concept selects its zib too, unless zibs were chosen apart from it. */
			if (!any || sel->model_on[i])
				sel->model_on[i] = 1;
		}
	}
	if (!any && !sel->concept_filter)
		memset(sel->model_on, 1, ctx->nmodels);
	for (i = 0; i < ctx->nmodels; i++)
		sel->nmodels_on += sel->model_on[i];
	*out = sel;
	return 0;
}

void zib_selection_free(zib_selection *sel)
{
	size_t i;

	if (!sel)
		return;
	for (i = 0; sel->concept_on && i < sel->ctx->nmodels; i++)
		free(sel->concept_on[i]);
	free(sel->concept_on);
	free(sel->model_on);
	free(sel);
}

int zib_selection_has_instance(const zib_selection *sel, const zib_instance *inst)
{
	return sel->model_on[model_index(sel->ctx, inst->model)];
}

/* A column: a concept that carries a value, and selected. */
static int is_column(const struct zib_selection *sel, const struct zib_concept *c)
{
	size_t mi = model_index(sel->ctx, c->model);

	if (c->depth == 0)
		return 0;
	if (sel->concept_filter && (!sel->concept_on[mi] || !sel->concept_on[mi][c->index]))
		return 0;
	if (strcmp(c->datatype, "GROUP") != 0)
		return 1;
	/* A GROUP that is another zib's root is a reference: it has a value. */
	return c->index + 1 >= c->model->nconcepts ||
		c->model->concepts[c->index + 1].depth <= c->depth;
}

static void csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
}

static void column_name(const struct zib_selection *sel, const struct zib_concept *c, struct buf *b)
{
	const struct zib_concept *chain[32];
	int n = 0;

	if (sel->nmodels_on > 1)
		buf_puts(b, c->model->name_nl);
	for (; c && c->depth > 0 && n < 32; c = c->parent)
		chain[n++] = c;
	while (n-- > 0)
		buf_printf(b, "%s%s", b->len ? "." : "", chain[n]->name_nl);
}

void zib_extract_csv_header(FILE *out, const zib_selection *sel)
{
	size_t i, j;

	fputs("file,zib,id,line", out);
	for (i = 0; i < sel->ctx->nmodels; i++) {
		const struct zib_model *m = &sel->ctx->models[i];
		if (!sel->model_on[i])
			continue;
		for (j = 0; j < m->nconcepts; j++) {
			int kind = extract_cells_kind(&m->concepts[j]);
			size_t k;
			if (!is_column(sel, &m->concepts[j]))
				continue;
			for (k = 0; k < extract_cells_width(kind); k++) {
				struct buf b = BUF_INIT;
				column_name(sel, &m->concepts[j], &b);
				if (extract_cells_suffix(kind, k))
					buf_printf(&b, ".%s", extract_cells_suffix(kind, k));
				fputc(',', out);
				csv_field(out, b.data ? b.data : "");
				buf_release(&b);
			}
		}
	}
	fputs("\r\n", out);
}

#define CELLS_MAX 3   /* columns of one concept at most (a code) */

struct cell {
	struct buf b;
	int used;     /* a value was written, maybe empty: the next one gets " | " */
};

/* Appends each value under v to the cells of its concept; repeats are
 * joined with " | " in every cell, so the cells of one value line up. */
static void fill_cells(const struct zib_selection *sel, const struct zib_value *v, struct cell *cells)
{
	for (; v; v = v->next) {
		if (!v->concept)
			continue;
		if (is_column(sel, v->concept)) {
			int kind = extract_cells_kind(v->concept);
			size_t k;
			for (k = 0; k < extract_cells_width(kind); k++) {
				struct cell *cl = &cells[v->concept->index * CELLS_MAX + k];
				if (cl->used)
					buf_puts(&cl->b, " | ");
				cl->used = 1;
				extract_cells_render(v, kind, k, &cl->b);
			}
		}
		fill_cells(sel, v->children, cells);
	}
}

void zib_extract_csv_rows(FILE *out, const zib_doc *doc, const zib_selection *sel)
{
	const struct zib_instance *inst;

	for (inst = doc->instances; inst; inst = inst->next) {
		size_t mi = model_index(sel->ctx, inst->model), i, j;
		struct cell *cells;
		char line[32];

		if (!sel->model_on[mi])
			continue;
		cells = calloc(inst->model->nconcepts * CELLS_MAX, sizeof(*cells));
		if (!cells)
			return;
		fill_cells(sel, inst->values, cells);
		csv_field(out, doc->file);
		fputc(',', out);
		csv_field(out, inst->model->name_nl);
		fputc(',', out);
		csv_field(out, inst->id ? inst->id : "");
		snprintf(line, sizeof(line), ",%d", inst->line);
		fputs(line, out);
		/* Every selected model's columns; other models' cells stay empty. */
		for (i = 0; i < sel->ctx->nmodels; i++) {
			const struct zib_model *m = &sel->ctx->models[i];
			if (!sel->model_on[i])
				continue;
			for (j = 0; j < m->nconcepts; j++) {
				size_t k, width = extract_cells_width(extract_cells_kind(&m->concepts[j]));
				if (!is_column(sel, &m->concepts[j]))
					continue;
				for (k = 0; k < width; k++) {
					const struct buf *b = &cells[j * CELLS_MAX + k].b;
					fputc(',', out);
					if (m == inst->model && b->len)
						csv_field(out, b->data);
				}
			}
		}
		fputs("\r\n", out);
		for (j = 0; j < inst->model->nconcepts * CELLS_MAX; j++)
			buf_release(&cells[j].b);
		free(cells);
	}
}

static void json_field(FILE *out, const char *key, const char *value)
{
	struct buf b = BUF_INIT;

	if (!value)
		return;
	buf_json_escape(&b, value);
	fprintf(out, ", \"%s\": \"%s\"", key, b.data ? b.data : "");
	buf_release(&b);
}

/* Each selected value under v as one JSON object, fields by datatype. */
static void json_values(FILE *out, const struct zib_selection *sel, const struct zib_value *v, int *n)
{
	for (; v; v = v->next) {
		if (v->concept && is_column(sel, v->concept)) {
			int kind = extract_cells_kind(v->concept);
			struct buf name = BUF_INIT, b = BUF_INIT;
			size_t k;
			column_name(sel, v->concept, &name);
			fprintf(out, "%s{\"concept\": \"%s\"", (*n)++ ? ", " : "", v->concept->id);
			json_field(out, "name", name.data ? name.data : "");
			if (v->null_flavor || v->ref || kind == CELLS_ONE) {
				value_render(v, &b);
				json_field(out, v->ref ? "ref" : v->null_flavor ? "nullFlavor" : "value",
					v->ref ? v->ref : v->null_flavor ? v->null_flavor : b.data ? b.data : "");
			} else {
				for (k = 0; k < extract_cells_width(kind); k++) {
					buf_reset(&b);
					extract_cells_render(v, kind, k, &b);
					if (b.len)
						json_field(out, extract_cells_suffix(kind, k) ? extract_cells_suffix(kind, k) : "value",
							b.data);
				}
				if (kind == CELLS_TIME)
					json_field(out, "as_written", v->text);
			}
			fprintf(out, ", \"line\": %d}", v->line);
			buf_release(&name);
			buf_release(&b);
		}
		json_values(out, sel, v->children, n);
	}
}

void zib_extract_ndjson(FILE *out, const zib_doc *doc, const zib_selection *sel)
{
	const struct zib_instance *inst;
	struct buf b = BUF_INIT;

	for (inst = doc->instances; inst; inst = inst->next) {
		int n = 0;
		if (!sel->model_on[model_index(sel->ctx, inst->model)])
			continue;
		fputs("{\"format_version\": 1", out);
		json_field(out, "file", doc->file);
		json_field(out, "zib", inst->model->name_nl);
		json_field(out, "id", inst->id);
		fprintf(out, ", \"line\": %d, \"values\": [", inst->line);
		json_values(out, sel, inst->values, &n);
		fputs("]}\n", out);
	}
	buf_release(&b);
}

static void text_values(FILE *out, const struct zib_selection *sel, const struct zib_value *v,
	int depth)
{
	for (; v; v = v->next) {
		int shown = v->concept && (is_column(sel, v->concept) ||
			(!sel->concept_filter && v->type == ZIB_VALUE_GROUP));
		if (shown) {
			struct buf b = BUF_INIT;
			if (v->type != ZIB_VALUE_GROUP || v->ref || v->null_flavor) {
				value_render(v, &b);
				if (v->ref && v->target)
					buf_printf(&b, " (%s)", v->target->model->name_nl);
			}
			fprintf(out, "%*s%s %s%s%s\n", depth * 2, "", v->concept->id,
				v->concept->name_nl, b.len ? ": " : "", b.len ? b.data : "");
			buf_release(&b);
		}
		text_values(out, sel, v->children, shown ? depth + 1 : depth);
	}
}

void zib_extract_text(FILE *out, const zib_doc *doc, const zib_selection *sel)
{
	const struct zib_instance *inst;

	for (inst = doc->instances; inst; inst = inst->next) {
		if (!sel->model_on[model_index(sel->ctx, inst->model)])
			continue;
		fprintf(out, "%s:%d: %s", doc->file, inst->line, inst->model->name_nl);
		if (inst->id)
			fprintf(out, " %s", inst->id);
		fputc('\n', out);
		text_values(out, sel, inst->values, 1);
	}
}

void zib_summary_write(FILE *out, const zib_doc *doc, int json, zib_error_counter count,
	void *data)
{
	const zib_ctx *ctx = doc->ctx;
	size_t i;
	struct buf b = BUF_INIT;

	if (json) {
		buf_json_escape(&b, doc->file);
		fprintf(out, "{\"format_version\": 1, \"file\": \"%s\", \"format\": \"%s\", \"zibs\": [",
			b.data ? b.data : "", zib_source_format_name(doc->format));
		buf_release(&b);
	} else {
		fprintf(out, "%s (%s)\n%-3s %-28s %-26s %9s %6s\n", doc->file,
			zib_source_format_name(doc->format), "n", "section", "zib", "instances", "errors");
	}
	for (i = 0; i < ctx->nmodels; i++) {
		const struct zib_model *m = &ctx->models[i];
		const struct zib_instance *inst;
		size_t n = 0, with_errors = 0;
		int known = count != NULL;

		for (inst = doc->instances; inst; inst = inst->next) {
			if (inst->model != m)
				continue;
			n++;
			if (count) {
				int e = count(inst, data);
				if (e < 0)
					known = 0;
				else if (e > 0)
					with_errors++;
			}
		}
		/* Related zibs only when present: the 26 always show. */
		if (!m->is_bgz && n == 0)
			continue;
		if (json) {
			fprintf(out, "%s{\"n\": \"%s\", \"section\": \"", i ? ", " : "", m->number);
			buf_reset(&b);
			buf_json_escape(&b, m->section);
			fprintf(out, "%s\", \"zib\": \"%s\", \"instances\": %zu, \"errors\": ",
				b.data ? b.data : "", m->name_nl, n);
			if (known)
				fprintf(out, "%zu}", with_errors);
			else
				fputs("null}", out);
		} else {
			char errs[32];
			if (known)
				snprintf(errs, sizeof(errs), "%zu", with_errors);
			else
				snprintf(errs, sizeof(errs), "-");
			fprintf(out, "%-3s ", m->number);
			/* Pad by characters, not bytes (sections hold UTF-8). */
			{
				const unsigned char *p;
				int chars = 0;
				for (p = (const unsigned char *)m->section; *p; p++)
					chars += (*p & 0xC0) != 0x80;
				fputs(m->section, out);
				while (chars++ < 28)
					fputc(' ', out);
			}
			fprintf(out, " %-26s %9zu %6s\n", m->name_nl, n, errs);
		}
	}
	if (json)
		fprintf(out, "], \"unmapped\": %zu}\n", doc->nunmapped);
	else
		fprintf(out, "unmapped content: %zu\n", doc->nunmapped);
	buf_release(&b);
}
