/*
 * decode: a StructureDefinition record (trimmed FHIR JSON) into the API
 * structs, every string copied into the set's arena, and the snapshot's
 * index links (parent, children, slices, contentReference) worked out once
 * here.  decode_terms.c does the terminology records.
 */
#include <stdlib.h>
#include <string.h>

#include "fhirdef/internal.h"

const char *fhirdef_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int fhirdef_jbool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

const char *fhirdef_jdup_s(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

const char *fhirdef_jdup(struct arena *a, const cJSON *o, const char *key)
{
	return fhirdef_jdup_s(a, fhirdef_jstr(o, key));
}


static int num(const cJSON *o, const char *key, int dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valueint : dflt;
}

/* "*" is -1; a number as written otherwise. */
static int card_max(const char *s)
{
	return !s ? -1 : strcmp(s, "*") == 0 ? -1 : atoi(s);
}

static const char *const *str_list(struct arena *a, const cJSON *arr, size_t *n)
{
	const cJSON *v;
	const char **out;
	size_t i = 0;

	*n = 0;
	if (cJSON_IsString(arr)) {
		/* STU3 writes type.profile and type.targetProfile as one string. */
		if (!(out = arena_alloc(a, sizeof(*out))) || !(out[0] = arena_strdup(a, arr->valuestring)))
			return NULL;
		*n = 1;
		return out;
	}
	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr))
		return NULL;
	out = arena_alloc(a, (size_t)cJSON_GetArraySize(arr) * sizeof(*out));
	if (!out)
		return NULL;
	cJSON_ArrayForEach(v, arr)
		if (cJSON_IsString(v))
			out[i++] = arena_strdup(a, v->valuestring);
	*n = i;
	return out;
}

/* The value of the extension with a url ending in tail. */
static const cJSON *ext_value(const cJSON *o, const char *tail, const char *prop)
{
	const cJSON *e;
	size_t m = strlen(tail);

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "extension")) {
		const char *url = fhirdef_jstr(e, "url");
		size_t n = url ? strlen(url) : 0;

		if (n >= m && strcmp(url + n - m, tail) == 0)
			return prop ? cJSON_GetObjectItemCaseSensitive(e, prop) : e;
	}
	return NULL;
}

static const char *ext_str(struct arena *a, const cJSON *o, const char *tail)
{
	const cJSON *e = ext_value(o, tail, NULL), *v;

	if (!e)
		return NULL;
	cJSON_ArrayForEach(v, e)
		if (strncmp(v->string, "value", 5) == 0 && cJSON_IsString(v))
			return arena_strdup(a, v->valuestring);
	return NULL;
}

static struct fhirdef_value *value_of(struct arena *a, const char *name, const cJSON *j);

/* Appends the children of object j to v (arrays become siblings). */
static void value_children(struct arena *a, struct fhirdef_value *v, const cJSON *j)
{
	struct fhirdef_value **tail = &v->children;
	const cJSON *p, *item;

	cJSON_ArrayForEach(p, j) {
		if (p->string[0] == '_')
			continue;
		if (cJSON_IsArray(p)) {
			cJSON_ArrayForEach(item, p) {
				if ((*tail = value_of(a, p->string, item)))
					tail = &(*tail)->next;
			}
		} else if ((*tail = value_of(a, p->string, p))) {
			tail = &(*tail)->next;
		}
	}
}

static struct fhirdef_value *value_of(struct arena *a, const char *name, const cJSON *j)
{
	struct fhirdef_value *v = arena_alloc(a, sizeof(*v));

	if (!v)
		return NULL;
	v->name = arena_strdup(a, name);
	if (cJSON_IsString(j)) {
		v->value = arena_strdup(a, j->valuestring);
	} else if (cJSON_IsBool(j)) {
		v->value = cJSON_IsTrue(j) ? "true" : "false";
	} else if (cJSON_IsNumber(j)) {
		char *text = cJSON_PrintUnformatted(j);
		v->value = text ? arena_strdup(a, text) : NULL;
		free(text);
	} else if (cJSON_IsObject(j)) {
		value_children(a, v, j);
	}
	return v;
}

