/*
 * expand: value-set membership from the compose, worked out locally on
 * first use and remembered for the life of the set.
 *
 * An include lists concepts (known whatever the code system), or takes a
 * whole local code system, or filters one (concept is-a, descendent-of,
 * is-not-a, =, in), or imports value sets (intersected); excludes remove.
 * What needs a code system that is not here, or not complete, makes the
 * expansion incomplete: membership is then "unknown" with the reason,
 * never "no".  The hierarchy used for is-a is the concepts' nesting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhirdef/internal.h"

struct vs_expansion {
	int complete;
	int busy;                        /* being expanded: an import cycle */
	const char *why;
	struct strmap codes;             /* "system|code" and "|code" -> fhirdef_code */
	struct fhirdef_code *list;
	size_t n, cap;
};

static struct vs_expansion *expand(struct fhirdef_set *set, const char *url);

static void add_code(struct fhirdef_set *set, struct vs_expansion *x, const char *system,
	const char *code, const char *display)
{
	char *key = arena_printf(&set->exp_arena, "%s|%s", system ? system : "", code);
	struct fhirdef_code *c;

	if (!key || strmap_get(&x->codes, key))
		return;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct fhirdef_code *p = realloc(x->list, cap * sizeof(*p));
		if (!p)
			return;
		/* The map points into the list: rebuild it after moving. */
		x->list = p;
		x->cap = cap;
		strmap_release(&x->codes);
		strmap_init(&x->codes, 0);
		for (size_t i = 0; i < x->n; i++) {
			char *k = arena_printf(&set->exp_arena, "%s|%s", x->list[i].system ?
				x->list[i].system : "", x->list[i].code);
			strmap_put(&x->codes, k, &x->list[i]);
			if (!strmap_get(&x->codes, k + strlen(x->list[i].system ?
			    x->list[i].system : "")))
				strmap_put(&x->codes, k + strlen(x->list[i].system ?
					x->list[i].system : ""), &x->list[i]);
		}
	}
	c = &x->list[x->n++];
	c->system = system ? arena_strdup(&set->exp_arena, system) : NULL;
	c->code = arena_strdup(&set->exp_arena, code);
	c->display = display ? arena_strdup(&set->exp_arena, display) : NULL;
	strmap_put(&x->codes, key, c);
	key += system ? strlen(system) : 0;
	if (!strmap_get(&x->codes, key))
		strmap_put(&x->codes, key, c);
}

static void unknown(struct fhirdef_set *set, struct vs_expansion *x, const char *fmt,
	const char *arg)
{
	if (x->complete) {
		x->complete = 0;
		x->why = arena_printf(&set->exp_arena, fmt, arg);
	}
}

/* Is concept i is-a concept j (or j itself when self)?  Upward through the
 * nesting and the parents properties name; budget bounds a tangled
 * polyhierarchy (or a cycle). */
static int reaches(const struct cs_full *cs, int i, int j, int *budget)
{
	int k;

	for (; i >= 0 && (*budget)-- > 0; i = cs->pub.concepts[i].parent) {
		if (i == j)
			return 1;
		if (cs->more_first)
			for (k = cs->more_first[i]; k < cs->more_first[i + 1]; k++)
				if (reaches(cs, cs->more_parents[k], j, budget))
					return 1;
	}
	return 0;
}

static int descends(const struct fhirdef_cs *cs, int i, int j, int self)
{
	int budget = 100000;

	if (i == j)
		return self;
	return reaches((const struct cs_full *)cs, i, j, &budget);
}

static int concept_index(const struct fhirdef_cs *cs, const char *code)
{
	return fhirdef_cs_concept(cs, code);
}

