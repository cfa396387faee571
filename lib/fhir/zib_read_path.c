/*
 * The FHIR zib reader, step 3: evaluating one mapping path
 * ("zib-BloodPressure#Observation.component:SystolicBP.value[x]") under a
 * group or a resource: codes and slices, steps, choice types, extension
 * profiles and paths across a Reference into a linked resource.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "model/conceptmaps.h"
#include "fhir/slices.h"
#include "fhir/defs.h"
#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"

/* ---- codes and slices ---- */

/* A code of list anywhere in n's code / coding / code.coding (or n itself
 * when it is a Coding or a code). */
int fhir_has_code(const struct fhir_node *n, const char *list)
{
	const struct fhir_node *c;

	if (n->value && model_list_has(list, n->value))
		return 1;
	for (c = n->children; c; c = c->next) {
		if (strcmp(c->name, "code") == 0 || strcmp(c->name, "coding") == 0 ||
		    strcmp(c->name, "valueCodeableConcept") == 0 || strcmp(c->name, "valueCoding") == 0) {
			if (c->value && model_list_has(list, c->value))
				return 1;
			if (c->children && fhir_has_code(c, list))
				return 1;
		}
	}
	return 0;
}

static int in_valueset(struct reader *r, const struct fhir_node *n, const char *oid)
{
	const zib_valueset *vs = zib_valueset_find(r->ctx, oid);
	const struct fhir_node *c;

	if (!vs)
		return 1;
	if (fhir_child_value(n, "code") && fhir_child_value(n, "system")) {
		const char *sys = zib_codesystem_oid(r->ctx, fhir_child_value(n, "system"));
		if (zib_valueset_contains(vs, sys ? sys : fhir_child_value(n, "system"), fhir_child_value(n, "code")))
			return 1;
		/* A FHIR code the value set's ConceptMaps translate (HL7 v2 0078
		 * 'L' for ResultFlags' SNOMED 281300000) is that code. */
		if (model_fhir_conceptmap_find(oid, fhir_child_value(n, "system"), fhir_child_value(n, "code")))
			return 1;
	}
	for (c = n->children; c; c = c->next)
		if ((strcmp(c->name, "coding") == 0 || strcmp(c->name, "code") == 0 ||
		     strncmp(c->name, "value", 5) == 0) && c->children && in_valueset(r, c, oid))
			return 1;
	return 0;
}

