/*
 * Loading the model set (zib-models/) into a zib_ctx: from the copy compiled
 * into the library, or from a directory given by --models / ZIB_MODELS.
 * Both go through the same table reader and the same checks, so a broken
 * directory fails exactly like a broken build would, naming FILE:LINE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "model/load_int.h"
#include "model/model.h"
#include "model/tsv.h"

struct zib__embedded_file {
	const char *name;
	const unsigned char *data;
	size_t size;
};
extern const struct zib__embedded_file zib__embedded_models[];

#define MODEL_FILE_MAX ((size_t)64 << 20)

int load_source_get(struct model_source *src, const char *name,
	const char **data, size_t *len, zib_error *err)
{
	const struct zib__embedded_file *f;
	char path[4096];
	int rc;

	free(src->owned);
	src->owned = NULL;
	if (!src->dir) {
		for (f = zib__embedded_models; f->name; f++) {
			if (strcmp(f->name, name) == 0) {
				*data = (const char *)f->data;
				*len = f->size;
				return ZIB_OK;
			}
		}
		return error_set(err, ZIB_ENOTFOUND, "built-in models have no '%s'", name);
	}
	snprintf(path, sizeof(path), "%s/%s", src->dir, name);
	rc = zib_read_file(&src->owned, len, path, MODEL_FILE_MAX, err);
	if (rc < 0)
		return rc;
	*data = src->owned;
	return ZIB_OK;
}

const char *load_dup_field(zib_ctx *ctx, const char *s)
{
	return arena_strdup(&ctx->arena, s);
}

static int parse_card(const char *s, int *min, int *max)
{
	char *end;
	long lo, hi;

	lo = strtol(s, &end, 10);
	if (end == s || end[0] != '.' || end[1] != '.')
		return -1;
	s = end + 2;
	if (strcmp(s, "*") == 0) {
		hi = -1;
	} else {
		hi = strtol(s, &end, 10);
		if (end == s || *end || hi < lo)
			return -1;
	}
	if (lo < 0 || lo > 100000 || hi > 100000)
		return -1;
	*min = (int)lo;
	*max = (int)hi;
	return 0;
}

static int valid_datatype(const char *t)
{
	static const char *const types[] = {
		"CD", "ST", "TS", "PQ", "II", "BL", "INT", "CO", "ED", "ANY", "GROUP", NULL
	};
	int i;

	for (i = 0; types[i]; i++)
		if (strcmp(types[i], t) == 0)
			return 1;
	return 0;
}

int load_valid_concept_id(const char *id)
{
	const char *p;

	if (strncmp(id, "NL-CM:", 6) != 0 || !id[6])
		return 0;
	for (p = id + 6; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] && p[-1] != '.')))
			return 0;
	return 1;
}

/* The header of a table: head, then each release's column (name_of) in
 * release table order, then tail.  Returns the index of the first
 * release column. */
static size_t release_columns(const char **out, const char *const *head,
	const char *(*name_of)(const struct zib_release *), const char *const *tail)
{
	size_t n = 0, first, i;

	for (; *head; head++)
		out[n++] = *head;
	first = n;
	for (i = 0; i < release_count(); i++)
		out[n++] = name_of(release_at(i));
	for (; *tail; tail++)
		out[n++] = *tail;
	out[n] = NULL;
	return first;
}

static const char *path_column(const struct zib_release *rel) { return rel->path_column; }
static const char *profiles_column(const struct zib_release *rel) { return rel->profiles_column; }

static const char *const concept_head[] = {
	"depth", "concept_id", "name_nl", "name_en", "datatype", "card", "valuesets", NULL
};
static const char *const concept_tail[] = { "cda_template", "cda_xpath", NULL };