/* Does concept i pass every filter of the include? -1: a filter we cannot do. */
static int passes(const struct fhirdef_cs *cs, int i, const cJSON *filters, const char **bad)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, filters) {
		const char *prop = fhirdef_jstr(f, "property"), *op = fhirdef_jstr(f, "op");
		const char *val = fhirdef_jstr(f, "value");
		int j, ok;

		if (!prop || !op || !val || (strcmp(prop, "concept") != 0 && strcmp(prop, "code") != 0)) {
			*bad = prop ? prop : "?";
			return -1;
		}
		if (strcmp(op, "=") == 0) {
			ok = strcmp(cs->concepts[i].code, val) == 0;
		} else if (strcmp(op, "in") == 0) {
			size_t n = strlen(cs->concepts[i].code);
			const char *p = val;
			ok = 0;
			while (p && *p && !ok) {
				ok = strncmp(p, cs->concepts[i].code, n) == 0 && (p[n] == ',' || !p[n]);
				p = strchr(p, ',');
				p = p ? p + 1 : NULL;
			}
		} else {
			j = concept_index(cs, val);
			if (strcmp(op, "is-a") == 0)
				ok = j >= 0 && descends(cs, i, j, 1);
			else if (strcmp(op, "descendent-of") == 0)
				ok = j >= 0 && descends(cs, i, j, 0);
			else if (strcmp(op, "is-not-a") == 0)
				ok = j < 0 || !descends(cs, i, j, 1);
			else {
				*bad = op;
				return -1;
			}
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* A candidate code is kept when every imported set has it too. */
static int in_imports(struct vs_expansion *const *imports, int nimp, const char *system,
	const char *code)
{
	char key[1024];
	int k;

	snprintf(key, sizeof(key), "%s|%s", system ? system : "", code);
	for (k = 0; k < nimp; k++)
		if (!strmap_get(&imports[k]->codes, key))
			return 0;
	return 1;
}

/* The codes of one include/exclude into part. */
static void add_part(struct fhirdef_set *set, struct vs_expansion *part, const cJSON *inc)
{
	const char *system = fhirdef_jstr(inc, "system");
	const cJSON *concepts = cJSON_GetObjectItemCaseSensitive(inc, "concept");
	const cJSON *filters = cJSON_GetObjectItemCaseSensitive(inc, "filter");
	const cJSON *vsets = cJSON_GetObjectItemCaseSensitive(inc, "valueSet"), *c;
	const struct fhirdef_cs *cs = system ? fhirdef_cs(set, system) : NULL;
	struct vs_expansion *imports[16];
	int nimp = 0;
	size_t i;

	cJSON_ArrayForEach(c, vsets) {
		struct vs_expansion *x = cJSON_IsString(c) ? expand(set, c->valuestring) : NULL;
		if (!x) {
			unknown(set, part, "value set '%s' is not available locally",
				cJSON_IsString(c) ? c->valuestring : "?");
			return;
		}
		if (!x->complete) {
			unknown(set, part, "%s", x->why);
			return;
		}
		if (nimp < 16)
			imports[nimp++] = x;
	}
	if (!system) {
		/* Only imports: their intersection. */
		for (i = 0; nimp && i < imports[0]->n; i++) {
			const struct fhirdef_code *x = &imports[0]->list[i];
			if (in_imports(imports, nimp, x->system, x->code))
				add_code(set, part, x->system, x->code, x->display);
		}
		return;
	}
	if (concepts) {
		cJSON_ArrayForEach(c, concepts) {
			const char *code = fhirdef_jstr(c, "code"), *disp = fhirdef_jstr(c, "display");
			int j = cs ? concept_index(cs, code ? code : "") : -1;
			if (!disp && j >= 0)
				disp = cs->concepts[j].display;
			if (code && in_imports(imports, nimp, system, code))
				add_code(set, part, system, code, disp);
		}
		return;
	}
	if (!cs) {
		unknown(set, part, "code system '%s' is not available locally", system);
		return;
	}
	if (!cs->content || strcmp(cs->content, "complete") != 0) {
		unknown(set, part, "code system '%s' is not complete here", system);
		return;
	}
	for (i = 0; i < cs->nconcepts; i++) {
		const char *bad = NULL;
		int ok = filters ? passes(cs, (int)i, filters, &bad) : 1;

		if (ok < 0) {
			unknown(set, part, "filter '%s' is not supported locally", bad);
			return;
		}
		if (ok && in_imports(imports, nimp, system, cs->concepts[i].code))
			add_code(set, part, system, cs->concepts[i].code, cs->concepts[i].display);
	}
}

static struct vs_expansion *new_exp(struct fhirdef_set *set)
{
	struct vs_expansion *x = arena_alloc(&set->exp_arena, sizeof(*x));

	if (x) {
		x->complete = 1;
		strmap_init(&x->codes, 0);
	}
	return x;
}

static void free_exp(struct vs_expansion *x)
{
	strmap_release(&x->codes);
	free(x->list);
	x->list = NULL;
	x->n = x->cap = 0;
}

static struct vs_expansion *expand(struct fhirdef_set *set, const char *url)
{
	const struct vs_full *vs = (const struct vs_full *)fhirdef_vs(set, url);
	struct vs_expansion *x, *ex;
	cJSON *compose, *c;
	const char *key = vs ? vs->pub.url : url;
	size_t i;

	if ((x = strmap_get(&set->expansions, key)))
		return x->busy ? NULL : x;
	if (!(x = new_exp(set)))
		return NULL;
	if (!vs) {
		x->complete = 0;
		x->why = arena_printf(&set->exp_arena, "value set '%s' is not available locally", url);
		strmap_put(&set->expansions, arena_strdup(&set->exp_arena, url), x);
		return x;
	}
	strmap_put(&set->expansions, key, x);
	x->busy = 1;
	compose = vs->compose ? cJSON_Parse(vs->compose) : NULL;
	if (compose) {
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(compose, "include"))
			add_part(set, x, c);
		ex = new_exp(set);
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(compose, "exclude"))
			if (ex)
				add_part(set, ex, c);
		if (ex && !ex->complete)
			unknown(set, x, "%s", ex->why);
		if (ex && ex->n) {
			/* Rebuild without the excluded codes. */
			struct fhirdef_code *old = x->list;
			size_t n = x->n;
			x->list = NULL;
			x->n = x->cap = 0;
			strmap_release(&x->codes);
			strmap_init(&x->codes, 0);
			for (i = 0; i < n; i++) {
				char k[1024];
				snprintf(k, sizeof(k), "%s|%s", old[i].system ? old[i].system : "",
					old[i].code);
				if (!strmap_get(&ex->codes, k))
					add_code(set, x, old[i].system, old[i].code, old[i].display);
			}
			free(old);
		}
		if (ex)
			free_exp(ex);
		cJSON_Delete(compose);
	} else if (vs->expansion && (compose = cJSON_Parse(vs->expansion))) {
		cJSON_ArrayForEach(c, compose)
			if (fhirdef_jstr(c, "code"))
				add_code(set, x, fhirdef_jstr(c, "system"), fhirdef_jstr(c, "code"),
					fhirdef_jstr(c, "display"));
		cJSON_Delete(compose);
	} else {
		unknown(set, x, "value set '%s' has neither compose nor expansion", url);
	}
	x->busy = 0;
	return x;
}

