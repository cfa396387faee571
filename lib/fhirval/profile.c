/*
 * Profiles: a resource against a StructureDefinition snapshot (fhirdef):
 * cardinality of every element the snapshot lists (slices included),
 * choice types, fixed[x], pattern[x], maxLength, required bindings, and
 * slicing (value, pattern, exists and type discriminators; closed,
 * openAtEnd), and the targetProfiles of references that resolve in the
 * document.  Elements the snapshot does not break down are left to the
 * base rules of the other files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fhirdef/fhirdef.h"
#include "fhirval/fhirval.h"

struct prof {
	struct fv_run *run;
	struct fhirdef_set *set;
	const struct fhirdef_sd *sd;
};

static void check_children(struct prof *p, int parent, const struct fhir_node *node, int depth);

/* The type name of a node: a resource's type, else its element's type. */
static const char *node_type(const struct fhir_node *n)
{
	if (n->kind == FHIR_K_RESOURCE)
		return fhir_resource_name(n);
	return n->def ? n->def->type_code : n->name;
}

/* Does instance child c fill element e (by name; value[x] by any type)? */
static int fills(const struct fhirdef_elem *e, const struct fhir_node *c)
{
	size_t l = strlen(e->name);

	if (l > 3 && strcmp(e->name + l - 3, "[x]") == 0)
		return c->def && c->def->choice && strncmp(c->name, e->name, l - 3) == 0 &&
			strlen(c->name) == l - 3 + strlen(c->def->type_code);
	return strcmp(c->name, e->name) == 0;
}

/* The instance's JSON-shaped name of a value property: "coding",
 * "valueQuantity". */
static int named(const struct fhir_node *c, const char *name)
{
	return c->name && strcmp(c->name, name) == 0;
}

int fv_type_allowed(const struct fhirdef_elem *e, const char *type_code)
{
	for (size_t i = 0; i < e->ntypes; i++)
		if (strcmp(e->types[i].code, type_code) == 0)
			return 1;
	return 0;
}