static void decode_types(struct arena *a, struct fhirdef_elem *el, const cJSON *arr)
{
	struct fhirdef_type *t;
	const cJSON *j;
	size_t i = 0, n = (size_t)cJSON_GetArraySize(arr);

	if (!n)
		return;
	t = arena_alloc(a, n * sizeof(*t));
	if (!t)
		return;
	cJSON_ArrayForEach(j, arr) {
		t[i].code = fhirdef_jdup(a, j, "code");
		t[i].fhir_type = ext_str(a, j, "structuredefinition-fhir-type");
		if (!t[i].fhir_type)
			t[i].fhir_type = t[i].code;
		t[i].profiles = str_list(a, cJSON_GetObjectItemCaseSensitive(j, "profile"),
			&t[i].nprofiles);
		t[i].target_profiles = str_list(a, cJSON_GetObjectItemCaseSensitive(j,
			"targetProfile"), &t[i].ntarget_profiles);
		t[i].aggregation = str_list(a, cJSON_GetObjectItemCaseSensitive(j, "aggregation"),
			&t[i].naggregation);
		t[i].versioning = fhirdef_jdup(a, j, "versioning");
		t[i].regex = ext_str(a, j, "/regex");
		if (!t[i].regex)
			t[i].regex = ext_str(a, j, "structuredefinition-regex");
		i++;
	}
	el->types = t;
	el->ntypes = i;
}

static void decode_constraints(struct arena *a, struct fhirdef_elem *el, const cJSON *arr)
{
	struct fhirdef_constraint *c;
	const cJSON *j;
	size_t i = 0, n = (size_t)cJSON_GetArraySize(arr);

	if (!n || !(c = arena_alloc(a, n * sizeof(*c))))
		return;
	cJSON_ArrayForEach(j, arr) {
		const cJSON *bp = ext_value(j, "elementdefinition-bestpractice", "valueBoolean");

		c[i].key = fhirdef_jdup(a, j, "key");
		c[i].severity = fhirdef_jdup(a, j, "severity");
		c[i].human = fhirdef_jdup(a, j, "human");
		c[i].expression = fhirdef_jdup(a, j, "expression");
		c[i].xpath = fhirdef_jdup(a, j, "xpath");
		c[i].source = fhirdef_jdup(a, j, "source");
		c[i].best_practice = cJSON_IsTrue(bp);
		i++;
	}
	el->constraints = c;
	el->nconstraints = i;
}

static void decode_slicing(struct arena *a, struct fhirdef_elem *el, const cJSON *j)
{
	struct fhirdef_slicing *s;
	struct fhirdef_discriminator *d;
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "discriminator"), *x;
	size_t i = 0, n = (size_t)cJSON_GetArraySize(arr);

	if (!j || !(s = arena_alloc(a, sizeof(*s))))
		return;
	if (n && (d = arena_alloc(a, n * sizeof(*d)))) {
		cJSON_ArrayForEach(x, arr) {
			d[i].type = fhirdef_jdup(a, x, "type");
			d[i].path = fhirdef_jdup(a, x, "path");
			i++;
		}
		s->discriminators = d;
		s->ndiscriminators = i;
	}
	s->description = fhirdef_jdup(a, j, "description");
	s->ordered = fhirdef_jbool(j, "ordered");
	s->rules = fhirdef_jdup(a, j, "rules");
	el->slicing = s;
}

static void decode_binding(struct arena *a, struct fhirdef_elem *el, const cJSON *j)
{
	struct fhirdef_binding *b;

	if (!j || !(b = arena_alloc(a, sizeof(*b))))
		return;
	b->strength = fhirdef_jdup(a, j, "strength");
	b->value_set = fhirdef_jdup(a, j, "valueSet");
	/* STU3: valueSetReference.reference or valueSetUri. */
	if (!b->value_set)
		b->value_set = fhirdef_jdup(a, cJSON_GetObjectItemCaseSensitive(j, "valueSetReference"),
			"reference");
	if (!b->value_set)
		b->value_set = fhirdef_jdup(a, j, "valueSetUri");
	b->description = fhirdef_jdup(a, j, "description");
	b->max_value_set = ext_str(a, j, "elementdefinition-maxValueSet");
	el->binding = b;
}

/* fixed[x], pattern[x], minValue[x], maxValue[x], defaultValue[x]. */
static void decode_choices(struct arena *a, struct fhirdef_elem *el, const cJSON *j)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, j) {
		const char *k = p->string;

		if (strncmp(k, "fixed", 5) == 0 && k[5] >= 'A' && k[5] <= 'Z') {
			el->fixed = value_of(a, k, p);
			el->fixed_type = arena_strdup(a, k + 5);
		} else if (strncmp(k, "pattern", 7) == 0 && k[7] >= 'A' && k[7] <= 'Z') {
			el->pattern = value_of(a, k, p);
			el->pattern_type = arena_strdup(a, k + 7);
		} else if (strncmp(k, "minValue", 8) == 0 && k[8]) {
			el->min_value = value_of(a, k, p);
		} else if (strncmp(k, "maxValue", 8) == 0 && k[8]) {
			el->max_value = value_of(a, k, p);
		} else if (strncmp(k, "defaultValue", 12) == 0 && k[12]) {
			el->default_value = value_of(a, k, p);
		}
	}
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = s ? strlen(s) : 0, m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* minLength, mustHaveValue, valueAlternatives, narrative-language-control
 * (the extensions compiled.c keeps on an element). */