/*
 * The expansion of a value set, made on first use.  -j workers ask for
 * codes all the time, so a made expansion is found under the shared lock;
 * only making one takes the exclusive lock.  Returns with exp_lock held
 * either way: the caller reads the expansion, then unlocks.
 */
static struct vs_expansion *expansion_locked(struct fhirdef_set *set, const char *url)
{
	const struct vs_full *vs = (const struct vs_full *)fhirdef_vs(set, url);
	struct vs_expansion *x;

	pthread_rwlock_rdlock(&set->exp_lock);
	/* expand() files an expansion under the record's url, or the url
	 * asked for when there is no record */
	x = strmap_get(&set->expansions, vs ? vs->pub.url : url);
	if (x)
		return x;
	pthread_rwlock_unlock(&set->exp_lock);
	pthread_rwlock_wrlock(&set->exp_lock);
	return expand(set, url);
}

int fhirdef_vs_contains(struct fhirdef_set *set, const char *vs_canonical, const char *system,
	const char *code, const char **display, const char **why)
{
	struct vs_expansion *x;
	const struct fhirdef_code *c;
	char key[1024];
	int rc;

	if (display)
		*display = NULL;
	if (why)
		*why = NULL;
	if (!code)
		return FHIRDEF_NO;
	x = expansion_locked(set, vs_canonical);
	snprintf(key, sizeof(key), "%s|%s", system ? system : "", code);
	c = x ? strmap_get(&x->codes, key) : NULL;
	if (c) {
		if (display)
			*display = c->display;
		rc = FHIRDEF_YES;
	} else if (!x || !x->complete) {
		if (why)
			*why = x ? x->why : "value set expansion has an import cycle";
		rc = FHIRDEF_UNKNOWN;
	} else {
		rc = FHIRDEF_NO;
	}
	pthread_rwlock_unlock(&set->exp_lock);
	return rc;
}

long fhirdef_vs_expand(struct fhirdef_set *set, const char *vs_canonical,
	const struct fhirdef_code **codes, const char **why)
{
	struct vs_expansion *x;
	long n = -1;

	*codes = NULL;
	if (why)
		*why = NULL;
	x = expansion_locked(set, vs_canonical);
	if (x && x->complete) {
		*codes = x->list;
		n = (long)x->n;
	} else if (why) {
		*why = x ? x->why : "value set expansion has an import cycle";
	}
	pthread_rwlock_unlock(&set->exp_lock);
	return n;
}

int fhirdef_cs_contains(struct fhirdef_set *set, const char *system, const char *code,
	const char **display)
{
	const struct fhirdef_cs *cs = fhirdef_cs(set, system);
	int i;

	if (display)
		*display = NULL;
	if (!cs || !cs->content || strcmp(cs->content, "complete") != 0 || !code)
		return FHIRDEF_UNKNOWN;
	i = concept_index(cs, code);
	if (i < 0)
		return FHIRDEF_NO;
	if (display)
		*display = cs->concepts[i].display;
	return FHIRDEF_YES;
}

void fhirdef_expansions_release(struct fhirdef_set *set)
{
	size_t i;

	for (i = 0; i < set->expansions.cap; i++)
		if (set->expansions.slots && set->expansions.slots[i].key)
			free_exp(set->expansions.slots[i].value);
}
