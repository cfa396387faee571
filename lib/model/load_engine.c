/*
 * The model tables the generic engines read besides the zibs: roles.tsv
 * (concepts an engine treats by role, not by path) and fhir-codes.tsv
 * (the FHIR codes that tell a resource's zib).  Format: zib-models/README.md.
 * Every name in them must be known: a concept id of a loaded zib, a zib,
 * a role the engines implement; else the error names FILE:LINE.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/load_int.h"
#include "model/tsv.h"

/* The roles the engines implement (fhir/zib_read_schedule.c,
 * fhir/zib_write.c): Toedieningsschema parts read and written from
 * Timing.repeat as a whole, and the duration inside a time interval. */
static const char *const known_roles[] = {
	"schedule-frequency", "schedule-interval", "administration-duration", "interval-duration", NULL
};

static const char *known_role(const char *role)
{
	size_t i;

	for (i = 0; known_roles[i]; i++)
		if (strcmp(known_roles[i], role) == 0)
			return known_roles[i];
	return NULL;
}

static const char *const role_columns[] = { "concept_id", "role", NULL };

int load_roles(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	const char *data;
	size_t len, i, j;
	struct tsv t;
	struct strmap by_id;
	int rc;

	rc = load_source_get(src, "roles.tsv", &data, &len, err);
	if (rc < 0)
		return rc;
	rc = tsv_open(&t, "roles.tsv", data, len, role_columns, err);
	if (rc < 0)
		return rc;
	strmap_init(&by_id, 0);
	while ((rc = tsv_next(&t, f, err)) > 0) {
		const char *role = known_role(f[1]);
		if (!load_valid_concept_id(f[0]) || !strmap_get(&ctx->concept_by_id, f[0])) {
			rc = error_set(err, ZIB_EPARSE, "roles.tsv:%d: '%s' is no concept of a zib", t.line, f[0]);
			break;
		}
		if (!role) {
			rc = error_set(err, ZIB_EPARSE, "roles.tsv:%d: unknown role '%s'", t.line, f[1]);
			break;
		}
		if (strmap_put(&by_id, load_dup_field(ctx, f[0]), (void *)role) < 0) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			break;
		}
	}
	tsv_close(&t);
	/* An id can occur in several zibs (inherited parts): each gets it. */
	for (i = 0; rc == 0 && i < ctx->nmodels; i++)
		for (j = 0; j < ctx->models[i].nconcepts; j++)
			ctx->models[i].concepts[j].role = strmap_get(&by_id, ctx->models[i].concepts[j].id);
	strmap_release(&by_id);
	return rc < 0 ? rc : ZIB_OK;
}

static const char *const fhir_code_columns[] = {
	"fhir_type", "element", "system", "code", "zib", "write", "category", NULL
};

int load_fhir_codes(zib_ctx *ctx, struct model_source *src, zib_error *err)
{
	char *f[TSV_MAX_COLUMNS];
	const char *data;
	size_t len, cap = 0;
	struct tsv t;
	int rc;

	rc = load_source_get(src, "fhir-codes.tsv", &data, &len, err);
	if (rc < 0)
		return rc;
	rc = tsv_open(&t, "fhir-codes.tsv", data, len, fhir_code_columns, err);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(&t, f, err)) > 0) {
		struct fhir_code_rule *r;
		const struct zib_model *m = strmap_get(&ctx->model_by_name, f[4]);

		if (!f[0][0] || !m) {
			rc = error_set(err, ZIB_EPARSE, "fhir-codes.tsv:%d: a row needs a FHIR type and "
				"a zib of bgz.tsv (got '%s')", t.line, f[4]);
			break;
		}
		if (!f[1][0] != !f[3][0] || (strcmp(f[5], "") != 0 && strcmp(f[5], "1") != 0) ||
		    (f[5][0] && !f[3][0])) {
			rc = error_set(err, ZIB_EPARSE, "fhir-codes.tsv:%d: an element needs a code, and "
				"write is 1 or empty (on a row with a code)", t.line);
			break;
		}
		if (ctx->nfhir_codes == cap) {
			struct fhir_code_rule *p;
			cap = cap ? cap * 2 : 32;
			p = arena_alloc(&ctx->arena, cap * sizeof(*p));
			if (!p) {
				rc = error_set(err, ZIB_ENOMEM, "out of memory");
				break;
			}
			if (ctx->nfhir_codes)
				memcpy(p, ctx->fhir_codes, ctx->nfhir_codes * sizeof(*p));
			ctx->fhir_codes = p;
		}
		r = &ctx->fhir_codes[ctx->nfhir_codes++];
		r->fhir_type = load_dup_field(ctx, f[0]);
		r->element = f[1][0] ? load_dup_field(ctx, f[1]) : NULL;
		r->system = f[2][0] ? load_dup_field(ctx, f[2]) : NULL;
		r->code = f[3][0] ? load_dup_field(ctx, f[3]) : NULL;
		r->model = m;
		r->write = f[5][0] == '1';
		r->category = f[6][0] ? load_dup_field(ctx, f[6]) : NULL;
	}
	tsv_close(&t);
	return rc < 0 ? rc : ZIB_OK;
}