static int load_concepts(zib_ctx *ctx, struct model_source *src, struct zib_model *m,
	zib_error *err)
{
	char name[512], *f[TSV_MAX_COLUMNS];
	const char *data, *concept_columns[TSV_MAX_COLUMNS + 1];
	size_t len, cap = 0, rel0, tail;
	struct tsv t;
	int rc;

	rel0 = release_columns(concept_columns, concept_head, path_column, concept_tail);
	tail = rel0 + release_count();
	snprintf(name, sizeof(name), "zibs/%s.tsv", m->name_nl);
	rc = load_source_get(src, name, &data, &len, err);
	if (rc < 0)
		return rc;
	rc = tsv_open(&t, name, data, len, concept_columns, err);
	if (rc < 0)
		return rc;
	strmap_init(&m->by_id, 0);
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct zib_concept *c;
		char *end;
		long depth = strtol(f[0], &end, 10);

		if (m->nconcepts == cap) {
			struct zib_concept *p;
			cap = cap ? cap * 2 : 32;
			p = arena_alloc(&ctx->arena, cap * sizeof(*p));
			if (!p) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			if (m->nconcepts)
				memcpy(p, m->concepts, m->nconcepts * sizeof(*p));
			m->concepts = p;
		}
		c = &m->concepts[m->nconcepts];
		if (end == f[0] || *end || depth < 0 || depth > 64 ||
		    (m->nconcepts == 0 && depth != 0) ||
		    (m->nconcepts > 0 && (depth == 0 || depth > m->concepts[m->nconcepts - 1].depth + 1))) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: depth '%s' does not fit the tree "
				"(the root has depth 0, a row at most one deeper than the row above)",
				name, t.line, f[0]);
			break;
		}
		if (!load_valid_concept_id(f[1])) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: '%s' is not an NL-CM concept id", name, t.line, f[1]);
			break;
		}
		if (!valid_datatype(f[4])) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: unknown datatype '%s'", name, t.line, f[4]);
			break;
		}
		if (parse_card(f[5], &c->min, &c->max) < 0) {
			rc = error_set(err, ZIB_EPARSE, "%s:%d: bad cardinality '%s' (expected MIN..MAX)",
				name, t.line, f[5]);
			break;
		}
		c->depth = (int)depth;
		c->tx_min = -1;
		c->id = load_dup_field(ctx, f[1]);
		c->name_nl = load_dup_field(ctx, f[2]);
		c->name_en = load_dup_field(ctx, f[3]);
		c->datatype = load_dup_field(ctx, f[4]);
		c->valuesets = load_dup_field(ctx, f[6]);
		for (size_t k = 0; k < release_count(); k++)
			c->fhir[release_at(k)->slot] = load_dup_field(ctx, f[rel0 + k]);
		c->cda_template = load_dup_field(ctx, f[tail]);
		c->cda_xpath = load_dup_field(ctx, f[tail + 1]);
		c->model = m;
		c->index = m->nconcepts;
		m->nconcepts++;
	}
	tsv_close(&t);
	if (rc < 0)
		return rc;
	if (m->nconcepts == 0)
		return error_set(err, ZIB_EPARSE, "%s: no concepts", name);
	if (strcmp(m->concepts[0].id, m->root) != 0)
		return error_set(err, ZIB_EPARSE, "%s:2: root concept is '%s', bgz.tsv says '%s'",
			name, m->concepts[0].id, m->root);
	/* Parents and indexes are set once the array no longer moves. */
	for (size_t i = 0; i < m->nconcepts; i++) {
		struct zib_concept *c = &m->concepts[i];
		size_t j = i;

		while (j > 0 && m->concepts[j - 1].depth >= c->depth)
			j--;
		c->parent = i > 0 ? &m->concepts[j - 1] : NULL;
		if (!strmap_get(&m->by_id, c->id) && strmap_put(&m->by_id, c->id, c) < 0)
			return error_set(err, ZIB_ENOMEM, "out of memory");
		if (!strmap_get(&ctx->concept_by_id, c->id) &&
		    strmap_put(&ctx->concept_by_id, c->id, c) < 0)
			return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	return ZIB_OK;
}

