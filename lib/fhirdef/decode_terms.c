/*
 * decode_terms: CodeSystem (concepts, their hierarchy by nesting and by
 * properties, a code index), ValueSet (the compose kept for expand.c) and
 * ConceptMap records into the API structs.
 */
#include <stdlib.h>
#include <string.h>

#include "fhirdef/internal.h"

static void decode_concepts(struct arena *a, struct fhirdef_concept *out, size_t *n,
	const cJSON *list, int parent)
{
	const cJSON *c, *p;

	cJSON_ArrayForEach(c, list) {
		struct fhirdef_concept *x = &out[*n];
		int me = (int)*n;

		x->code = fhirdef_jdup(a, c, "code");
		x->display = fhirdef_jdup(a, c, "display");
		x->parent = parent;
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "property")) {
			const char *code = fhirdef_jstr(p, "code");
			const char *vc = fhirdef_jstr(p, "valueCode");

			if (!code)
				continue;
			if ((strcmp(code, "notSelectable") == 0 || strcmp(code, "abstract") == 0) &&
			    fhirdef_jbool(p, "valueBoolean"))
				x->abstract = 1;
			else if ((strcmp(code, "inactive") == 0 && fhirdef_jbool(p, "valueBoolean")) ||
				 (strcmp(code, "status") == 0 && vc &&
				  (strcmp(vc, "retired") == 0 || strcmp(vc, "inactive") == 0)))
				x->inactive = 1;
		}
		(*n)++;
		decode_concepts(a, out, n, cJSON_GetObjectItemCaseSensitive(c, "concept"), me);
	}
}

static size_t count_concepts(const cJSON *list)
{
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, list)
		n += 1 + count_concepts(cJSON_GetObjectItemCaseSensitive(c, "concept"));
	return n;
}

struct link {
	int child, parent;
};

/* Parent links the concepts' properties state, in concept order. */
static void collect_links(struct cs_full *cs, const cJSON *list, size_t *k, struct link **links,
	size_t *n, size_t *cap)
{
	const cJSON *c, *p;

	cJSON_ArrayForEach(c, list) {
		int me = (int)(*k)++;

		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "property")) {
			const char *code = fhirdef_jstr(p, "code"), *v = fhirdef_jstr(p, "valueCode");
			int other = v ? fhirdef_cs_concept(&cs->pub, v) : -1;
			struct link l;

			if (!code || other < 0)
				continue;
			if (strcmp(code, "child") == 0)
				l.child = other, l.parent = me;
			else if (strcmp(code, "parent") == 0 || strcmp(code, "subsumedBy") == 0)
				l.child = me, l.parent = other;
			else
				continue;
			if (*n == *cap) {
				struct link *x = realloc(*links, (*cap = *cap ? *cap * 2 : 64) * sizeof(*x));
				if (!x)
					return;
				*links = x;
			}
			(*links)[(*n)++] = l;
		}
		collect_links(cs, cJSON_GetObjectItemCaseSensitive(c, "concept"), k, links, n, cap);
	}
}

static void more_parents(struct arena *a, struct cs_full *cs, const cJSON *list)
{
	struct link *links = NULL;
	size_t n = 0, cap = 0, k = 0, i, nc = cs->pub.nconcepts;
	int *first, *fill;

	collect_links(cs, list, &k, &links, &n, &cap);
	if (!n || !(first = arena_alloc(a, (nc + 1) * sizeof(int))) ||
	    !(cs->more_parents = arena_alloc(a, n * sizeof(int))) ||
	    !(fill = calloc(nc + 1, sizeof(int)))) {
		free(links);
		return;
	}
	for (i = 0; i < n; i++)
		first[links[i].child + 1]++;
	for (i = 0; i < nc; i++)
		first[i + 1] += first[i];
	for (i = 0; i < n; i++)
		cs->more_parents[first[links[i].child] + fill[links[i].child]++] = links[i].parent;
	cs->more_first = first;
	free(fill);
	free(links);
}

struct fhirdef_cs *fhirdef_decode_cs(struct arena *a, const cJSON *j, const char *source)
{
	struct cs_full *full = arena_alloc(a, sizeof(*full));
	struct fhirdef_cs *cs = full ? &full->pub : NULL;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(j, "concept");
	size_t n = count_concepts(list), i = 0;
	struct fhirdef_concept *cc;