int fv_matches_pattern(const struct fhir_node *n, const struct fhirdef_value *v)
{
	const struct fhirdef_value *pc;

	if (v->value)
		return n->value && strcmp(n->value, v->value) == 0;
	for (pc = v->children; pc; pc = pc->next) {
		const struct fhir_node *c;
		int found = 0;
		for (c = n->children; c && !found; c = c->next)
			if (named(c, pc->name) && fv_matches_pattern(c, pc))
				found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

/* The element under element index ei reached by the relative path (steps
 * separated by '.'), or -1. */
static int elem_at(const struct fhirdef_sd *sd, int ei, const char *path)
{
	char step[128];

	if (strcmp(path, "$this") == 0)
		return ei;
	while (*path && ei >= 0) {
		const char *dot = strchr(path, '.');
		size_t l = dot ? (size_t)(dot - path) : strlen(path);
		int c;
		if (l >= sizeof(step))
			return -1;
		memcpy(step, path, l);
		step[l] = '\0';
		for (c = sd->elems[ei].first_child; c >= 0; c = sd->elems[c].next_sibling)
			if (strcmp(sd->elems[c].name, step) == 0 ||
			    (strncmp(sd->elems[c].name, step, l) == 0 && strcmp(sd->elems[c].name + l, "[x]") == 0))
				break;
		ei = c;
		path = dot ? dot + 1 : path + l;
	}
	return ei;
}

/* The instance nodes under n at the relative path: the first one found
 * (discriminator paths name one value in practice). */
static const struct fhir_node *node_at(const struct fhir_node *n, const char *path)
{
	char step[128];

	if (strcmp(path, "$this") == 0)
		return n;
	while (*path && n) {
		const char *dot = strchr(path, '.');
		size_t l = dot ? (size_t)(dot - path) : strlen(path);
		const struct fhir_node *c;
		if (l >= sizeof(step))
			return NULL;
		memcpy(step, path, l);
		step[l] = '\0';
		for (c = n->children; c; c = c->next)
			if (strcmp(c->name, step) == 0 || (c->def && c->def->choice &&
			    strncmp(c->name, step, l) == 0))
				break;
		n = c;
		path = dot ? dot + 1 : path + l;
	}
	return n;
}

/* Is the code of v (code, Coding, CodeableConcept, Quantity) in the value
 * set?  FHIRDEF_YES, FHIRDEF_NO or FHIRDEF_UNKNOWN. */
static int in_binding(struct prof *p, const char *vs, const struct fhir_node *v)
{
	const struct fhir_node *c;
	int worst = FHIRDEF_NO, any = 0;

	if (!v->def)
		return FHIRDEF_UNKNOWN;
	if (strcmp(v->def->type_code, "code") == 0)
		return v->value ? fhirdef_vs_contains(p->set, vs, NULL, v->value, NULL, NULL) : FHIRDEF_NO;
	if (strcmp(v->def->type_code, "CodeableConcept") != 0) {
		const char *code = fv_child_value(v, "code");
		return code ? fhirdef_vs_contains(p->set, vs, fv_child_value(v, "system"), code, NULL,
			NULL) : FHIRDEF_NO;
	}
	for (c = v->children; c; c = c->next) {
		const char *code = named(c, "coding") ? fv_child_value(c, "code") : NULL;
		int a;
		if (!code)
			continue;
		any = 1;
		a = fhirdef_vs_contains(p->set, vs, fv_child_value(c, "system"), code, NULL, NULL);
		if (a == FHIRDEF_YES)
			return a;
		if (a == FHIRDEF_UNKNOWN)
			worst = a;
	}
	return any ? worst : FHIRDEF_NO;
}

/* Does resource res conform to the profile url (no findings kept)? */
static int conforms(struct prof *p, const char *url, const struct fhir_node *res)
{
	struct fv_run scratch;

	memset(&scratch, 0, sizeof(scratch));
	scratch.tree = p->run->tree;
	scratch.file = p->run->file;
	scratch.root = p->run->root ? p->run->root : p->run;
	scratch.major = p->run->major;
	scratch.core = p->run->core;
	fv_check_profile(&scratch, p->set, url, res);
	return scratch.errors == 0 && fhirdef_sd(p->set, url) != NULL;
}

/*
 * What a resolved reference's target was found to be against a target
 * profile, once per resource and profile for the document: a Bundle of
 * fifty Observations of one Patient checks that Patient once.  A pair
 * still being checked (A refers to B refers to A) counts as conforming,
 * so a cycle ends; the outer check decides.  A "yes" found on such an
 * assumption is provisional until the outermost check ends: when any
 * check says no meanwhile, the provisional verdicts are dropped (and
 * made again if asked), as the assumption they rest on may be the one
 * that failed.
 */
enum { TGT_BUSY = 1, TGT_YES, TGT_NO };

struct fv_target_cache {
	const struct fhir_node *res;
	const char *url;
	int state;
	int provisional;
	struct fv_target_cache *next;
};

static void drop_provisional(struct fv_run *root)
{
	struct fv_target_cache **pp = &root->targets, *t;

	while ((t = *pp)) {
		if (t->provisional) {
			*pp = t->next;
			free(t);
		} else {
			pp = &t->next;
		}
	}
}

void fv_targets_release(struct fv_run *run)
{
	struct fv_target_cache *t = run->targets, *next;

	for (; t; t = next) {
		next = t->next;
		free(t);
	}
	run->targets = NULL;
}

static int target_conforms(struct prof *p, const char *url, const struct fhir_node *res)
{
	struct fv_run *root = p->run->root ? p->run->root : p->run;
	struct fv_target_cache *t;
	int ok;

	int assumed;

	for (t = root->targets; t; t = t->next) {
		if (t->res == res && strcmp(t->url, url) == 0) {
			if (t->state == TGT_BUSY)
				root->target_assumed++;
			return t->state != TGT_NO;
		}
	}
	if (!(t = calloc(1, sizeof(*t))))
		return 1;   /* out of memory: no verdict rather than a false one */
	t->res = res;
	t->url = url;   /* lives in the definitions set */
	t->state = TGT_BUSY;
	t->next = root->targets;
	root->targets = t;
	assumed = root->target_assumed;
	root->target_depth++;
	ok = conforms(p, url, res);
	root->target_depth--;
	t->state = ok ? TGT_YES : TGT_NO;
	if (!ok)
		drop_provisional(root);   /* t is not provisional: it stays */
	else
		t->provisional = root->target_depth > 0 && root->target_assumed != assumed;
	if (root->target_depth == 0) {
		for (t = root->targets; t; t = t->next)
			t->provisional = 0;
		root->target_assumed = 0;
	}
	return ok;
}

/* A definition of a resource type itself (Patient), not a profile on it. */
static int is_base_definition(const struct fhirdef_sd *sd)
{
	return !sd->derivation || strcmp(sd->derivation, "specialization") == 0;
}

/*
 * A reference that resolves in the document (contained, Bundle) must
 * point at a resource that conforms to one of the element's
 * targetProfiles.  A target profile not loaded cannot say no: when no
 * loaded one matches, that is a warning that the target was not checked,
 * as an unknown profile in meta.profile is.
 */
static void check_target_profiles(struct prof *p, const struct fhirdef_elem *e,
	const struct fhir_node *c)
{
	const struct fhir_node *target;
	const char *type, *unknown = NULL, *ref;
	size_t i, j, n = 0;
	int typed = 0;

	for (i = 0; i < e->ntypes; i++)
		if (strcmp(e->types[i].code, "Reference") == 0)
			n += e->types[i].ntarget_profiles;
	if (n == 0 || !(target = fv_resolve(p->run, c)) || !target->type)
		return;
	type = fhir_resource_name(target);
	for (i = 0; i < e->ntypes; i++) {
		if (strcmp(e->types[i].code, "Reference") != 0)
			continue;
		for (j = 0; j < e->types[i].ntarget_profiles; j++) {
			const char *url = e->types[i].target_profiles[j];
			const struct fhirdef_sd *sd = fhirdef_sd(p->set, url);
			if (!sd || sd->error || sd->nelems == 0) {
				if (!unknown)
					unknown = url;
				continue;
			}
			if (strcmp(sd->type, "Resource") == 0 && is_base_definition(sd))
				return;
			if (strcmp(sd->type, type) != 0)
				continue;
			typed = 1;
			/* The type's own definition: the resource is checked
			 * against it wherever it is. */
			if (is_base_definition(sd) || target_conforms(p, url, target))
				return;
		}
	}
	ref = fv_child_value(c, "reference");
	/* A literal Type/id of a type no target allows: check_target said so. */
	if (!typed && !unknown && ref && strchr(ref, '/') && !strchr(ref, ':'))
		return;
	if (unknown) {
		fv_report(p->run, c, ZIB_SEV_WARNING, FV_CODE_PROFILE, "%s: target profile '%s' is "
			"not loaded; the %s that '%s' resolves to is not checked against it (from %s)",
			e->id, unknown, type, ref, p->sd->url);
		return;
	}
	{
		char list[512];
		size_t pos = 0;
		list[0] = '\0';
		for (i = 0; i < e->ntypes; i++)
			for (j = 0; strcmp(e->types[i].code, "Reference") == 0 &&
			     j < e->types[i].ntarget_profiles && pos < sizeof(list); j++) {
				int w = snprintf(list + pos, sizeof(list) - pos, "%s%s", pos ? ", " : "",
					e->types[i].target_profiles[j]);
				pos = w > 0 ? pos + (size_t)w : pos;
			}
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_REF_PROFILE, "%s: the %s that '%s' "
			"resolves to conforms to none of the target profiles (%s) (from %s)", e->id, type,
			ref, list, p->sd->url);
	}
}

/* A profile discriminator on a datatype value v (NULL: absent) at slice
 * element de: 1 when v conforms to one of de's type profiles, or de has
 * none, or v is absent and de allows that; -1 otherwise. */
static int profile_match(struct prof *p, int de, const struct fhir_node *v)
{
	const struct fhirdef_elem *te;
	size_t k, j;
	int any = 0;

	if (de < 0)
		return -1;
	te = &p->sd->elems[de];
	for (k = 0; k < te->ntypes; k++)
		for (j = 0; j < te->types[k].nprofiles; j++) {
			any = 1;
			if (v && conforms(p, te->types[k].profiles[j], v))
				return 1;
		}
	if (!any)
		return 1;
	return !v && te->min == 0 ? 1 : -1;
}

/* Does c belong to slice s of the sliced element e?  2 yes, 1 perhaps (a
 * binding that cannot be checked locally), 0 no. */
static int in_slice(struct prof *p, const struct fhirdef_elem *e, int s, const struct fhir_node *c)
{
	const struct fhirdef_sd *sd = p->sd;
	const struct fhirdef_elem *se = &sd->elems[s];
	size_t i;
	int sure = 2;

	for (i = 0; i < e->slicing->ndiscriminators; i++) {
		const struct fhirdef_discriminator *d = &e->slicing->discriminators[i];
		const char *path = d->path;
		int de;
		const struct fhir_node *v;
		if (strncmp(path, "$this.", 6) == 0)
			path += 6;
		de = elem_at(sd, s, path);
		v = node_at(c, path);
		if (strcmp(d->type, "value") == 0 || strcmp(d->type, "pattern") == 0) {
			const struct fhirdef_value *want = NULL;
			if (de >= 0)
				want = sd->elems[de].fixed ? sd->elems[de].fixed : sd->elems[de].pattern;
			if (!want && strcmp(path, "url") == 0 && se->ntypes && se->types[0].nprofiles) {
				/* An extension slice: its url is its type's profile. */
				const char *url = v ? v->value : NULL;
				if (!url || strcmp(url, se->types[0].profiles[0]) != 0)
					return 0;
				continue;
			}
			if (!want && de >= 0 && v && sd->elems[de].binding &&
			    sd->elems[de].binding->value_set &&
			    strcmp(sd->elems[de].binding->strength, "required") == 0) {
				/* By the slice's required binding: in the value set
				 * (or not checkable locally: taken as in). */
				int a = in_binding(p, sd->elems[de].binding->value_set, v);
				if (a == FHIRDEF_NO)
					return 0;
				if (a == FHIRDEF_UNKNOWN)
					sure = 1;
				continue;
			}
			if (!want)
				return 0;   /* nothing to tell slices apart by: no match */
			if (!v || !fv_matches_pattern(v, want))
				return 0;
		} else if (strcmp(d->type, "exists") == 0) {
			if (de < 0)
				return 0;
			if ((sd->elems[de].min > 0 && !v) || (sd->elems[de].max == 0 && v))
				return 0;
		} else if (strcmp(d->type, "type") == 0) {
			const char *tc = v && v->def ? v->def->type_code : NULL;
			if (v && v->kind == FHIR_K_RESOURCE)
				tc = fhir_resource_name(v);
			if (de < 0 || !tc || sd->elems[de].ntypes != 1 ||
			    strcmp(sd->elems[de].types[0].code, tc) != 0)
				return 0;
		} else if (v && v->kind == FHIR_K_RESOURCE && de >= 0 && sd->elems[de].ntypes &&
			   sd->elems[de].types[0].nprofiles) {
			/* profile: the resource conforms to one of the profiles */
			const struct fhirdef_type *t = &sd->elems[de].types[0];
			size_t k;
			int ok = 0;
			for (k = 0; k < t->nprofiles && !ok; k++)
				ok = conforms(p, t->profiles[k], v);
			if (!ok)
				return 0;
		} else if (strcmp(node_type(c), "Extension") == 0) {
			/* profile on an extension: the type's profile is its url */
			const char *url = fv_child_value(c, "url");
			if (!se->ntypes || !se->types[0].nprofiles || !url ||
			    strcmp(url, se->types[0].profiles[0]) != 0)
				return 0;
		} else {
			int m = profile_match(p, de, v);
			if (m < 0)
				return 0;
		}
	}
	return sure;
}

static void card(struct prof *p, const struct fhir_node *at, const struct fhirdef_elem *e,
	int found)
{
	if (found < e->min)
		fv_report(p->run, at, ZIB_SEV_ERROR, FV_CODE_PROF_CARD, "%s: minimum required = %d, "
			"but only found %d (from %s)", e->id, e->min, found, p->sd->url);
	else if (e->max >= 0 && found > e->max)
		fv_report(p->run, at, ZIB_SEV_ERROR, FV_CODE_PROF_CARD, "%s: max allowed = %d, but "
			"found %d (from %s)", e->id, e->max, found, p->sd->url);
}

/* The resource type a target profile stands for; NULL for a profile not
 * loaded outside the core (its type is not known). */
static const char *profile_type(struct prof *p, const char *url)
{
	const struct fhirdef_sd *sd = fhirdef_sd(p->set, url);
	const char *slash;

	if (sd)
		return sd->type;
	if (strncmp(url, "http://hl7.org/fhir/StructureDefinition/", 40) != 0)
		return NULL;
	slash = strrchr(url, '/');
	return slash ? slash + 1 : url;
}

/* A literal reference "Type/id" must name a type the element's target
 * profiles allow. */
static void check_target(struct prof *p, const struct fhirdef_elem *e, const struct fhir_node *c)
{
	const char *ref = fv_child_value(c, "reference"), *slash;
	size_t i, j, tl;
	int any = 0;

	if (!ref || ref[0] == '#' || strchr(ref, ':') || !(slash = strchr(ref, '/')))
		return;
	tl = (size_t)(slash - ref);
	for (i = 0; i < e->ntypes; i++) {
		if (strcmp(e->types[i].code, "Reference") != 0)
			continue;
		for (j = 0; j < e->types[i].ntarget_profiles; j++) {
			const char *t = profile_type(p, e->types[i].target_profiles[j]);
			any = 1;
			/* A profile not loaded could be for this type: not
			 * judged here (check_target_profiles warns). */
			if (!t || strcmp(t, "Resource") == 0 || (strlen(t) == tl && strncmp(t, ref, tl) == 0))
				return;
		}
	}
	if (any)
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the type '%.*s' implied "
			"by the reference '%s' is not a valid target for this element (from %s)", e->id,
			(int)tl, ref, ref, p->sd->url);
}

