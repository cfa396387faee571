/*
 * The FHIR zib reader: FHIR resources (R4 zib2020/nl-core, STU3 zib2017)
 * into zib instances, driven by the element paths of each release
 * (model/release.h) in the zib models and the slice table generated from
 * the profiles.
 *
 * 1. Collect resources: the roots of the input trees, Bundle entries of any
 *    type, contained resources; index them by Type/id, fullUrl and #id.
 * 2. Give each resource its zibs: meta.profile, or else its type and codes
 *    (the BgZ queries).  A resource fitting no zib is reported.
 * 3. Map: every concept's paths ("zib-BloodPressure#Observation.component:
 *    SystolicBP.value[x]") are walked from the resource, from the node of
 *    the parent group, or across a Reference into a linked resource
 *    (Practitioner, Specimen, Device).  A root concept whose path is
 *    below the resource (STU3 Patient.contact) gives one instance per node.
 * 4. References between instances are resolved at the end; unresolvable
 *    ones are reported.  Leaf content nobody read goes to the unmapped list.
 *
 * Nodes read are marked in fhir_node.used (the trees are ours).
 *
 * This file: steps 1 and 4 and the entry point (tree helpers, collecting
 * and indexing the resources, resolving a reference string, findings).
 * The rest, one job a file, shares lib/fhir/zib_read_int.h:
 *   zib_read_zibs.c      step 2: which zibs a resource is, its FHIR version
 *   zib_read_path.c      step 3: walking a mapping's path (slices, codes)
 *   zib_read_map.c       step 3: concepts into zib values (fhir_map_concept)
 *   zib_read_value.c     a FHIR element into a zib value of a datatype
 *   zib_read_schedule.c  Frequentie, Interval, Toedieningsduur from Timing.repeat
 *   zib_read_payer.c     Betaler: which payor is the insurer, which the person
 *   zib_read_refs.c      step 4: references between instances
 *   zib_read_lab.c       zib2017 lab panels: members read as LaboratoriumTest
 *   zib_read_unread.c    the ZIB-FHIRZ-003 scan of what nobody read
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/strmap.h"
#include "fhir/tree.h"
#include "fhir/zib_read.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"

/* ---- tree helpers ---- */

struct fhir_node *fhir_child(const struct fhir_node *n, const char *name)
{
	struct fhir_node *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const char *fhir_child_value(const struct fhir_node *n, const char *name)
{
	struct fhir_node *c = fhir_child(n, name);

	return c ? c->value : NULL;
}

void fhir_mark_tree(struct fhir_node *n)
{
	struct fhir_node *c;

	n->used = 1;
	for (c = n->children; c; c = c->next)
		if (c->kind != FHIR_K_RESOURCE)
			fhir_mark_tree(c);
}

const char *fhir_reader_node_path(struct reader *r, const struct fhir_node *n)
{
	char buf[2048];

	return doc_str(r->doc, fhir_node_path(n, buf, sizeof(buf)));
}

static int is_resource_node(const struct fhir_node *n)
{
	return n->kind == FHIR_K_RESOURCE;
}

/* ---- step 1: resources ---- */

static struct res *add_res(struct reader *r, struct fhir_node *n, const char *file, struct res *container)
{
	struct res *x;
	char key[1024];

	if (r->nres == r->capres) {
		size_t cap = r->capres ? r->capres * 2 : 64;
		struct res *p = realloc(r->res, cap * sizeof(*p));
		if (!p) {
			r->failed = 1;
			return NULL;
		}
		r->res = p;
		r->capres = cap;
	}
	x = &r->res[r->nres++];
	memset(x, 0, sizeof(*x));
	x->node = n;
	x->type = fhir_resource_name(n);
	x->id = fhir_child_value(n, "id");
	x->file = file;
	x->container = container;
	if (x->id) {
		if (container)
			snprintf(key, sizeof(key), "%p#%s", (void *)container->node, x->id);
		else
			snprintf(key, sizeof(key), "%s/%s", x->type, x->id);
		strmap_put(&r->by_key, arena_strdup(&r->tmp, key), (void *)(r->nres));
	}
	return x;
}

static struct res *res_at(struct reader *r, void *v)
{
	size_t i = (size_t)v;

	return i ? &r->res[i - 1] : NULL;
}

static void collect(struct reader *r, struct fhir_node *n, const char *file, const char *full_url)
{
	struct fhir_node *c;
	size_t me;

	if (!add_res(r, n, file, NULL))
		return;
	me = r->nres;
	if (full_url) {
		r->res[me - 1].full_url = full_url;
		strmap_put(&r->by_key, full_url, (void *)me);
	}
	for (c = n->children; c; c = c->next) {
		if (strcmp(c->name, "contained") == 0 && is_resource_node(c)) {
			add_res(r, c, file, &r->res[me - 1]);
			c->used = 1;
		}
	}
	if (strcmp(r->res[me - 1].type, "Bundle") == 0) {
		for (c = n->children; c; c = c->next) {
			struct fhir_node *e;
			if (strcmp(c->name, "entry") != 0)
				continue;
			e = fhir_child(c, "resource");
			if (e && is_resource_node(e))
				collect(r, e, file, fhir_child_value(c, "fullUrl"));
		}
	}
}

/* Resolves a reference string seen in resource from. */
struct res *fhir_resolve(struct reader *r, struct res *from, const char *ref)
{
	char key[1024];
	const char *p, *hist;
	void *v;
	struct res *top = from;

