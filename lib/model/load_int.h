/*
 * Internal to the model loader (model/load*.c): where the model files
 * come from, and the loaders of its tables.
 */
#ifndef ZIB_MODEL_LOAD_INT_H
#define ZIB_MODEL_LOAD_INT_H

#include <stddef.h>

#include "model/model.h"

/* Where the files come from: dir NULL means the embedded copy. */
struct model_source {
	const char *dir;
	char *owned;        /* data read from dir, freed by the next get and at the end */
};

/* The text of model file name ("bgz.tsv", "zibs/X.tsv"). */
int load_source_get(struct model_source *src, const char *name, const char **data, size_t *len,
	zib_error *err);
const char *load_dup_field(zib_ctx *ctx, const char *s);
int load_valid_concept_id(const char *id);

/* load_engine.c: the tables the generic engines read besides the zibs
 * (roles.tsv, fhir-codes.tsv); after the zibs are loaded. */
int load_roles(zib_ctx *ctx, struct model_source *src, zib_error *err);
int load_fhir_codes(zib_ctx *ctx, struct model_source *src, zib_error *err);

#endif