/* minValueDuration / maxValueDuration on a date: the limit is now minus
 * (min) or plus (max) the duration, in years, months, weeks or days. */
static void duration_limit(struct prof *p, const struct fhirdef_elem *e, const struct fhir_node *c,
	const struct fhirdef_value *lim, int is_max)
{
	const struct fhirdef_value *x;
	const char *val = NULL, *unit = NULL;
	time_t now = time(NULL);
	struct tm tm;
	char limit[48], got[11];
	long n;

	if (strstr(lim->name, "Duration") == NULL && strstr(lim->name, "Age") == NULL)
		return;
	for (x = lim->children; x; x = x->next) {
		if (strcmp(x->name, "value") == 0)
			val = x->value;
		else if (strcmp(x->name, "code") == 0)
			unit = x->value;
	}
	if (!val || !unit || !gmtime_r(&now, &tm))
		return;
	n = strtol(val, NULL, 10) * (is_max ? 1 : -1);
	if (strcmp(unit, "a") == 0)
		tm.tm_year += (int)n;
	else if (strcmp(unit, "mo") == 0)
		tm.tm_mon += (int)n;
	else if (strcmp(unit, "wk") == 0)
		tm.tm_mday += (int)(7 * n);
	else if (strcmp(unit, "d") == 0)
		tm.tm_mday += (int)n;
	else
		return;
	tm.tm_isdst = 0;
	now = timegm(&tm);
	if (!gmtime_r(&now, &tm))
		return;
	snprintf(limit, sizeof(limit), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* A partial date compares by the part it has. */
	snprintf(got, sizeof(got), "%s", c->value);
	if (is_max ? strncmp(got, limit, strlen(got)) > 0 : strncmp(got, limit, strlen(got)) < 0)
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value %s is %s the "
			"%s value %s (now %s %s %s) (from %s)", e->id, c->value, is_max ? "after" : "before",
			is_max ? "maximum" : "minimum", limit, is_max ? "plus" : "minus", val, unit, p->sd->url);
}

