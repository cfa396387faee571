/*
 * The CDA tables of the model set: cda-map.tsv (the CDA mappings the
 * concept columns cannot express) and cda-sections.tsv (the sections of a
 * BgZ CDA document).  Loaded with the zibs, checked against them, and
 * indexed once: "C|template|concept" and "P|*|concept" -> the first such
 * row, "A|template|zib" -> the list of alias rows in file order.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "model/model.h"
#include "model/tsv.h"

#define CDA_MAP_FILE "cda-map.tsv"
#define CDA_SECTIONS_FILE "cda-sections.tsv"

static const char *const cda_map_columns[] = {
	"kind", "templates", "zib", "concept_id", "xpath", "from", "nested", "prefix_from",
	"prefix_to", NULL
};

static const char *const cda_section_columns[] = {
	"template", "loinc_code", "loinc_display", "title", NULL
};

/* An empty field is "none". */
static const char *field_or_null(zib_ctx *ctx, const char *s)
{
	return *s ? arena_strdup(&ctx->arena, s) : NULL;
}

static int parse_kind(const char *s, struct cda_row *row)
{
	static const struct {
		const char *name;
		enum cda_row_kind kind;
		int optional, shared;
	} kinds[] = {
		{ "root", CDA_ROOT, 0, 0 }, { "optional-root", CDA_ROOT, 1, 0 },
		{ "container", CDA_CONTAINER, 0, 0 }, { "concept", CDA_CONCEPT, 0, 0 },
		{ "shared", CDA_CONCEPT, 0, 1 }, { "alias", CDA_ALIAS, 0, 0 },
		{ "part", CDA_PART, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(s, kinds[i].name) == 0) {
			row->kind = kinds[i].kind;
			row->optional = kinds[i].optional;
			row->shared = kinds[i].shared;
			return 0;
		}
	}
	return -1;
}

/* What a row of each kind must name; NULL when the row is complete. */
static const char *row_problem(const zib_ctx *ctx, const struct cda_row *r)
{
	const struct zib_model *m = r->zib ? strmap_get(&ctx->model_by_name, r->zib) : NULL;

	if (r->kind == CDA_CONTAINER || r->kind == CDA_PART) {
		if (r->zib)
			return "a container or part row names no zib";
	} else if (!m) {
		return "unknown zib";
	}
	if (r->kind == CDA_CONCEPT || r->kind == CDA_PART) {
		if (!r->concept || !r->xpath)
			return "a concept, shared or part row needs a concept_id and an xpath";
		if (r->kind == CDA_CONCEPT && !strmap_get(&m->by_id, r->concept))
			return "the zib has no such concept";
		if (r->kind == CDA_PART && !strmap_get(&ctx->concept_by_id, r->concept))
			return "no zib has this concept";
	} else if (r->concept || r->xpath) {
		return "only concept, shared and part rows have a concept_id and an xpath";
	}
	if (r->kind == CDA_ALIAS ? !r->from : (r->from || r->nested || r->prefix_from || r->prefix_to))
		return "from, nested, prefix_from and prefix_to belong to alias rows (from required)";
	if (r->kind == CDA_ALIAS && !r->prefix_from != !r->prefix_to)
		return "an alias row has both prefix_from and prefix_to, or neither";
	return NULL;
}

static int index_put(zib_ctx *ctx, char kind, const char *tmpl, size_t n, const char *key,
	const struct cda_row *r)
{
	char *k = arena_printf(&ctx->arena, "%c|%.*s|%s", kind, (int)n, tmpl, key);
	struct cda_row_link *l, *tail;

	if (!k)
		return -1;
	if (kind != 'A')
		return strmap_get(&ctx->cda_row_index, k) ? 0 : strmap_put(&ctx->cda_row_index, k, (void *)r);
	if (!(l = arena_alloc(&ctx->arena, sizeof(*l))))
		return -1;
	l->row = r;
	l->next = NULL;
	if (!(tail = strmap_get(&ctx->cda_row_index, k)))
		return strmap_put(&ctx->cda_row_index, k, l);
	while (tail->next)
		tail = tail->next;
	tail->next = l;
	return 0;
}

/* Indexes the rows once they no longer move. */
static int index_rows(zib_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->ncda_rows; i++) {
		const struct cda_row *r = &ctx->cda_rows[i];
		const char *p = r->template_id;
		char kind = r->kind == CDA_CONCEPT ? 'C' : r->kind == CDA_ALIAS ? 'A' :
			r->kind == CDA_PART ? 'P' : 0;

		while (kind && *p) {
			size_t n = strcspn(p, " ");
			if (index_put(ctx, kind, p, n, kind == 'A' ? r->zib : r->concept, r) < 0)
				return -1;
			p += n;
			while (*p == ' ')
				p++;
		}
	}
	return 0;
}

