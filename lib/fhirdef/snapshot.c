/*
 * snapshot: a profile's snapshot from its base's snapshot and its
 * differential, worked on the JSON ElementDefinitions.
 *
 * Each differential element is found in the working copy of the base by
 * id (built from path and sliceName when it has none); what it needs that
 * is not there yet is made first:
 *   - a slice "a.b:s" copies "a.b" and its children (a re-slice "a.b:s/t"
 *     copies "a.b:s"), placed after the last slice of "a.b";
 *   - children of an element whose children the base does not list come
 *     from its type's definition, or the type's profile (an Extension with
 *     a profile gets that extension's url and value[x]), or the element a
 *     contentReference names;
 *   - a choice named by type ("valueQuantity") is value[x] narrowed to that
 *     type; a type slice "value[x]:valueQuantity" narrows its types too.
 * Then the differential is merged in: constraints added, types, cardinality,
 * bindings, fixed/pattern values and the rest replaced.  A differential
 * element that fits nowhere fails the profile with a message naming the
 * profile and the element; narrowing that widens (min, max, types) is a
 * problem line but the snapshot is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhirdef/internal.h"

struct gen {
	struct sd_lookup *lk;
	struct raw_resource *r;      /* the profile */
	cJSON *w;                    /* working element array */
	char err[4096];
};

static const char *eid(const cJSON *e)
{
	const char *id = fhirdef_jstr(e, "id");

	return id ? id : fhirdef_jstr(e, "path");
}

static int find(struct gen *g, const char *id)
{
	const cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, g->w) {
		const char *x = eid(e);
		if (x && strcmp(x, id) == 0)
			return i;
		i++;
	}
	return -1;
}

/* Inserts item before position which.  Not cJSON_InsertItemInArray: the
 * installed cJSON (1.7.15) drops items inserted in the middle of an array
 * built by cJSON_AddItemToArray. */
static void insert_at(cJSON *arr, int which, cJSON *item)
{
	cJSON *tail = cJSON_CreateArray(), *x;

	while (cJSON_GetArraySize(arr) > which)
		cJSON_AddItemToArray(tail, cJSON_DetachItemFromArray(arr, which));
	cJSON_AddItemToArray(arr, item);
	while ((x = cJSON_DetachItemFromArray(tail, 0)))
		cJSON_AddItemToArray(arr, x);
	cJSON_Delete(tail);
}

static int has_prefix(const char *s, const char *p, size_t n, const char *seps)
{
	return strncmp(s, p, n) == 0 && s[n] && strchr(seps, s[n]);
}

/* The index after the last element of id's region: id itself, its
 * children (id.) and, with slices, its slices (id: or id/). */
static int region_end(struct gen *g, int at, const char *id, const char *seps)
{
	size_t n = strlen(id);
	int i = at + 1, size = cJSON_GetArraySize(g->w);

	while (i < size && has_prefix(eid(cJSON_GetArrayItem(g->w, i)), id, n, seps))
		i++;
	return i;
}

static void set_str(cJSON *o, const char *key, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	cJSON_AddStringToObject(o, key, v);
}

/* Replaces the prefix old of e's id (or path) by new. */
static void rebase(cJSON *e, const char *key, const char *old, const char *new)
{
	const char *v = fhirdef_jstr(e, key);
	size_t n = strlen(old);
	char buf[2048];

	if (!v || strncmp(v, old, n) != 0)
		return;
	snprintf(buf, sizeof(buf), "%s%s", new, v + n);
	set_str(e, key, buf);
}

/* Keeps only the types whose code is tcode ("Quantity" in any case of its
 * first letter). */
static void narrow_types(cJSON *e, const char *tcode)
{
	cJSON *types = cJSON_GetObjectItemCaseSensitive(e, "type");
	int i = cJSON_GetArraySize(types) - 1;

	for (; i >= 0; i--) {
		const char *c = fhirdef_jstr(cJSON_GetArrayItem(types, i), "code");
		if (!c || (c[0] | 0x20) != (tcode[0] | 0x20) || strcmp(c + 1, tcode + 1) != 0)
			cJSON_DeleteItemFromArray(types, i);
	}
}