static void decode_elem_extensions(struct arena *a, struct fhirdef_elem *el, const cJSON *j)
{
	const cJSON *exts = cJSON_GetObjectItemCaseSensitive(j, "extension"), *e;
	const char **alts, **langs;
	size_t n = 0, nl = 0, size = (size_t)cJSON_GetArraySize(exts) * sizeof(char *) + 1;

	if (!exts)
		return;
	alts = arena_alloc(a, size);
	langs = arena_alloc(a, size);
	cJSON_ArrayForEach(e, exts) {
		const char *url = fhirdef_jstr(e, "url");
		const cJSON *v;

		if (ends_with(url, "StructureDefinition/minLength") &&
		    cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(e, "valueInteger")))
			el->min_length = v->valueint;
		else if (ends_with(url, "extension-ElementDefinition.mustHaveValue"))
			el->must_have_value = cJSON_IsTrue(
				cJSON_GetObjectItemCaseSensitive(e, "valueBoolean"));
		else if (ends_with(url, "extension-ElementDefinition.valueAlternatives") && alts &&
			 (v = cJSON_GetObjectItemCaseSensitive(e, "valueCanonical")) &&
			 cJSON_IsString(v))
			alts[n++] = arena_strdup(a, v->valuestring);
		else if (ends_with(url, "StructureDefinition/narrative-language-control") && langs &&
			 (v = cJSON_GetObjectItemCaseSensitive(e, "valueCode")) &&
			 cJSON_IsString(v))
			langs[nl++] = arena_strdup(a, v->valuestring);
	}
	if (nl) {
		el->lang_controls = langs;
		el->nlang_controls = nl;
	}
	if (n) {
		el->value_alternatives = alts;
		el->nvalue_alternatives = n;
	}
}

static void decode_elem(struct arena *a, struct fhirdef_elem *el, const cJSON *j)
{
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(j, "base");
	const char *dot;

	el->path = fhirdef_jdup(a, j, "path");
	el->id = fhirdef_jdup(a, j, "id");
	if (!el->id)
		el->id = el->path;
	dot = el->path ? strrchr(el->path, '.') : NULL;
	el->name = dot ? dot + 1 : el->path;
	el->slice_name = fhirdef_jdup(a, j, "sliceName");
	el->min = num(j, "min", 0);
	el->max_text = fhirdef_jdup(a, j, "max");
	el->max = card_max(el->max_text);
	el->base_path = fhirdef_jdup(a, base, "path");
	el->base_min = num(base, "min", el->min);
	el->base_max = fhirdef_jstr(base, "max") ? card_max(fhirdef_jstr(base, "max")) : el->max;
	decode_types(a, el, cJSON_GetObjectItemCaseSensitive(j, "type"));
	el->content_reference = fhirdef_jdup(a, j, "contentReference");
	decode_constraints(a, el, cJSON_GetObjectItemCaseSensitive(j, "constraint"));
	el->conditions = str_list(a, cJSON_GetObjectItemCaseSensitive(j, "condition"),
		&el->nconditions);
	decode_slicing(a, el, cJSON_GetObjectItemCaseSensitive(j, "slicing"));
	decode_binding(a, el, cJSON_GetObjectItemCaseSensitive(j, "binding"));
	decode_choices(a, el, j);
	el->max_length = num(j, "maxLength", 0);
	decode_elem_extensions(a, el, j);
	el->must_support = fhirdef_jbool(j, "mustSupport");
	el->is_modifier = fhirdef_jbool(j, "isModifier");
	el->is_summary = fhirdef_jbool(j, "isSummary");
	el->representation = str_list(a, cJSON_GetObjectItemCaseSensitive(j, "representation"),
		&el->nrepresentation);
	el->short_text = fhirdef_jdup(a, j, "short");
	el->parent = el->first_child = el->next_sibling = -1;
	el->first_slice = el->next_slice = el->slice_of = el->content_ref = -1;
}

static int id_index(struct sd_full *sd, const char *id, size_t len)
{
	char tmp[1024];

	if (len >= sizeof(tmp))
		return -1;
	memcpy(tmp, id, len);
	tmp[len] = '\0';
	return (int)(uintptr_t)strmap_get(&sd->ids, tmp) - 1;
}

