/*
 * The public accessors of the model types: thin reads of model/model.h.
 */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

const char *zib_ctx_models_version(const zib_ctx *ctx) { return ctx->version; }
const char *zib_ctx_models_source(const zib_ctx *ctx) { return ctx->source; }

size_t zib_model_count(const zib_ctx *ctx) { return ctx->nmodels; }

const zib_model *zib_model_at(const zib_ctx *ctx, size_t index)
{
	return index < ctx->nmodels ? &ctx->models[index] : NULL;
}

const zib_model *zib_model_find(const zib_ctx *ctx, const char *name)
{
	return name ? strmap_get(&ctx->model_by_name, name) : NULL;
}

const char *zib_model_number(const zib_model *m) { return m->number; }
int zib_model_is_bgz(const zib_model *m) { return m->is_bgz; }
const char *zib_model_section(const zib_model *m) { return m->section; }
const char *zib_model_name_nl(const zib_model *m) { return m->name_nl; }
const char *zib_model_name_en(const zib_model *m) { return m->name_en; }
const char *zib_model_root_concept(const zib_model *m) { return m->root; }
const char *zib_model_version(const zib_model *m) { return m->version; }
const char *zib_model_fhir_r4_resource(const zib_model *m) { return m->fhir_r4_resource; }

/* A release by id ("zib2017") or FHIR version ("3.0.2", "4.0"). */
static const struct zib_release *release_named(const char *release)
{
	const struct zib_release *rel = release_by_id(release);

	return rel ? rel : release_by_fhir_version(release);
}

size_t zib_release_count(void) { return release_count(); }
const char *zib_release_id(size_t index) { return release_at(index) ? release_at(index)->id : NULL; }

const char *zib_release_fhir_version(const char *release)
{
	const struct zib_release *rel = release_named(release);

	return rel ? rel->fhir_version : NULL;
}

const char *zib_model_fhir_profiles(const zib_model *m, const char *release)
{
	const struct zib_release *rel = release_named(release);

	return rel ? model_fhir_profiles(m, rel) : NULL;
}

/* Deprecated: zib_model_fhir_profiles(m, "zib2020" / "zib2017"). */
const char *zib_model_fhir_r4_profiles(const zib_model *m) { return zib_model_fhir_profiles(m, "4.0"); }
const char *zib_model_fhir_stu3_profiles(const zib_model *m) { return zib_model_fhir_profiles(m, "3.0"); }
const char *zib_model_cda_templates(const zib_model *m) { return m->cda_templates; }
size_t zib_model_concept_count(const zib_model *m) { return m->nconcepts; }

const zib_concept *zib_model_concept_at(const zib_model *m, size_t index)
{
	return index < m->nconcepts ? &m->concepts[index] : NULL;
}

const zib_concept *zib_model_concept_find(const zib_model *m, const char *id)
{
	return id ? strmap_get(&m->by_id, id) : NULL;
}

const zib_concept *zib_concept_find(const zib_ctx *ctx, const char *id)
{
	return id ? strmap_get(&ctx->concept_by_id, id) : NULL;
}

const char *zib_concept_id(const zib_concept *c) { return c->id; }
const char *zib_concept_parent_id(const zib_concept *c) { return c->parent ? c->parent->id : ""; }
const zib_model *zib_concept_model(const zib_concept *c) { return c->model; }
int zib_concept_depth(const zib_concept *c) { return c->depth; }
const char *zib_concept_name_nl(const zib_concept *c) { return c->name_nl; }
const char *zib_concept_name_en(const zib_concept *c) { return c->name_en; }
const char *zib_concept_datatype(const zib_concept *c) { return c->datatype; }
int zib_concept_min(const zib_concept *c) { return c->min; }
int zib_concept_max(const zib_concept *c) { return c->max; }
const char *zib_concept_valuesets(const zib_concept *c) { return c->valuesets; }
const char *zib_concept_fhir(const zib_concept *c, const char *release)
{
	const struct zib_release *rel = release_named(release);

	return rel ? model_concept_fhir_column(c, rel) : NULL;
}

/* Deprecated: zib_concept_fhir(c, "zib2020" / "zib2017"). */
const char *zib_concept_fhir_r4(const zib_concept *c) { return zib_concept_fhir(c, "4.0"); }
const char *zib_concept_fhir_stu3(const zib_concept *c) { return zib_concept_fhir(c, "3.0"); }
const char *zib_concept_cda_template(const zib_concept *c) { return c->cda_template; }
const char *zib_concept_cda_xpath(const zib_concept *c) { return c->cda_xpath; }