/* "valueQuantity" under parent: the index of value[x] when it allows
 * Quantity, with *tcode "Quantity". */
static int choice_child(struct gen *g, const char *parent, const char *step, const char **tcode)
{
	size_t pn = strlen(parent);
	const cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, g->w) {
		const char *id = eid(e), *s;
		size_t sn;

		i++;
		if (!id || !has_prefix(id, parent, pn, ".") || strchr(id + pn + 1, '.') ||
		    strchr(id + pn + 1, ':'))
			continue;
		s = id + pn + 1;
		sn = strlen(s);
		if (sn > 3 && strcmp(s + sn - 3, "[x]") == 0 && strncmp(step, s, sn - 3) == 0 &&
		    step[sn - 3] >= 'A' && step[sn - 3] <= 'Z') {
			*tcode = step + sn - 3;
			return i - 1;
		}
	}
	return -1;
}

/* The snapshot the children of element e come from, and its root path. */
static const cJSON *children_source(struct gen *g, const cJSON *e)
{
	const cJSON *types = cJSON_GetObjectItemCaseSensitive(e, "type"), *t;
	const cJSON *profiles;
	const char *code = NULL, *why = NULL, *url;
	char turl[512];

	cJSON_ArrayForEach(t, types) {
		const char *c = fhirdef_jstr(t, "code");
		if (code && c && strcmp(code, c) != 0) {
			snprintf(g->err, sizeof(g->err), "element '%s' has several types; "
				"constrain it to one before its children", eid(e));
			return NULL;
		}
		code = c;
	}
	if (!code) {
		snprintf(g->err, sizeof(g->err), "element '%s' has no type to take children from", eid(e));
		return NULL;
	}
	profiles = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(types, 0), "profile");
	if (cJSON_GetArraySize(profiles) == 1 && cJSON_GetArraySize(types) == 1) {
		url = cJSON_GetArrayItem(profiles, 0)->valuestring;
	} else {
		snprintf(turl, sizeof(turl), "http://hl7.org/fhir/StructureDefinition/%s", code);
		url = turl;
	}
	t = fhirdef_snapshot_of(g->lk, url, g->r->major, &why);
	if (!t)
		snprintf(g->err, sizeof(g->err), "children of '%s': %s", eid(e), why);
	return t;
}

/* Inserts the children of element at (which has none listed). */
static int expand(struct gen *g, int at)
{
	cJSON *e = cJSON_GetArrayItem(g->w, at);
	const char *ref = fhirdef_jstr(e, "contentReference");
	char id[1024], path[1024], old_id[1024], old_path[1024];
	const cJSON *src, *x;
	int pos = at + 1, first = 1;

	snprintf(id, sizeof(id), "%s", eid(e));
	snprintf(path, sizeof(path), "%s", fhirdef_jstr(e, "path"));
	if (ref && ref[0] == '#') {
		/* The named element's children, from this same snapshot. */
		int r = find(g, ref + 1), end, i;
		cJSON *copies = cJSON_CreateArray();

		if (r < 0) {
			snprintf(g->err, sizeof(g->err), "contentReference '%s' of '%s' not found", ref, id);
			cJSON_Delete(copies);
			return -1;
		}
		end = region_end(g, r, ref + 1, ".");
		for (i = r + 1; i < end; i++)
			cJSON_AddItemToArray(copies, cJSON_Duplicate(cJSON_GetArrayItem(g->w, i), 1));
		cJSON_ArrayForEach(x, copies) {
			cJSON *c = cJSON_Duplicate(x, 1);
			rebase(c, "id", ref + 1, id);
			rebase(c, "path", ref + 1, path);
			insert_at(g->w, pos++, c);
		}
		cJSON_Delete(copies);
		return 0;
	}
	if (!(src = children_source(g, e)))
		return -1;
	cJSON_ArrayForEach(x, src) {
		cJSON *c;

		if (first) {
			/* The type's root names the prefix to replace. */
			snprintf(old_id, sizeof(old_id), "%s", eid(x));
			snprintf(old_path, sizeof(old_path), "%s", fhirdef_jstr(x, "path"));
			first = 0;
			continue;
		}
		c = cJSON_Duplicate(x, 1);
		rebase(c, "id", old_id, id);
		rebase(c, "path", old_path, path);
		insert_at(g->w, pos++, c);
	}
	return 0;
}