	if (!cs)
		return NULL;
	cs->url = fhirdef_jdup(a, j, "url");
	cs->version = fhirdef_jdup(a, j, "version");
	cs->name = fhirdef_jdup(a, j, "name");
	cs->content = fhirdef_jdup(a, j, "content");
	cs->case_sensitive = fhirdef_jbool(j, "caseSensitive");
	cs->source = fhirdef_jdup_s(a, source);
	if (n && (cc = arena_alloc(a, n * sizeof(*cc)))) {
		decode_concepts(a, cc, &i, list, -1);
		cs->concepts = cc;
		cs->nconcepts = i;
	}
	/* caseSensitive false: codes match whatever their case. */
	strmap_init(&full->codes, !cs->case_sensitive);
	for (i = cs->nconcepts; i-- > 0;)
		if (cs->concepts[i].code)
			strmap_put(&full->codes, cs->concepts[i].code, (void *)(uintptr_t)(i + 1));
	more_parents(a, full, list);
	return cs;
}

int fhirdef_cs_concept(const struct fhirdef_cs *cs, const char *code)
{
	const struct cs_full *full = (const struct cs_full *)cs;

	return code ? (int)(uintptr_t)strmap_get(&full->codes, code) - 1 : -1;
}

struct fhirdef_vs *fhirdef_decode_vs(struct arena *a, const cJSON *j, const char *source)
{
	struct vs_full *vs = arena_alloc(a, sizeof(*vs));
	const cJSON *compose = cJSON_GetObjectItemCaseSensitive(j, "compose");
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(j, "expansion");
	char *text;

	if (!vs)
		return NULL;
	vs->pub.url = fhirdef_jdup(a, j, "url");
	vs->pub.version = fhirdef_jdup(a, j, "version");
	vs->pub.name = fhirdef_jdup(a, j, "name");
	vs->pub.source = fhirdef_jdup_s(a, source);
	if (compose && (text = cJSON_PrintUnformatted(compose))) {
		vs->compose = arena_strdup(a, text);
		free(text);
	}
	exp = cJSON_GetObjectItemCaseSensitive(exp, "contains");
	if (exp && (text = cJSON_PrintUnformatted(exp))) {
		vs->expansion = arena_strdup(a, text);
		free(text);
	}
	return &vs->pub;
}

struct fhirdef_cm *fhirdef_decode_cm(struct arena *a, const cJSON *j, const char *source)
{
	struct fhirdef_cm *cm = arena_alloc(a, sizeof(*cm));
	const cJSON *g, *e, *t;
	size_t n = 0, i = 0;
	struct fhirdef_cm_row *rows;

	if (!cm)
		return NULL;
	cm->url = fhirdef_jdup(a, j, "url");
	cm->version = fhirdef_jdup(a, j, "version");
	cm->name = fhirdef_jdup(a, j, "name");
	cm->source = fhirdef_jdup_s(a, source);
	cm->source_vs = fhirdef_jdup(a, j, "sourceUri");
	if (!cm->source_vs)
		cm->source_vs = fhirdef_jdup(a, j, "sourceCanonical");
	cm->target_vs = fhirdef_jdup(a, j, "targetUri");
	if (!cm->target_vs)
		cm->target_vs = fhirdef_jdup(a, j, "targetCanonical");
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(j, "group"))
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(g, "element"))
			n += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "target"));
	if (!n || !(rows = arena_alloc(a, n * sizeof(*rows))))
		return cm;
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(j, "group")) {
		const char *ss = fhirdef_jdup(a, g, "source"), *ts = fhirdef_jdup(a, g, "target");

		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(g, "element")) {
			const char *sc = fhirdef_jdup(a, e, "code");

			cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(e, "target")) {
				rows[i].source_system = ss;
				rows[i].source_code = sc;
				rows[i].target_system = ts;
				rows[i].target_code = fhirdef_jdup(a, t, "code");
				rows[i].equivalence = fhirdef_jdup(a, t, "equivalence");
				i++;
			}
		}
	}
	cm->rows = rows;
	cm->nrows = i;
	return cm;
}