const struct zib_concept *model_concept_child(const struct zib_concept *parent, const char *id)
{
	const struct zib_model *m = parent->model;
	size_t i;

	for (i = parent->index + 1; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++)
		if (m->concepts[i].parent == parent && strcmp(m->concepts[i].id, id) == 0)
			return &m->concepts[i];
	return NULL;
}

int model_concept_has_role(const struct zib_concept *c, const char *role)
{
	return c && c->role && strcmp(c->role, role) == 0;
}

const struct zib_concept *model_concept_child_with_role(const struct zib_concept *parent, const char *role)
{
	const struct zib_model *m = parent->model;
	size_t i;

	for (i = parent->index + 1; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++)
		if (m->concepts[i].parent == parent && model_concept_has_role(&m->concepts[i], role))
			return &m->concepts[i];
	return NULL;
}

int model_list_has(const char *list, const char *word)
{
	size_t n = word ? strlen(word) : 0;
	const char *p;

	if (!list || n == 0)
		return 0;
	/* A match starts a word and ends one; a longer word found at p spans
	 * more than n, so the next candidate lies beyond p + n. */
	for (p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int model_valueset_list_next(const char **p, char *oid, size_t size)
{
	size_t n;

	if (!*p)
		return 0;
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return 0;
	n = strcspn(*p, " ");
	snprintf(oid, size, "%.*s", (int)n, *p);
	*p += n;
	return 1;
}

const zib_valueset *zib_valueset_find(const zib_ctx *ctx, const char *oid)
{
	if (oid && strncmp(oid, "urn:oid:", 8) == 0)
		oid += 8;
	return oid ? strmap_get(&ctx->valueset_by_oid, oid) : NULL;
}

const char *zib_valueset_oid(const zib_valueset *vs) { return vs->oid; }
const char *zib_valueset_name(const zib_valueset *vs) { return vs->name; }
size_t zib_valueset_code_count(const zib_valueset *vs) { return vs->ncodes; }

void zib_valueset_code_at(const zib_valueset *vs, size_t index,
	const char **code, const char **system, const char **display)
{
	const struct valueset_code *c = index < vs->ncodes ? &vs->codes[index] : NULL;

	if (code)
		*code = c ? c->code : NULL;
	if (system)
		*system = c ? c->system : NULL;
	if (display)
		*display = c ? c->display : NULL;
}

const char *zib_codesystem_uri(const zib_ctx *ctx, const char *oid)
{
	const struct codesystem *cs = oid ? strmap_get(&ctx->codesystem_by_oid, oid) : NULL;

	return cs && cs->uri[0] ? cs->uri : NULL;
}

const char *zib_codesystem_oid(const zib_ctx *ctx, const char *uri)
{
	const struct codesystem *cs;

	if (!uri)
		return NULL;
	if (strncmp(uri, "urn:oid:", 8) == 0)
		return uri + 8;
	cs = strmap_get(&ctx->codesystem_by_uri, uri);
	return cs ? cs->oid : NULL;
}

const struct valueset_code *model_valueset_code_find(const zib_valueset *vs, const char *system, const char *code)
{
	char key[512];

	if (!vs || !system || !code)
		return NULL;
	/* The set stores OIDs; a FHIR URI is tried through its urn:oid: form. */
	if (strncmp(system, "urn:oid:", 8) == 0)
		system += 8;
	snprintf(key, sizeof(key), "%s|%s", system, code);
	return strmap_get(&vs->by_key, key);
}

const char *model_concept_code_system(const zib_ctx *ctx, const struct zib_concept *c, const char *code)
{
	const char *p = c->valuesets, *found = NULL;
	char oid[128];
	size_t i;

	while (code && model_valueset_list_next(&p, oid, sizeof(oid))) {
		const zib_valueset *vs = zib_valueset_find(ctx, oid);
		for (i = 0; vs && i < vs->ncodes; i++) {
			if (strcmp(vs->codes[i].code, code) != 0)
				continue;
			if (found && strcmp(found, vs->codes[i].system) != 0)
				return NULL;   /* in two systems: the code does not say which */
			found = vs->codes[i].system;
		}
	}
	return found;
}

int zib_valueset_contains(const zib_valueset *vs, const char *system, const char *code)
{
	return model_valueset_code_find(vs, system, code) != NULL;
}