/* minValue[x] / maxValue[x] over numbers: integer, decimal, a Quantity's
 * value. */
static void check_range(struct prof *p, const struct fhirdef_elem *e, const struct fhir_node *c)
{
	const char *v = c->value;
	const struct fhirdef_value *lim[2] = { e->min_value, e->max_value };
	int k;

	if (!v)
		v = fv_child_value(c, "value");
	if (!v)
		return;
	for (k = 0; k < 2; k++) {
		const char *l = NULL;
		if (!lim[k])
			continue;
		if (c->value && (strcmp(c->def->type_code, "date") == 0 ||
		    strcmp(c->def->type_code, "dateTime") == 0 || strcmp(c->def->type_code, "instant") == 0)) {
			duration_limit(p, e, c, lim[k], k);
			continue;
		}
		l = lim[k]->value;
		if (!l && lim[k]->children) {
			const struct fhirdef_value *x;
			for (x = lim[k]->children; x; x = x->next)
				if (strcmp(x->name, "value") == 0)
					l = x->value;
		}
		if (!l)
			continue;
		if (k == 0 ? strtod(v, NULL) < strtod(l, NULL) : strtod(v, NULL) > strtod(l, NULL))
			fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value %s is %s "
				"the %s value %s (from %s)", e->id, v, k == 0 ? "less than" : "more than",
				k == 0 ? "minimum" : "maximum", l, p->sd->url);
	}
}