static int resolve(struct gen *g, const char *id, const char **tcode, int depth);

/* A new slice id = base ":" name (or re-slice base "/" name). */
static int make_slice(struct gen *g, const char *id, const char *base_id, const char *name)
{
	int b = resolve(g, base_id, NULL, 1), end, i, pos;
	size_t bn = strlen(base_id);
	const char *bstep, *dot;
	cJSON *copies, *x;

	if (b < 0)
		return -1;
	/* Resolving the base may have expanded a type that has the slice. */
	if ((i = find(g, id)) >= 0)
		return i;
	end = region_end(g, b, base_id, ".");
	pos = region_end(g, b, base_id, ".:/");
	copies = cJSON_CreateArray();
	for (i = b; i < end; i++)
		cJSON_AddItemToArray(copies, cJSON_Duplicate(cJSON_GetArrayItem(g->w, i), 1));
	i = 0;
	cJSON_ArrayForEach(x, copies) {
		cJSON *c = cJSON_Duplicate(x, 1);

		rebase(c, "id", base_id, id);
		if (i++ == 0) {
			cJSON_DeleteItemFromObjectCaseSensitive(c, "slicing");
			set_str(c, "sliceName", name);
			/* Each slice is optional until the differential says more. */
			cJSON_DeleteItemFromObjectCaseSensitive(c, "min");
			cJSON_AddNumberToObject(c, "min", 0);
		}
		insert_at(g->w, pos + i - 1, c);
	}
	cJSON_Delete(copies);
	/* A type slice of value[x]: its one type, and the implied slicing. */
	dot = strrchr(base_id, '.');
	bstep = dot ? dot + 1 : base_id;
	if (bn > 3 && strcmp(base_id + bn - 3, "[x]") == 0 && !strchr(bstep, ':') &&
	    strncmp(name, bstep, strlen(bstep) - 3) == 0) {
		cJSON *be = cJSON_GetArrayItem(g->w, b);

		narrow_types(cJSON_GetArrayItem(g->w, pos), name + strlen(bstep) - 3);
		if (!cJSON_GetObjectItemCaseSensitive(be, "slicing")) {
			cJSON *s = cJSON_CreateObject(), *d = cJSON_CreateObject();
			cJSON *arr = cJSON_AddArrayToObject(s, "discriminator");

			cJSON_AddStringToObject(d, "type", "type");
			cJSON_AddStringToObject(d, "path", "$this");
			cJSON_AddItemToArray(arr, d);
			cJSON_AddBoolToObject(s, "ordered", 0);
			cJSON_AddStringToObject(s, "rules", "closed");
			cJSON_AddItemToObject(be, "slicing", s);
		}
	}
	return pos;
}

/* The index of id in the working array, made when missing; -1 with g->err.
 * *tcode (optional) gets the type when a choice was named by type. */