static const char *const bgz_head[] = {
	"n", "section", "zib_nl", "zib_en", "root_concept", "zib_version", "fhir_r4_resource", NULL
};
static const char *const bgz_tail[] = { "cda_templates", NULL };

static int load_bgz(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	const char *data, *bgz_columns[TSV_MAX_COLUMNS + 1];
	size_t len, cap = 0, rel0, tail;
	struct tsv t;
	int rc;

	rel0 = release_columns(bgz_columns, bgz_head, profiles_column, bgz_tail);
	tail = rel0 + release_count();
	rc = load_source_get(src, "bgz.tsv", &data, &len, err);
	if (rc < 0)
		return rc;
	rc = tsv_open(&t, "bgz.tsv", data, len, bgz_columns, err);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct zib_model *m;

		if (ctx->nmodels == cap) {
			struct zib_model *p;
			cap = cap ? cap * 2 : 32;
			p = arena_alloc(&ctx->arena, cap * sizeof(*p));
			if (!p) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			if (ctx->nmodels)
				memcpy(p, ctx->models, ctx->nmodels * sizeof(*p));
			ctx->models = p;
		}
		m = &ctx->models[ctx->nmodels];
		if (!f[0][0] || !f[2][0] || strchr(f[2], '/') || !load_valid_concept_id(f[4])) {
			rc = error_set(err, ZIB_EPARSE, "bgz.tsv:%d: a zib needs a number, a file-safe "
				"Dutch name and an NL-CM root concept", t.line);
			break;
		}
		if (strmap_get(&ctx->model_by_name, f[2]) || strmap_get(&ctx->model_by_name, f[3])) {
			rc = error_set(err, ZIB_EPARSE, "bgz.tsv:%d: zib '%s' is listed twice", t.line, f[2]);
			break;
		}
		m->number = load_dup_field(ctx, f[0]);
		m->is_bgz = f[0][0] >= '0' && f[0][0] <= '9';
		m->section = load_dup_field(ctx, f[1]);
		m->name_nl = load_dup_field(ctx, f[2]);
		m->name_en = load_dup_field(ctx, f[3]);
		m->root = load_dup_field(ctx, f[4]);
		m->version = load_dup_field(ctx, f[5]);
		m->fhir_r4_resource = load_dup_field(ctx, f[6]);
		for (size_t k = 0; k < release_count(); k++)
			m->fhir_profiles[release_at(k)->slot] = load_dup_field(ctx, f[rel0 + k]);
		m->cda_templates = load_dup_field(ctx, f[tail]);
		ctx->nmodels++;
		/* Register names now so duplicates are caught on their own line. */
		if (strmap_put(&ctx->model_by_name, m->name_nl, m) < 0 ||
		    strmap_put(&ctx->model_by_name, m->name_en, m) < 0) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			break;
		}
	}
	tsv_close(&t);
	if (rc < 0)
		return rc;
	if (ctx->nmodels == 0)
		return error_set(err, ZIB_EPARSE, "bgz.tsv: no zibs");
	/* The array may have moved while growing: map names to final addresses. */
	for (size_t i = 0; i < ctx->nmodels; i++) {
		strmap_put(&ctx->model_by_name, ctx->models[i].name_nl, &ctx->models[i]);
		strmap_put(&ctx->model_by_name, ctx->models[i].name_en, &ctx->models[i]);
	}
	for (size_t i = 0; i < ctx->nmodels; i++) {
		rc = load_concepts(ctx, src, &ctx->models[i], err);
		if (rc < 0)
			return rc;
	}
	return ZIB_OK;
}

static const char *const codesystem_columns[] = { "oid", "uri", "name", NULL };