/* type.profile of a datatype element (not Extension: those are the
 * extension's own definition, ext.c): the value must conform to one of
 * them.  One profile: its findings are reported; several: a value that
 * conforms to none is one finding. */
static void type_profiles(struct prof *p, const struct fhirdef_elem *e, const struct fhir_node *c)
{
	const char *type = node_type(c);
	size_t i, j, n = 0;
	const char *only = NULL;

	if (!type || strcmp(type, "Extension") == 0 || c->kind == FHIR_K_RESOURCE)
		return;
	for (i = 0; i < e->ntypes; i++)
		if (strcmp(e->types[i].code, type) == 0)
			for (j = 0; j < e->types[i].nprofiles; j++) {
				n++;
				only = e->types[i].profiles[j];
			}
	if (n == 0)
		return;
	if (n == 1) {
		fv_check_profile(p->run, p->set, only, c);
		return;
	}
	for (i = 0; i < e->ntypes; i++)
		if (strcmp(e->types[i].code, type) == 0)
			for (j = 0; j < e->types[i].nprofiles; j++) {
				const struct fhirdef_sd *t = fhirdef_sd(p->set, e->types[i].profiles[j]);
				if (!t || t->error) {
					/* One of the choices cannot be checked: neither can the choice. */
					fv_report(p->run, c, ZIB_SEV_WARNING, FV_CODE_PROFILE, "profile '%s' "
						"is not loaded; the profiles of %s are not checked",
						e->types[i].profiles[j], e->id);
					return;
				}
				if (conforms(p, e->types[i].profiles[j], c))
					return;
			}
	fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value conforms to none of "
		"the %zu profiles of its type (from %s)", e->id, n, p->sd->url);
}