int model_cda_map_load(zib_ctx *ctx, const char *data, size_t len, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	size_t cap = 0;
	struct tsv t;
	int rc;

	rc = tsv_open(&t, CDA_MAP_FILE, data, len, cda_map_columns, err);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct cda_row *r;
		const char *why;

		if (ctx->ncda_rows == cap) {
			struct cda_row *p;
			cap = cap ? cap * 2 : 128;
			if (!(p = arena_alloc(&ctx->arena, cap * sizeof(*p)))) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			if (ctx->ncda_rows)
				memcpy(p, ctx->cda_rows, ctx->ncda_rows * sizeof(*p));
			ctx->cda_rows = p;
		}
		r = &ctx->cda_rows[ctx->ncda_rows];
		memset(r, 0, sizeof(*r));
		if (parse_kind(f[0], r) < 0) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: unknown kind '%s' (root, optional-root, "
				"container, concept, shared, alias, part)", CDA_MAP_FILE, t.line, f[0]);
			break;
		}
		if (!f[1][0]) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: a row needs its templates", CDA_MAP_FILE, t.line);
			break;
		}
		r->template_id = arena_strdup(&ctx->arena, f[1]);
		r->zib = field_or_null(ctx, f[2]);
		r->concept = field_or_null(ctx, f[3]);
		r->xpath = field_or_null(ctx, f[4]);
		r->from = field_or_null(ctx, f[5]);
		r->nested = field_or_null(ctx, f[6]);
		r->prefix_from = field_or_null(ctx, f[7]);
		r->prefix_to = field_or_null(ctx, f[8]);
		if ((why = row_problem(ctx, r)) != NULL) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: %s", CDA_MAP_FILE, t.line, why);
			break;
		}
		ctx->ncda_rows++;
	}
	tsv_close(&t);
	if (rc < 0)
		return rc;
	return index_rows(ctx) < 0 ? error_set(err, ZIB_ENOMEM, "out of memory") : ZIB_OK;
}

int model_cda_sections_load(zib_ctx *ctx, const char *data, size_t len, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	size_t cap = 0;
	struct tsv t;
	int rc;

	rc = tsv_open(&t, CDA_SECTIONS_FILE, data, len, cda_section_columns, err);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct cda_section *s;

		if (!f[0][0] || !f[1][0] || !f[3][0]) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: a section needs a template, a LOINC code "
				"and a title", CDA_SECTIONS_FILE, t.line);
			break;
		}
		if (ctx->ncda_sections == cap) {
			struct cda_section *p;
			cap = cap ? cap * 2 : 16;
			if (!(p = arena_alloc(&ctx->arena, cap * sizeof(*p)))) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			if (ctx->ncda_sections)
				memcpy(p, ctx->cda_sections, ctx->ncda_sections * sizeof(*p));
			ctx->cda_sections = p;
		}
		s = &ctx->cda_sections[ctx->ncda_sections++];
		s->template_id = arena_strdup(&ctx->arena, f[0]);
		s->code = arena_strdup(&ctx->arena, f[1]);
		s->display = arena_strdup(&ctx->arena, f[2]);
		s->title = arena_strdup(&ctx->arena, f[3]);
	}
	tsv_close(&t);
	if (rc < 0)
		return rc;
	/* The CDA writer's empty document carries the first section. */
	if (ctx->ncda_sections == 0)
		return error_set(err, ZIB_EPARSE, "%s: no sections", CDA_SECTIONS_FILE);
	return ZIB_OK;
}

static void *index_get(const zib_ctx *ctx, char kind, const char *tmpl, const char *key)
{
	char k[512];

	snprintf(k, sizeof(k), "%c|%s|%s", kind, tmpl, key);
	return strmap_get(&ctx->cda_row_index, k);
}

const struct cda_row *model_cda_concept_row(const zib_ctx *ctx, const char *tmpl, const char *id)
{
	return index_get(ctx, 'C', tmpl, id);
}

const struct cda_row *model_cda_part_row(const zib_ctx *ctx, const char *id)
{
	return index_get(ctx, 'P', "*", id);
}

const struct cda_row_link *model_cda_aliases(const zib_ctx *ctx, const char *tmpl, const char *zib)
{
	return index_get(ctx, 'A', tmpl, zib);
}