static int load_codesystems(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	const char *data;
	size_t len;
	struct tsv t;
	int rc;

	rc = load_source_get(src, "codesystems.tsv", &data, &len, err);
	if (rc < 0)
		return rc;
	rc = tsv_open(&t, "codesystems.tsv", data, len, codesystem_columns, err);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct codesystem *cs = arena_alloc(&ctx->arena, sizeof(*cs));

		if (!cs) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			break;
		}
		cs->oid = load_dup_field(ctx, f[0]);
		cs->uri = load_dup_field(ctx, f[1]);
		cs->name = load_dup_field(ctx, f[2]);
		/* Later rows of an oid are url aliases (FHIR STU3 names). */
		if (!strmap_get(&ctx->codesystem_by_oid, cs->oid))
			strmap_put(&ctx->codesystem_by_oid, cs->oid, cs);
		if (cs->uri[0])
			strmap_put(&ctx->codesystem_by_uri, cs->uri, cs);
	}
	tsv_close(&t);
	return rc < 0 ? rc : ZIB_OK;
}

static const char *const valueset_columns[] = {
	"valueset_oid", "valueset_name", "code", "codesystem_oid", "display", NULL
};

/* Rows of one set are consecutive; codes are gathered in a growing array. */
static int load_valuesets(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	const char *data;
	size_t len, cap = 0;
	struct tsv t;
	struct zib_valueset *vs = NULL;
	int rc;

	rc = load_source_get(src, "valuesets.tsv", &data, &len, err);
	if (rc < 0)
		return rc;
	rc = tsv_open(&t, "valuesets.tsv", data, len, valueset_columns, err);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct valueset_code *code;

		if (!f[0][0] || !f[2][0] || !f[3][0]) {
			rc = error_set(err, ZIB_EPARSE, "valuesets.tsv:%d: a row needs a value set, "
				"a code and a code system", t.line);
			break;
		}
		if (!vs || strcmp(vs->oid, f[0]) != 0) {
			if (strmap_get(&ctx->valueset_by_oid, f[0])) {
				rc = error_set(err, ZIB_EPARSE, "valuesets.tsv:%d: rows of value set '%s' "
					"are not together", t.line, f[0]);
				break;
			}
			vs = arena_alloc(&ctx->arena, sizeof(*vs));
			if (!vs) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			vs->oid = load_dup_field(ctx, f[0]);
			vs->name = load_dup_field(ctx, f[1]);
			strmap_init(&vs->by_key, 0);
			strmap_put(&ctx->valueset_by_oid, vs->oid, vs);
			cap = 0;
		}
		if (vs->ncodes == cap) {
			struct valueset_code *p;
			cap = cap ? cap * 2 : 8;
			p = arena_alloc(&ctx->arena, cap * sizeof(*p));
			if (!p) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			if (vs->ncodes)
				memcpy(p, vs->codes, vs->ncodes * sizeof(*p));
			vs->codes = p;
		}
		code = &vs->codes[vs->ncodes++];
		code->code = load_dup_field(ctx, f[2]);
		code->system = load_dup_field(ctx, f[3]);
		code->display = load_dup_field(ctx, f[4]);
	}
	tsv_close(&t);
	return rc < 0 ? rc : ZIB_OK;
}

/* Builds the system|code index of every set once all codes are in place. */
static int index_valuesets(zib_ctx *ctx, zib_error *err)
{
	const struct strmap *m = &ctx->valueset_by_oid;

	for (size_t i = 0; i < m->cap; i++) {
		struct zib_valueset *vs = m->slots[i].value;

		if (!m->slots[i].key)
			continue;
		for (size_t j = 0; j < vs->ncodes; j++) {
			char *key = arena_printf(&ctx->arena, "%s|%s", vs->codes[j].system, vs->codes[j].code);
			if (!key || strmap_put(&vs->by_key, key, &vs->codes[j]) < 0)
				return error_set(err, ZIB_ENOMEM, "out of memory");
		}
	}
	return ZIB_OK;
}

/* The CDA tables (lib/model/cda_tables.c), read like the others. */
static int load_cda_tables(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	const char *data;
	size_t len;
	int rc = load_source_get(src, "cda-map.tsv", &data, &len, err);

	if (rc == ZIB_OK)
		rc = model_cda_map_load(ctx, data, len, err);
	if (rc == ZIB_OK)
		rc = load_source_get(src, "cda-sections.tsv", &data, &len, err);
	if (rc == ZIB_OK)
		rc = model_cda_sections_load(ctx, data, len, err);
	return rc;
}