static size_t utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* A primitive without a value (extensions only): the R5 value controls
 * say whether that is allowed (mustHaveValue) and which extensions may
 * stand in for the value (valueAlternatives). */
static void value_controls(struct prof *p, const struct fhirdef_elem *e, const struct fhir_node *c)
{
	const struct fhir_node *x;
	size_t i;

	if (e->must_have_value) {
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: a value is required "
			"here; extensions alone do not do (from %s)", e->id, p->sd->url);
		return;
	}
	if (!e->nvalue_alternatives)
		return;
	for (x = c->children; x; x = x->next) {
		const char *url = named(x, "extension") ? fv_child_value(x, "url") : NULL;
		for (i = 0; url && i < e->nvalue_alternatives; i++)
			if (strcmp(url, e->value_alternatives[i]) == 0)
				return;
	}
	fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: without a value, one of the "
		"%zu extensions its profile allows in place of it must be present (from %s)", e->id,
		e->nvalue_alternatives, p->sd->url);
}

/* The checks on one instance value c of element e. */
static void check_value(struct prof *p, int ei, const struct fhir_node *c, int depth)
{
	const struct fhirdef_elem *e = &p->sd->elems[ei];

	if (c->def && c->def->choice && e->ntypes && !fv_type_allowed(e, c->def->type_code))
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: type %s is not "
			"allowed here (from %s)", e->id, c->def->type_code, p->sd->url);
	if (e->fixed && !fv_matches_pattern(c, e->fixed))
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value does not "
			"match the fixed value%s%s (from %s)", e->id, e->fixed->value ? " " : "",
			e->fixed->value ? e->fixed->value : "", p->sd->url);
	if (e->pattern && !fv_matches_pattern(c, e->pattern))
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value does not "
			"match the pattern%s%s (from %s)", e->id, e->pattern->value ? " " : "",
			e->pattern->value ? e->pattern->value : "", p->sd->url);
	if (e->max_length > 0 && c->value && (long)c->value_len > e->max_length)
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value is longer "
			"than maxLength %d (from %s)", e->id, e->max_length, p->sd->url);
	if (e->min_length > 0 && c->value && utf8_chars(c->value, c->value_len) <
	    (size_t)e->min_length)
		fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the value is shorter "
			"than minLength %d (from %s)", e->id, e->min_length, p->sd->url);
	if (c->kind == FHIR_K_PRIM && !c->value)
		value_controls(p, e, c);
	if (e->nlang_controls && c->kind == FHIR_K_COMPLEX)
		fv_check_narrative_lang(p->run, e, p->sd->url, c);
	if (e->binding && e->binding->value_set && strcmp(e->binding->strength, "required") == 0 &&
	    c->def) {
		const char *sys = NULL, *code = NULL;
		if (strcmp(c->def->type_code, "code") == 0)
			code = c->value;
		else if (strcmp(c->def->type_code, "Coding") == 0 ||
			 strcmp(c->def->type_code, "Quantity") == 0) {
			sys = fv_child_value(c, "system");
			code = fv_child_value(c, "code");
		} else if (strcmp(c->def->type_code, "CodeableConcept") == 0) {
			const struct fhir_node *cd;
			int any = 0, none = 1;
			for (cd = c->children; cd; cd = cd->next) {
				const char *cc = named(cd, "coding") ? fv_child_value(cd, "code") : NULL;
				int a;
				if (!cc)
					continue;
				none = 0;
				a = fhirdef_vs_contains(p->set, e->binding->value_set,
					fv_child_value(cd, "system"), cc, NULL, NULL);
				if (a != FHIRDEF_NO)
					any = 1;
				else if (!code) {
					code = cc;
					sys = fv_child_value(cd, "system");
				}
			}
			if (any || none)
				code = NULL;
			else if (code) {
				fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: no coding is "
					"in the value set '%s' of the required binding (from %s)", e->id,
					e->binding->value_set, p->sd->url);
				code = NULL;
			}
		}
		if (code && fhirdef_vs_contains(p->set, e->binding->value_set, sys, code, NULL, NULL) ==
		    FHIRDEF_NO)
			fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the code '%s' is "
				"not in the value set '%s' of the required binding (from %s)", e->id, code,
				e->binding->value_set, p->sd->url);
	}
	if (c->type && strcmp(c->type->name, "Reference") == 0) {
		check_target(p, e, c);
		check_target_profiles(p, e, c);
	}
	type_profiles(p, e, c);
	if (e->nconstraints)
		fv_check_constraints(p->run, e, p->sd->url, c, 1);
	if (e->min_value || e->max_value)
		check_range(p, e, c);
	if (e->first_child >= 0)
		check_children(p, ei, c, depth + 1);
}