/* parent, children, slices and contentReference as indexes. */
static void link_elems(struct sd_full *sd, struct fhirdef_elem *els, size_t n, int *last_child,
	int *last_slice)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *id = els[i].id, *dot = strrchr(id, '.'), *colon;
		const char *step = dot ? dot + 1 : id;
		int p = dot ? id_index(sd, id, (size_t)(dot - id)) : -1;

		els[i].parent = p;
		colon = strrchr(step, ':');
		if (colon) {
			/* A re-slice "a/b" slices "a"; a slice slices the step's element. */
			const char *slash = strrchr(colon, '/');
			int of = id_index(sd, id, (size_t)((slash ? slash : colon) - id));

			els[i].slice_of = of;
			if (of >= 0) {
				if (last_slice[of] < 0)
					els[of].first_slice = (int)i;
				else
					els[last_slice[of]].next_slice = (int)i;
				last_slice[of] = (int)i;
			}
		} else if (p >= 0) {
			if (last_child[p] < 0)
				els[p].first_child = (int)i;
			else
				els[last_child[p]].next_sibling = (int)i;
			last_child[p] = (int)i;
		}
		if (els[i].content_reference && els[i].content_reference[0] == '#')
			els[i].content_ref = (int)(uintptr_t)strmap_get(&sd->ids,
				els[i].content_reference + 1) - 1;
	}
}

struct fhirdef_sd *fhirdef_decode_sd(struct arena *a, const cJSON *j, const char *source)
{
	struct sd_full *sd = arena_alloc(a, sizeof(*sd));
	const cJSON *snap = cJSON_GetObjectItemCaseSensitive(j, "snapshot"), *e, *c;
	const cJSON *elems = cJSON_GetObjectItemCaseSensitive(snap, "element");
	const char *kind = fhirdef_jstr(j, "kind");
	struct fhirdef_elem *els = NULL;
	size_t n = (size_t)cJSON_GetArraySize(elems), i = 0;
	int *tmp;

	if (!sd)
		return NULL;
	sd->pub.url = fhirdef_jdup(a, j, "url");
	sd->pub.version = fhirdef_jdup(a, j, "version");
	sd->pub.name = fhirdef_jdup(a, j, "name");
	sd->pub.status = fhirdef_jdup(a, j, "status");
	sd->pub.fhir_version = fhirdef_jdup(a, j, "fhirVersion");
	sd->pub.type = fhirdef_jdup(a, j, "type");
	sd->pub.kind = !kind ? FHIRDEF_LOGICAL : strcmp(kind, "primitive-type") == 0 ?
		FHIRDEF_PRIMITIVE : strcmp(kind, "complex-type") == 0 ? FHIRDEF_COMPLEX :
		strcmp(kind, "resource") == 0 ? FHIRDEF_RESOURCE : FHIRDEF_LOGICAL;
	sd->pub.abstract = fhirdef_jbool(j, "abstract");
	sd->pub.derivation = fhirdef_jdup(a, j, "derivation");
	sd->pub.base_definition = fhirdef_jdup(a, j, "baseDefinition");
	sd->pub.source = fhirdef_jdup_s(a, source);
	sd->pub.error = fhirdef_jdup(a, j, "_zibError");
	n = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "context"));
	if (n) {
		struct fhirdef_context *ctx = arena_alloc(a, n * sizeof(*ctx));

		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(j, "context")) {
			if (!ctx)
				break;
			ctx[i].type = fhirdef_jdup(a, c, "type");
			ctx[i].expression = fhirdef_jdup(a, c, "expression");
			i++;
		}
		sd->pub.contexts = ctx;
		sd->pub.ncontexts = ctx ? i : 0;
	}
	sd->pub.context_invariants = str_list(a, cJSON_GetObjectItemCaseSensitive(j,
		"contextInvariant"), &sd->pub.ncontext_invariants);
	strmap_init(&sd->ids, 0);
	n = (size_t)cJSON_GetArraySize(elems);
	if (sd->pub.error) {
		const cJSON *diff = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(j, "differential"), "element");
		size_t nd = (size_t)cJSON_GetArraySize(diff);
		struct fhirdef_elem *d = nd ? arena_alloc(a, nd * sizeof(*d)) : NULL;
		i = 0;
		cJSON_ArrayForEach(e, diff) {
			if (!d)
				break;
			decode_elem(a, &d[i++], e);
		}
		sd->pub.diff = d;
		sd->pub.ndiff = d ? i : 0;
		return &sd->pub;
	}
	if (!n)
		return &sd->pub;
	els = arena_alloc(a, n * sizeof(*els));
	tmp = malloc(2 * n * sizeof(*tmp));
	if (!els || !tmp) {
		free(tmp);
		return NULL;
	}
	i = 0;
	cJSON_ArrayForEach(e, elems) {
		decode_elem(a, &els[i], e);
		if (els[i].id)
			strmap_put(&sd->ids, els[i].id, (void *)(uintptr_t)(i + 1));
		i++;
	}
	for (i = 0; i < 2 * n; i++)
		tmp[i] = -1;
	link_elems(sd, els, n, tmp, tmp + n);
	free(tmp);
	sd->pub.elems = els;
	sd->pub.nelems = n;
	return &sd->pub;
}
