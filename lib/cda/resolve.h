/*
 * Where a zib concept sits in CDA, for the reader and the writer alike:
 * the lookup order both walk over the model set's cda-map.tsv rows.
 */
#ifndef ZIB_CDA_RESOLVE_H
#define ZIB_CDA_RESOLVE_H

#include <stddef.h>

#include "cda/map.h"

struct cda_mapping {
	const char *xpath;
	const char *nested;   /* template of a nested element the xpath starts at */
	int part;             /* relative to the parent group's node */
	int shared;           /* see struct cda_row (model/model.h) */
};

/* The CDA_CONCEPT row of concept in template tmpl, or NULL. */
const struct cda_row *cda_row_concept(const zib_ctx *ctx, const char *tmpl, const char *concept);

/*
 * The mapping of concept c in an instance rooted at template tmpl, tried
 * in this order: a concept row of tmpl; an alias row of tmpl that moves the
 * zib's data mapping (its xpath, rewritten, goes to buf); the zib's data
 * mapping when tmpl is droot, the template the zib's data is rooted at;
 * a part row, relative to the parent group.  Returns 1 when found.
 */
int cda_resolve(const zib_ctx *ctx, const char *tmpl, const struct zib_concept *c, const char *droot,
	struct cda_mapping *m, char *buf, size_t size);

#endif
