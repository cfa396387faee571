/*
 * Where a zib concept sits in CDA: the lookup order the reader and the
 * writer both walk, over the model set's cda-map.tsv rows (indexed when the
 * models load, lib/model/cda_tables.c) and the concepts' own mapping.
 */
#include <stdio.h>
#include <string.h>

#include "cda/resolve.h"

const struct cda_row *cda_row_concept(const zib_ctx *ctx, const char *tmpl, const char *concept)
{
	return model_cda_concept_row(ctx, tmpl, concept);
}

/* An alias row moves the data mapping of template a->from: the concept's
 * xpath there, with a->prefix_from rewritten to a->prefix_to. */
static int from_alias(const struct cda_row *a, const struct zib_concept *c,
	struct cda_mapping *m, char *buf, size_t size)
{
	if (!c->cda_template || strcmp(c->cda_template, a->from) != 0 || !c->cda_xpath || !*c->cda_xpath)
		return 0;
	if (a->prefix_from && strncmp(c->cda_xpath, a->prefix_from, strlen(a->prefix_from)) == 0)
		snprintf(buf, size, "%s%s", a->prefix_to, c->cda_xpath + strlen(a->prefix_from));
	else
		snprintf(buf, size, "%s", c->cda_xpath);
	m->xpath = buf;
	m->nested = a->nested && *a->nested ? a->nested : NULL;
	return 1;
}

int cda_resolve(const zib_ctx *ctx, const char *tmpl, const struct zib_concept *c, const char *droot,
	struct cda_mapping *m, char *buf, size_t size)
{
	const struct cda_row *row;
	const struct cda_row_link *al;

	memset(m, 0, sizeof(*m));
	if ((row = model_cda_concept_row(ctx, tmpl, c->id)) != NULL) {
		m->xpath = row->xpath;
		m->shared = row->shared;
		return 1;
	}
	for (al = model_cda_aliases(ctx, tmpl, c->model->name_nl); al; al = al->next)
		if (from_alias(al->row, c, m, buf, size))
			return 1;
	if (c->cda_xpath && *c->cda_xpath && droot && strcmp(droot, tmpl) == 0) {
		m->xpath = c->cda_xpath;
		m->nested = strcmp(c->cda_template, tmpl) != 0 ? c->cda_template : NULL;
		return 1;
	}
	if ((row = model_cda_part_row(ctx, c->id)) != NULL) {
		m->xpath = row->xpath;
		m->part = 1;
		return 1;
	}
	return 0;
}