/* Lower-case letters and digits only: "houseNumber" ~ "house-number". */
static void squash(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

/* Does node fit the slice called key (slice name name)? */
static int slice_fits(struct reader *r, const struct fhir_node *n, const char *key, const char *name,
	int is_ext)
{
	const struct fhir_slice *s = fhir_slice_find(key);

	if (s) {
		switch (s->kind) {
		case 'u':
			return model_list_has(s->value, fhir_child_value(n, "url"));
		case 'c':
			return fhir_has_code(n, s->value);
		case 's':
			return model_list_has(s->value, fhir_child_value(n, "system"));
		case 'v':
			return in_valueset(r, n, s->value) != 0;
		default:
			return 1;
		}
	}
	if (is_ext) {
		/* No profile row: the url's last part names the slice. */
		char a[256], b[256];
		const char *url = fhir_child_value(n, "url"), *tail;
		if (!url)
			return 0;
		tail = strrchr(url, '/');
		squash(a, sizeof(a), tail ? tail + 1 : url);
		squash(b, sizeof(b), name);
		return strlen(a) >= strlen(b) && strcmp(a + strlen(a) - strlen(b), b) == 0;
	}
	return 1;
}

/* ---- step 3: paths ---- */

void fhir_hit(struct hits *h, struct fhir_node *n)
{
	if (h->count < MAX_HITS)
		h->n[h->count++] = n;
}

/* One step: the children of from named by seg ("component:SystolicBP",
 * "value[x]", "effective[x]:effectiveDateTime"); key is the profile's
 * element id up to and including seg. */
static void step(struct reader *r, struct fhir_node *from, const char *seg, size_t len,
	const char *key, struct hits *out)
{
	char name[128], slice[128];
	const char *colon = memchr(seg, ':', len);
	size_t nlen = colon ? (size_t)(colon - seg) : len;
	struct fhir_node *c;
	int choice;

	snprintf(name, sizeof(name), "%.*s", (int)nlen, seg);
	slice[0] = '\0';
	if (colon)
		snprintf(slice, sizeof(slice), "%.*s", (int)(len - nlen - 1), colon + 1);
	choice = nlen > 3 && strcmp(name + nlen - 3, "[x]") == 0;
	if (choice)
		name[nlen - 3] = '\0';
	for (c = from->children; c; c = c->next) {
		if (c->kind == FHIR_K_ATTR && strcmp(name, "url") != 0 && strcmp(name, "id") != 0)
			continue;
		if (choice) {
			size_t bl = strlen(name);
			if (slice[0] && strncmp(slice, name, bl) == 0) {
				if (strcmp(c->name, slice) != 0)
					continue;
			} else if (strncmp(c->name, name, bl) != 0 || !isupper((unsigned char)c->name[bl])) {
				continue;
			}
		} else if (strcmp(c->name, name) != 0) {
			continue;
		}
		if (slice[0] && !choice && !slice_fits(r, c, key, slice,
		    strcmp(name, "extension") == 0 || strcmp(name, "modifierExtension") == 0))
			continue;
		fhir_hit(out, c);
	}
}

/* Walks the segments of path (after the first, the type) from start. */
static void walk(struct reader *r, const char *prof, const char *path, const char *rest,
	struct fhir_node *start, struct hits *out)
{
	struct hits cur, next;
	const char *p = rest;
	char key[1024];
	size_t i;

	cur.count = 0;
	fhir_hit(&cur, start);
	while (p && *p) {
		size_t len = strcspn(p, ".");
		next.count = 0;
		snprintf(key, sizeof(key), "%s#%.*s", prof, (int)(p + len - path), path);
		for (i = 0; i < cur.count; i++)
			step(r, cur.n[i], p, len, key, &next);
		cur = next;
		if (!cur.count)
			return;
		p += len;
		if (*p == '.')
			p++;
	}
	for (i = 0; i < cur.count; i++)
		fhir_hit(out, cur.n[i]);
}

/* A resource of type linked to x: referenced from x's top-level elements,
 * or referencing x (a PractitionerRole of a Practitioner). */
static struct res *linked(struct reader *r, struct res *x, const char *type)
{
	struct fhir_node *c;

	for (c = x->node->children; c; c = c->next) {
		struct res *t;
		const char *ref = fhir_child_value(c, "reference");
		if (!ref)
			continue;
		t = fhir_resolve(r, x, ref);
		if (t && strcmp(t->type, type) == 0) {
			c->used = 1;
			fhir_mark_tree(c);
			return t;
		}
	}
	return fhir_referrer_of_type(r, x, type);
}

static void set_part(struct res *t, struct res *owner)
{
	t->part = 1;
	if (!t->owner)
		t->owner = owner;
}

/* A type slice of the parent's own choice element (parent at
 * "X.dose[x]", path "X.dose[x]:doseRange.low"): read from the parent's node
 * when that is of the slice's type (doseRange), else nothing.  Returns 0
 * when path is no such slice. */
static int eval_choice_slice(struct reader *r, const char *prof, const char *path, const struct where *w,
	struct hits *out)
{
	size_t wl = strlen(w->path), sl;
	const char *slice;

	if (wl < 3 || strcmp(w->path + wl - 3, "[x]") != 0 || strncmp(path, w->path, wl) != 0 ||
	    path[wl] != ':')
		return 0;
	slice = path + wl + 1;
	sl = strcspn(slice, ".");
	if (strlen(w->node->name) != sl || strncmp(w->node->name, slice, sl) != 0)
		return 1;
	if (slice[sl] == '.')
		walk(r, prof, path, slice + sl + 1, w->node, out);
	else
		fhir_hit(out, w->node);
	return 1;
}

/* A path beside the parent group's own (Encounter.participant.type beside
 * the group's Encounter.participant.individual): walked from the element
 * the two share, reached by climbing from the group's node, so that each
 * participant gives its own.  Returns 1 when path is such a path. */
static int walk_beside(struct reader *r, const char *prof, const char *path, const struct where *w,
	struct hits *out)
{
	const char *rest;
	size_t up = fhir_path_beside(path, w->path, &rest);
	struct fhir_node *n = w->node;

	if (!up)
		return 0;
	while (up-- && n)
		n = n->parent;
	if (!n)
		return 0;
	walk(r, prof, path, rest, n, out);
	return 1;
}

/* Is n an extension of the extension profile called prof (its url's last
 * part: "ext-AnatomicalLocation.Laterality")? */
int fhir_is_extension_of(const struct fhir_node *n, const char *prof)
{
	const char *url = fhir_child_value(n, "url"), *tail;

	if (!url || strcmp(n->name, "extension") != 0)
		return 0;
	tail = strrchr(url, '/');
	return strcmp(tail ? tail + 1 : url, prof) == 0;
}

/* An extension profile's path ("ext-AnatomicalLocation.Laterality#
 * Extension.value[x]") under a group's node (Procedure.bodySite): walked
 * in the node's extensions of that profile. */
static void walk_extensions(struct reader *r, const char *prof, const char *path, const char *rest,
	struct fhir_node *node, struct hits *out)
{
	struct fhir_node *c;

	for (c = node->children; c; c = c->next)
		if (fhir_is_extension_of(c, prof))
			walk(r, prof, path, rest, c, out);
}

/* Evaluates one mapping ("prof#Type.a.b") for a concept under w. */
/* Does path ("RelatedPerson.relationship", plen the length of its first
 * step) start at a resource type, not a datatype ("HumanName.family")? */
static int is_resource_path(const char *path, size_t plen)
{
	char type[128];

	snprintf(type, sizeof(type), "%.*s", (int)plen, path);
	return fhir_resource_type(&fhir_defs_r4, type) != NULL;
}

void fhir_eval(struct reader *r, const char *mapping, size_t mlen, const struct where *w,
	struct hits *out, const char **matched)
{
	char buf[1024], prof[256];
	const char *hash, *path, *dot;
	size_t plen;
	struct res *t;

	snprintf(buf, sizeof(buf), "%.*s", (int)mlen, mapping);
	hash = strchr(buf, '#');
	if (!hash)
		return;
	snprintf(prof, sizeof(prof), "%.*s", (int)(hash - buf), buf);
	path = hash + 1;
	*matched = doc_str(r->doc, path);
	dot = strchr(path, '.');
	plen = dot ? (size_t)(dot - path) : strlen(path);
	/* Below the parent's own path: relative to the parent's node. */
	if (w->path && w->node) {
		size_t wl = strlen(w->path);
		if (strcmp(path, w->path) == 0) {
			fhir_hit(out, w->node);
			return;
		}
		if (strncmp(path, w->path, wl) == 0 && path[wl] == '.') {
			walk(r, prof, path, path + wl + 1, w->node, out);
			return;
		}
		if (eval_choice_slice(r, prof, path, w, out))
			return;
		if (w->node != w->res->node && walk_beside(r, prof, path, w, out))
			return;
	}
	if (strncmp(path, w->res->type, plen) == 0 && w->res->type[plen] == '\0') {
		walk(r, prof, path, dot ? dot + 1 : "", w->res->node, out);
		return;
	}
	/* A datatype profile (HumanName, Address, Period, Extension): relative
	 * to the group's node; a resource type: across its Reference. */
	if (w->node && w->node != w->res->node) {
		const char *ref = fhir_child_value(w->node, "reference");
		if (ref) {
			t = fhir_resolve(r, w->res, ref);
			if (t && strncmp(t->type, path, plen) == 0 && t->type[plen] == '\0') {
				set_part(t, w->res);
				walk(r, prof, path, dot ? dot + 1 : "", t->node, out);
			}
			return;
		}
		if (plen == 9 && strncmp(path, "Extension", 9) == 0 && !fhir_is_extension_of(w->node, prof)) {
			walk_extensions(r, prof, path, dot ? dot + 1 : "", w->node, out);
			return;
		}
		/* A resource's path (RelatedPerson.relationship) is no datatype's:
		 * not relative to a group's node of another resource (the
		 * Patient.contact a Contactpersoon is read from). */
		if (!is_resource_path(path, plen))
			walk(r, prof, path, dot ? dot + 1 : "", w->node, out);
		return;
	}
	{
		char type[128];
		snprintf(type, sizeof(type), "%.*s", (int)plen, path);
		t = linked(r, w->res, type);
		if (t && !fhir_claims_sibling_profile(t, mapping, mlen)) {
			set_part(t, w->res);
			walk(r, prof, path, dot ? dot + 1 : "", t->node, out);
		}
	}
}

/* Is mapping map ("prof#Device.type") below the path of the group w is
 * the node of ("Device")? */
static int below_group(const char *map, size_t n, const struct where *w)
{
	const char *hash = memchr(map, '#', n);
	size_t wl = w->path ? strlen(w->path) : 0;

	return hash && wl && (size_t)(map + n - hash - 1) > wl && strncmp(hash + 1, w->path, wl) == 0 &&
		hash[1 + wl] == '.';
}

/* A sub-profile's path read in the resources w's resource points to
 * (zib2020 LivingSituation.hasMember -> LivingSituation.HouseType). */
void fhir_eval_member(struct reader *r, const char *map, size_t n, const struct where *w,
	struct hits *out, const char **matched)
{
	struct fhir_node *c;

	if (w->node != w->res->node) {
		/* A part of a group read in such a resource (MedischHulpmiddel
		 * Product, the Device of DeviceUseStatement.device): relative
		 * to the group's node. */
		if (below_group(map, n, w))
			fhir_eval(r, map, n, w, out, matched);
		return;
	}
	for (c = w->res->node->children; c; c = c->next) {
		const char *ref = fhir_child_value(c, "reference");
		struct res *t;
		struct where sub;
		size_t before = out->count;
		if (!ref || !(t = fhir_resolve(r, w->res, ref)) || t == w->res || !fhir_res_has_profile(t, map, n))
			continue;
		sub.node = t->node;
		sub.path = NULL;
		sub.res = t;
		sub.within = NULL;
		fhir_eval(r, map, n, &sub, out, matched);
		if (out->count > before) {
			set_part(t, w->res);
			fhir_mark_tree(c);
		}
	}
}