	if (!ref || !*ref)
		return NULL;
	while (top && top->container)
		top = top->container;
	if (ref[0] == '#') {
		snprintf(key, sizeof(key), "%p#%s", top ? (void *)top->node : NULL, ref + 1);
		return res_at(r, strmap_get(&r->by_key, key));
	}
	if ((v = strmap_get(&r->by_key, ref)) != NULL)
		return res_at(r, v);
	/* [base/]Type/id[/_history/n]: the last Type/id. */
	snprintf(key, sizeof(key), "%s", ref);
	hist = strstr(key, "/_history/");
	if (hist)
		key[hist - key] = '\0';
	p = strrchr(key, '/');
	if (!p)
		return NULL;
	{
		const char *q = p;
		while (q > key && q[-1] != '/')
			q--;
		v = strmap_get(&r->by_key, q);
	}
	return res_at(r, v);
}

void fhir_finding(struct reader *r, const struct res *x, const struct fhir_node *n, zib_severity sev,
	const char *code, const char *actual, const char *fmt, const char *arg)
{
	zib_diag d;
	char path[2048];

	if (!r->report)
		return;
	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.code = code;
	d.file = x && x->file ? x->file : r->doc->file;
	d.line = n ? n->line : 0;
	d.column = n ? n->column : 0;
	d.path = n ? fhir_node_path(n, path, sizeof(path)) : NULL;
	d.actual = actual;
	zib_report_addf(r->report, &d, fmt, arg);
}

/* ---- entry point ---- */

/* The release the document was read as: the first release other than the
 * default a resource was read as with evidence, else the default's when a
 * resource was read as it.  A resource whose profile both releases share
 * (zib-Alert, nl-core-address) and whose content names no release was
 * read by the older release's paths, then the default's: when all are
 * such, the source says neither. */
static const char *version_label(struct zib_doc *doc, const struct zib_release *other, int dflt,
	int guessed)
{
	const struct zib_release *older = release_of_other_structure();
	char label[128];

	if (other)
		return other->label;
	if (guessed && !dflt && older) {
		snprintf(label, sizeof(label), "%s or %s (FHIR, the release not evident)", older->id,
			release_default()->id);
		return doc_str(doc, label);
	}
	return release_default()->label;
}


int fhir_zib_read_trees(struct zib_doc **out, const zib_ctx *ctx, const char *name,
	struct zib_fhir *const *trees, size_t ntrees, zib_report *report, zib_error *err)
{
	struct reader r;
	size_t i, j;
	const struct zib_release *other = NULL;
	int dflt = 0, guessed = 0;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.report = report;
	strmap_init(&r.by_key, 0);
	strmap_init(&r.by_profile, 0);
	r.doc = doc_new(ctx, name, ntrees && trees[0] ? trees[0]->format : ZIB_FORMAT_FHIR_XML);
	if (!r.doc)
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
	fhir_profiles_index(&r);
	for (i = 0; i < ntrees; i++)
		if (trees[i] && trees[i]->root)
			collect(&r, trees[i]->root, trees[i]->file, NULL);
	fhir_decide_versions(&r);
	fhir_mark_orders(&r);
	fhir_mark_lab_members(&r);
	/* Instances first from resources that are not parts of others, so a
	 * PractitionerRole's Practitioner or a Device is read through its
	 * referrer (an order, fhir_mark_orders, is never read alone). */
	for (j = 0; j < 2 && !r.failed; j++) {
		for (i = 0; i < r.nres && !r.failed; i++) {
			struct res *x = &r.res[i];
			int second = strcmp(x->type, "Practitioner") == 0 || fhir_is_part_type(x->type) ||
				strcmp(x->type, "Organization") == 0 || fhir_claims_subprofile(&r, x);
			if (strcmp(x->type, "Bundle") == 0 || (int)j != second)
				continue;
			if (((second || fhir_is_order_type(x->type)) && x->part) || x->panel)
				continue;   /* read through its referrer, or its lab panel */
			fhir_read_resource(&r, x);
			if (x->rel != release_default() && !x->guessed && !other)
				other = x->rel;
			dflt |= x->rel == release_default();
			guessed |= x->guessed;
		}
	}
	fhir_resolve_refs(&r);
	for (i = 0; i < r.nres && !r.failed; i++) {
		struct res *x = &r.res[i];
		if (strcmp(x->type, "Bundle") == 0)
			continue;
		if (x->inst || x->part) {
			fhir_scan_unmapped(&r, x->node, x);
			fhir_check_refs(&r, x, x->node);
		}
	}
	r.doc->source_version = version_label(r.doc, other, dflt, guessed);
	free(r.res);
	free(r.refs);
	strmap_release(&r.by_key);
	strmap_release(&r.by_profile);
	arena_release(&r.tmp);
	if (r.failed) {
		zib_doc_free(r.doc);
		return error_set(err, ZIB_ENOMEM, "out of memory reading '%s'", name);
	}
	*out = r.doc;
	return ZIB_OK;
}