/* The strict-validation facts: optional in a --models directory. */
static int load_strict_tables(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	static const struct {
		const char *name;
		int (*load)(zib_ctx *, const char *, size_t, zib_error *);
	} tables[] = {
		{ "bgz-transaction.tsv", model_transaction_load },
		{ "units.tsv", model_units_load },
	};
	const char *data;
	size_t len, i;
	int rc = ZIB_OK;

	for (i = 0; rc == ZIB_OK && i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (src->dir) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", src->dir, tables[i].name);
			if (access(path, F_OK) != 0)
				continue;
		}
		rc = load_source_get(src, tables[i].name, &data, &len, err);
		if (rc == ZIB_OK)
			rc = tables[i].load(ctx, data, len, err);
	}
	return rc;
}

static int load_version(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	const char *data;
	size_t len, n;
	int rc = load_source_get(src, "VERSION", &data, &len, err);

	if (rc < 0)
		return rc;
	n = strcspn(data, "\r\n");
	if (n == 0 || n > len)
		return error_set(err, ZIB_EPARSE, "VERSION:1: empty model set version");
	ctx->version = arena_strndup(&ctx->arena, data, n);
	return ZIB_OK;
}

void zib_ctx_free(zib_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->nmodels; i++)
		strmap_release(&ctx->models[i].by_id);
	for (size_t i = 0; i < ctx->valueset_by_oid.cap; i++) {
		struct zib_valueset *vs = ctx->valueset_by_oid.slots[i].value;
		if (ctx->valueset_by_oid.slots[i].key)
			strmap_release(&vs->by_key);
	}
	strmap_release(&ctx->model_by_name);
	strmap_release(&ctx->concept_by_id);
	strmap_release(&ctx->valueset_by_oid);
	strmap_release(&ctx->codesystem_by_oid);
	strmap_release(&ctx->codesystem_by_uri);
	strmap_release(&ctx->cda_row_index);
	arena_release(&ctx->arena);
	free(ctx);
}

int zib_ctx_new(zib_ctx **out, const char *models_dir, zib_error *err)
{
	struct model_source src = { NULL, NULL };
	zib_ctx *ctx;
	int rc;

	*out = NULL;
	if (!models_dir) {
		const char *env = getenv("ZIB_MODELS");
		if (env && *env)
			models_dir = env;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	strmap_init(&ctx->model_by_name, 1);
	strmap_init(&ctx->concept_by_id, 0);
	strmap_init(&ctx->valueset_by_oid, 0);
	strmap_init(&ctx->codesystem_by_oid, 0);
	strmap_init(&ctx->codesystem_by_uri, 0);
	strmap_init(&ctx->cda_row_index, 0);
	src.dir = models_dir;
	ctx->source = models_dir ? arena_strdup(&ctx->arena, models_dir) : "built-in";
	rc = load_version(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = load_bgz(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = load_codesystems(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = load_valuesets(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = index_valuesets(ctx, err);
	if (rc == ZIB_OK)
		rc = load_cda_tables(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = load_roles(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = load_fhir_codes(ctx, &src, err);
	if (rc == ZIB_OK)
		rc = load_strict_tables(ctx, &src, err);
	free(src.owned);
	if (rc < 0) {
		/* Name the directory so the user knows which model set broke. */
		if (err && models_dir && strncmp(err->message, "cannot", 6) != 0) {
			size_t dl = strlen(models_dir), ml = strlen(err->message);
			if (dl + 1 + ml < sizeof(err->message)) {
				memmove(err->message + dl + 1, err->message, ml + 1);
				memcpy(err->message, models_dir, dl);
				err->message[dl] = '/';
			}
		}
		zib_ctx_free(ctx);
		return rc;
	}
	*out = ctx;
	return ZIB_OK;
}