/* The slice c belongs to: the first sure match, else the first perhaps;
 * -1 for none. */
static int slice_of(struct prof *p, const struct fhirdef_elem *e, const struct fhir_node *c)
{
	const struct fhirdef_sd *sd = p->sd;
	int s, perhaps = -1;

	for (s = e->first_slice; s >= 0; s = sd->elems[s].next_slice) {
		int m = in_slice(p, e, s, c);
		if (m == 2)
			return s;
		if (m == 1 && perhaps < 0)
			perhaps = s;
	}
	return perhaps;
}

static void check_sliced(struct prof *p, int ei, const struct fhir_node *node, int depth)
{
	const struct fhirdef_sd *sd = p->sd;
	const struct fhirdef_elem *e = &sd->elems[ei];
	const struct fhir_node *c;
	int s, total = 0, last_slice = -1;

	for (c = node->children; c; c = c->next) {
		int hit;
		if (!fills(e, c))
			continue;
		total++;
		hit = slice_of(p, e, c);
		if (hit >= 0) {
			if (e->slicing->ordered && hit < last_slice)
				fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_SLICE, "%s: slices are "
					"out of order (from %s)", e->id, sd->url);
			last_slice = hit;
			check_value(p, hit, c, depth);
		} else {
			if (e->slicing->rules && strcmp(e->slicing->rules, "closed") == 0)
				fv_report(p->run, c, ZIB_SEV_ERROR, FV_CODE_PROF_SLICE, "%s: the value "
					"matches no slice, and the slicing is closed (from %s)", e->id, sd->url);
			else if (e->slicing->rules && strcmp(e->slicing->rules, "openAtEnd") == 0)
				last_slice = 1 << 30;
			check_value(p, ei, c, depth);
		}
	}
	card(p, node, e, total);
	for (s = e->first_slice; s >= 0; s = sd->elems[s].next_slice) {
		int n = 0;
		for (c = node->children; c; c = c->next)
			if (fills(e, c) && slice_of(p, e, c) == s)
				n++;
		card(p, node, &sd->elems[s], n);
	}
}