static int resolve(struct gen *g, const char *id, const char **tcode, int depth)
{
	char parent[1024], base[1024], real[2048];
	const char *dot, *step, *colon, *slash, *ptc = NULL;
	int i, p, size;

	if ((i = find(g, id)) >= 0)
		return i;
	if (depth > 64 || strlen(id) >= sizeof(parent))
		goto nomatch;
	dot = strrchr(id, '.');
	if (!dot)
		goto nomatch;
	step = dot + 1;
	colon = strchr(step, ':');
	if (colon) {
		slash = strrchr(colon, '/');
		snprintf(base, sizeof(base), "%.*s", (int)((slash ? slash : colon) - id), id);
		return make_slice(g, id, base, slash ? colon + 1 : colon + 1);
	}
	snprintf(parent, sizeof(parent), "%.*s", (int)(dot - id), id);
	if ((p = resolve(g, parent, &ptc, depth + 1)) < 0)
		return -1;
	if (ptc) {
		/* Through a choice named by type (valueQuantity.value): the
		 * children are value[x]'s, of that one type. */
		narrow_types(cJSON_GetArrayItem(g->w, p), ptc);
		snprintf(parent, sizeof(parent), "%s", eid(cJSON_GetArrayItem(g->w, p)));
		snprintf(real, sizeof(real), "%s.%s", parent, step);
		id = real;
	}
	size = cJSON_GetArraySize(g->w);
	if (!(p + 1 < size && has_prefix(eid(cJSON_GetArrayItem(g->w, p + 1)), parent,
	    strlen(parent), "."))) {
		if (expand(g, p) < 0)
			return -1;
	}
	/* Expanding an ancestor may have listed it by now. */
	if ((i = find(g, id)) >= 0)
		return i;
	if (tcode && (i = choice_child(g, parent, step, tcode)) >= 0)
		return i;
nomatch:
	if (!g->err[0])
		snprintf(g->err, sizeof(g->err), "differential element '%s' matches no element of "
			"the base", id);
	return -1;
}

static double card(const char *max)
{
	return !max || strcmp(max, "*") == 0 ? 1e18 : atof(max);
}

/* A constraint the differential adds without a source gets the profile's
 * url as its source, as the snapshot it lands in must say where it is
 * from (the validator tells profile constraints from core ones by it). */
static void merge_constraints(cJSON *e, const cJSON *add, const char *profile_url)
{
	cJSON *have = cJSON_GetObjectItemCaseSensitive(e, "constraint"), *c;
	const cJSON *a;

	if (!have)
		have = cJSON_AddArrayToObject(e, "constraint");
	cJSON_ArrayForEach(a, add) {
		const char *key = fhirdef_jstr(a, "key");
		int i = 0, found = -1;

		cJSON_ArrayForEach(c, have) {
			const char *k = fhirdef_jstr(c, "key");
			if (key && k && strcmp(key, k) == 0)
				found = i;
			i++;
		}
		c = cJSON_Duplicate(a, 1);
		if (c && !fhirdef_jstr(c, "source") && profile_url)
			cJSON_AddStringToObject(c, "source", profile_url);
		if (found >= 0)
			cJSON_ReplaceItemInArray(have, found, c);
		else
			cJSON_AddItemToArray(have, c);
	}
}

/* Deletes e's properties starting with prefix + an upper-case letter. */
static void drop_choice(cJSON *e, const char *prefix)
{
	size_t n = strlen(prefix);
	cJSON *p = e->child, *next;

	for (; p; p = next) {
		next = p->next;
		if (strncmp(p->string, prefix, n) == 0 && p->string[n] >= 'A' && p->string[n] <= 'Z')
			cJSON_DeleteItemFromObjectCaseSensitive(e, p->string);
	}
}

/* A differential's types must be among the base element's (any resource
 * type where the base allows Resource). */
static void check_types(struct gen *g, const cJSON *e, const cJSON *types)
{
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(e, "type"), *t, *b;

	if (!cJSON_GetArraySize(base))
		return;
	cJSON_ArrayForEach(t, types) {
		const char *c = fhirdef_jstr(t, "code");
		int ok = 0;

		cJSON_ArrayForEach(b, base) {
			const char *bc = fhirdef_jstr(b, "code");
			if (c && bc && (strcmp(c, bc) == 0 || strcmp(bc, "Resource") == 0 ||
			    strcmp(bc, "DomainResource") == 0 || strcmp(bc, "*") == 0))
				ok = 1;
		}
		if (!ok)
			fhirdef_problem(&g->lk->raw->problems, "%s: profile '%s': element '%s': type "
				"'%s' is not one the base allows", g->r->source, g->r->url, eid(e),
				c ? c : "?");
	}
}

static void merge(struct gen *g, cJSON *e, const cJSON *d, const char *tcode)
{
	const cJSON *p;
	const char *id = eid(e);

	cJSON_ArrayForEach(p, d) {
		const char *k = p->string;

		if (strcmp(k, "id") == 0 || strcmp(k, "path") == 0)
			continue;
		if (strcmp(k, "min") == 0 && cJSON_IsNumber(p)) {
			const cJSON *was = cJSON_GetObjectItemCaseSensitive(e, "min");
			if (cJSON_IsNumber(was) && p->valueint < was->valueint)
				fhirdef_problem(&g->lk->raw->problems, "%s: profile '%s': element '%s': "
					"min %d is below the base's %d", g->r->source, g->r->url, id,
					p->valueint, was->valueint);
		} else if (strcmp(k, "max") == 0 && cJSON_IsString(p)) {
			const char *was = fhirdef_jstr(e, "max");
			if (was && card(p->valuestring) > card(was))
				fhirdef_problem(&g->lk->raw->problems, "%s: profile '%s': element '%s': "
					"max %s is above the base's %s", g->r->source, g->r->url, id,
					p->valuestring, was);
		} else if (strcmp(k, "type") == 0) {
			check_types(g, e, p);
		} else if (strcmp(k, "constraint") == 0) {
			merge_constraints(e, p, g->r->url);
			continue;
		} else if (strncmp(k, "fixed", 5) == 0 || strncmp(k, "pattern", 7) == 0) {
			drop_choice(e, k[0] == 'f' ? "fixed" : "pattern");
		} else if (strcmp(k, "condition") == 0) {
			cJSON *have = cJSON_GetObjectItemCaseSensitive(e, "condition");
			const cJSON *c;
			if (have) {
				cJSON_ArrayForEach(c, p)
					cJSON_AddItemToArray(have, cJSON_Duplicate(c, 1));
				continue;
			}
		}
		cJSON_DeleteItemFromObjectCaseSensitive(e, k);
		cJSON_AddItemToObject(e, k, cJSON_Duplicate(p, 1));
	}
	if (tcode && !cJSON_GetObjectItemCaseSensitive(d, "type"))
		narrow_types(e, tcode);
}

/* The slices a differential without element ids has opened so far: an
 * element after "Bundle.entry" sliceName "Patient" with path
 * "Bundle.entry.resource" stands for "Bundle.entry:Patient.resource",
 * as the specification reads a differential in order. */
#define MAX_OPEN_SLICES 64

struct open_slices {
	char *path[MAX_OPEN_SLICES];   /* the sliced element's path */
	char *id[MAX_OPEN_SLICES];     /* the slice's id */
	size_t n;
};

static void open_slices_release(struct open_slices *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->path[i]);
		free(o->id[i]);
	}
	o->n = 0;
}

/* Forgets the slices at path and below it. */
static void close_slices(struct open_slices *o, const char *path)
{
	size_t i = 0, n = strlen(path);

	while (i < o->n) {
		if (strcmp(o->path[i], path) == 0 || has_prefix(o->path[i], path, n, ".")) {
			free(o->path[i]);
			free(o->id[i]);
			o->path[i] = o->path[o->n - 1];
			o->id[i] = o->id[o->n - 1];
			o->n--;
		} else {
			i++;
		}
	}
}