static void check_children(struct prof *p, int parent, const struct fhir_node *node, int depth)
{
	const struct fhirdef_sd *sd = p->sd;
	int ci;

	if (depth > FHIR_MAX_DEPTH)
		return;
	for (ci = sd->elems[parent].first_child; ci >= 0; ci = sd->elems[ci].next_sibling) {
		const struct fhirdef_elem *e = &sd->elems[ci];
		const struct fhir_node *c;
		int n = 0;
		if (e->slicing && e->first_slice >= 0) {
			check_sliced(p, ci, node, depth);
			continue;
		}
		for (c = node->children; c; c = c->next)
			if (fills(e, c)) {
				n++;
				check_value(p, ci, c, depth);
			}
		card(p, node, e, n);
	}
}

void fv_check_profile(struct fv_run *run, struct fhirdef_set *set, const char *url,
	const struct fhir_node *res)
{
	struct prof p;
	const struct fhirdef_sd *sd = fhirdef_sd(set, url);

	if (!sd) {
		fv_report(run, res, ZIB_SEV_WARNING, FV_CODE_PROFILE, "profile '%s' is not loaded; "
			"not checked", url);
		return;
	}
	/* Another release's profile whose base is not loaded: by its
	 * differential (what doc/fhir.c's note says). */
	if (!run->core && sd->error && fv_check_differential(run, set, sd, res))
		return;
	if (sd->error || sd->nelems == 0) {
		fv_report(run, res, ZIB_SEV_WARNING, FV_CODE_PROFILE, "profile '%s' has no snapshot "
			"(%s); not checked", url, sd->error ? sd->error : "empty");
		return;
	}
	if (strcmp(sd->type, node_type(res)) != 0) {
		fv_report(run, res, ZIB_SEV_ERROR, FV_CODE_PROF_CARD, "profile '%s' is for %s, not %s",
			url, sd->type, node_type(res));
		return;
	}
	p.run = run;
	p.set = set;
	p.sd = sd;
	if (res->kind != FHIR_K_RESOURCE) {
		/* A datatype profile: its root element constrains the value itself
		 * (a fixed string), then its children. */
		check_value(&p, 0, res, 0);
		return;
	}
	if (sd->elems[0].nconstraints)
		fv_check_constraints(run, &sd->elems[0], sd->url, res, 1);
	check_children(&p, 0, res, 0);
}