/* The id a differential element stands for. */
static const char *diff_id(const cJSON *d, struct open_slices *o, char *buf, size_t size)
{
	const char *id = fhirdef_jstr(d, "id"), *path = fhirdef_jstr(d, "path");
	const char *slice = fhirdef_jstr(d, "sliceName");
	size_t i, best = 0, best_len = 0;
	int found = 0;

	if (!path)
		return id;
	if (!id) {
		/* The deepest open slice whose element path contains this one. */
		for (i = 0; i < o->n; i++) {
			size_t n = strlen(o->path[i]);
			if (n > best_len && has_prefix(path, o->path[i], n, ".")) {
				best = i;
				best_len = n;
				found = 1;
			}
		}
		if (found)
			snprintf(buf, size, "%s%s", o->id[best], path + best_len);
		else
			snprintf(buf, size, "%s", path);
		if (slice) {
			size_t len = strlen(buf);
			snprintf(buf + len, size - len, ":%s", slice);
		}
		id = buf;
	}
	close_slices(o, path);
	if (slice && o->n < MAX_OPEN_SLICES) {
		char *p = strdup(path), *x = strdup(id);
		if (p && x) {
			o->path[o->n] = p;
			o->id[o->n++] = x;
		} else {
			free(p);
			free(x);
		}
	}
	return id;
}

static void make_one(struct sd_lookup *lk, struct raw_resource *r);

/* The made snapshot's shape: ids unique, each element after its parent.
 * A failure here is a bug in this file, reported as a problem line. */
static void check_shape(struct sd_lookup *lk, struct raw_resource *r, const cJSON *elems)
{
	struct strmap seen;
	const cJSON *e;
	char parent[2048];

	strmap_init(&seen, 0);
	cJSON_ArrayForEach(e, elems) {
		const char *id = eid(e), *dot = id ? strrchr(id, '.') : NULL;

		if (!id)
			continue;
		if (strmap_get(&seen, id))
			fhirdef_problem(&lk->raw->problems, "%s: profile '%s': snapshot lists "
				"element '%s' twice", r->source, r->url, id);
		if (dot && (size_t)(dot - id) < sizeof(parent)) {
			snprintf(parent, sizeof(parent), "%.*s", (int)(dot - id), id);
			if (!strmap_get(&seen, parent))
				fhirdef_problem(&lk->raw->problems, "%s: profile '%s': snapshot element "
					"'%s' comes before its parent", r->source, r->url, id);
		}
		strmap_put(&seen, id, (void *)e);
	}
	strmap_release(&seen);
}

static void fail(struct raw_resource *r, const char *msg)
{
	size_t n = strlen(msg) + strlen(r->url) + strlen(r->source) + 32;

	if ((r->error = malloc(n)))
		snprintf(r->error, n, "%s: profile '%s': %s", r->source, r->url, msg);
}

static cJSON *generate(struct sd_lookup *lk, struct raw_resource *r, const cJSON *base)
{
	struct gen g;
	struct open_slices open = { { NULL }, { NULL }, 0 };
	const cJSON *diff = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(r->json, "differential"), "element"), *d;
	char buf[1024];

	memset(&g, 0, sizeof(g));
	g.lk = lk;
	g.r = r;
	g.w = cJSON_Duplicate(base, 1);
	/* ElementDefinition.base says what the profile narrowed: where the
	 * base snapshot does not give it, it is the base element itself. */
	cJSON_ArrayForEach(d, g.w) {
		if (!cJSON_GetObjectItemCaseSensitive(d, "base") && fhirdef_jstr(d, "path")) {
			cJSON *b = cJSON_AddObjectToObject((cJSON *)d, "base");
			const cJSON *min = cJSON_GetObjectItemCaseSensitive(d, "min");

			cJSON_AddStringToObject(b, "path", fhirdef_jstr(d, "path"));
			cJSON_AddNumberToObject(b, "min", cJSON_IsNumber(min) ? min->valueint : 0);
			cJSON_AddStringToObject(b, "max", fhirdef_jstr(d, "max") ? fhirdef_jstr(d, "max") : "*");
		}
	}
	cJSON_ArrayForEach(d, diff) {
		const char *id = diff_id(d, &open, buf, sizeof(buf)), *tcode = NULL;
		int at = id ? resolve(&g, id, &tcode, 0) : -1;

		if (at < 0) {
			if (!g.err[0])
				snprintf(g.err, sizeof(g.err), "a differential element has no path");
			fail(r, g.err);
			cJSON_Delete(g.w);
			open_slices_release(&open);
			return NULL;
		}
		merge(&g, cJSON_GetArrayItem(g.w, at), d, tcode);
	}
	open_slices_release(&open);
	return g.w;
}

/* Is the profile's type the base snapshot's (its first element's path)? */
static int same_type(const struct raw_resource *r, const cJSON *base)
{
	const char *type = fhirdef_jstr(r->json, "type");
	const char *root = fhirdef_jstr(cJSON_GetArrayItem(base, 0), "path");

	return type && root && strcmp(type, root) == 0;
}

static void make_one(struct sd_lookup *lk, struct raw_resource *r)
{
	const char *base_url, *why = NULL, *deriv;
	const cJSON *base;
	cJSON *snap, *elems;

	if (r->snapshot_state == 2)
		return;
	if (r->snapshot_state == 1) {
		fail(r, "its base definitions form a cycle");
		r->snapshot_state = 2;
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(r->json, "snapshot")) {
		r->snapshot_state = 2;
		return;
	}
	r->snapshot_state = 1;
	base_url = fhirdef_jstr(r->json, "baseDefinition");
	deriv = fhirdef_jstr(r->json, "derivation");
	if (!base_url) {
		fail(r, "has no snapshot, and only a constraint on a base can have one made");
	} else if (!(base = fhirdef_snapshot_of(lk, base_url, r->major, &why))) {
		char msg[4096];
		snprintf(msg, sizeof(msg), "base '%s': %s", base_url, why);
		fail(r, msg);
	} else if (deriv && strcmp(deriv, "constraint") != 0 && !same_type(r, base)) {
		/* A "specialization" of the base's own type only constrains it
		 * (the reference validator reads it so); a new type is not made. */
		fail(r, "has no snapshot, and only a constraint on a base can have one made");
	} else if ((elems = generate(lk, r, base))) {
		check_shape(lk, r, elems);
		snap = cJSON_CreateObject();
		cJSON_AddItemToObject(snap, "element", elems);
		cJSON_AddItemToObject(r->json, "snapshot", snap);
	}
	r->snapshot_state = 2;
	if (r->error)
		fhirdef_problem(&lk->raw->problems, "%s", r->error);
}

const cJSON *fhirdef_snapshot_of(struct sd_lookup *lk, const char *url, int major,
	const char **why)
{
	struct raw_resource *r = fhirdef_raw_find(lk->raw, RK_SD, url, major);
	struct fhirdef_set *set = lk->set ? fhirdef_set_release(lk->set, major) : NULL;
	cJSON *j;

	if (r) {
		make_one(lk, r);
		if (r->error) {
			*why = "it has no snapshot itself";
			return NULL;
		}
		return cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(r->json, "snapshot"), "element");
	}
	/* Only the profile's own release: an STU3 profile is never made
	 * from an R4 base that shares the base's URL. */
	if (set && (j = fhirdef_record_json(set, RK_SD, url))) {
		const cJSON *e;

		cJSON_AddItemToArray(lk->keep, j);
		e = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "snapshot"),
			"element");
		if (!e)
			*why = "it has no snapshot itself";
		return e;
	}
	*why = major && major != fhirdef_primary_major() ? "not found among the loaded "
		"definitions of its FHIR release" : "not found among the loaded definitions";
	return NULL;
}

void fhirdef_snapshot_all(struct sd_lookup *lk)
{
	size_t i;

	for (i = 0; i < lk->raw->n; i++)
		if (lk->raw->res[i].kind == RK_SD)
			make_one(lk, &lk->raw->res[i]);
}
