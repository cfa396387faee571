/*
 * The FHIR zib reader, step 3: a zib's concepts into values of an
 * instance (fhir_map_concept): which path hits hold the concept, groups read
 * from repeated elements, and what else counts as read once a value is.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "model/timestamp.h"
#include "model/conceptmaps.h"
#include "fhir/slices.h"
#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "map/mapping.h"
#include "map/walk.h"
#include "model/address.h"
#include "model/doc.h"

/* The paths c is read by in release rel (its fallback's where it has
 * none); NULL when none. */
const char *fhir_mapping_of(const struct zib_concept *c, const struct zib_release *rel)
{
	const char *m = model_concept_fhir_paths(c, rel);

	return m && *m ? m : NULL;
}

/* A date, or a Nictiz test fixture's date relative to the run day
 * ("${DATE, T, D, -44}T14:22:10+02:00"). */
static int is_date(const char *s)
{
	char rel[64];

	return s && (isdigit((unsigned char)s[0]) || model_ts_relative(s, rel, sizeof(rel)) == 0);
}

/* Drops hits that cannot hold a value of c's datatype: the models map some
 * zib dates to the resource's status (the profiles' zib mappings do).  A
 * date left out with a data-absent-reason is its null flavor. */
static void fit_hits(const struct zib_concept *c, struct hits *h)
{
	size_t i, k = 0;

	if (strcmp(c->datatype, "TS") != 0)
		return;
	for (i = 0; i < h->count; i++) {
		struct fhir_node *n = fhir_ext_value(h->n[i]);
		if (is_date(n->value) || fhir_child(n, "start") || fhir_child(n, "end") ||
		    (!n->value && fhir_own_null_flavor(n)))
			h->n[k++] = h->n[i];
	}
	h->count = k;
}

static int is_below(const struct fhir_node *n, const struct fhir_node *top)
{
	for (; n; n = n->parent)
		if (n == top)
			return 1;
	return 0;
}

static void keep_within(struct hits *h, const struct fhir_node *top)
{
	size_t i, k = 0;

	for (i = 0; i < h->count; i++)
		if (is_below(h->n[i], top))
			h->n[k++] = h->n[i];
	h->count = k;
}

/* Huisnummerletter and Huisnummertoevoeging share one extension
 * (model/address.h): keep the hits that belong to c. */
static void house_number_suffix(const struct zib_concept *c, struct hits *h)
{
	size_t i, k = 0, count = h->count;

	for (i = 0; i < count; i++)
		if (address_suffix_fits(c->id, i, count, fhir_ext_value(h->n[i])->value))
			h->n[k++] = h->n[i];
	h->count = k;
}

/* HumanName.given carries Voornamen, Initialen and Roepnaam told apart by
 * the iso21090-EN-qualifier extension (BR, IN, CL); several given names
 * are one zib value. */
static const char *given_names(struct reader *r, const struct zib_concept *c, struct hits *h)
{
	const char *want = strcmp(c->id, "NL-CM:20.4.5") == 0 ? "IN" :
		strcmp(c->id, "NL-CM:20.4.6") == 0 ? "CL" : "BR";
	char buf[1024];
	size_t i, k = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < h->count; i++) {
		struct fhir_node *n = h->n[i], *e;
		const char *q = NULL;
		for (e = n->children; e; e = e->next)
			if (strcmp(e->name, "extension") == 0 && fhir_child_value(e, "url") &&
			    strstr(fhir_child_value(e, "url"), "iso21090-EN-qualifier"))
				q = fhir_child_value(e, "valueCode");
		/* The usual name holds the call name (zib2020 NameInformation). */
		if (!q)
			q = n->parent && fhir_child_value(n->parent, "use") &&
			    strcmp(fhir_child_value(n->parent, "use"), "usual") == 0 ? "CL" : "BR";
		if (strcmp(q, want) != 0 || !n->value)
			continue;
		fhir_mark_tree(n);
		len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s%s",
			len ? " " : "", n->value);
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		h->n[k++] = n;
	}
	h->count = k ? 1 : 0;
	return k ? doc_str(r->doc, buf) : NULL;
}

static int map_children(struct reader *r, struct zib_instance *inst, const struct zib_concept *parent,
	struct zib_value *pv, const struct where *w);

/* A reference value of group c from Reference node rn (ref as written),
 * to be resolved to target at the end; 0 when out of memory. */
static int add_reference_value(struct reader *r, struct zib_instance *inst, struct zib_value *pv,
	const struct zib_concept *c, struct fhir_node *rn, const char *ref, struct res *target)
{
	struct zib_value *v = doc_add_value(r->doc, inst, pv, c, rn->line, fhir_reader_node_path(r, rn));

	if (!v) {
		r->failed = 1;
		return 0;
	}
	v->ref = doc_str(r->doc, ref);
	fhir_mark_tree(rn);
	fhir_add_ref(r, v, target);
	return 1;
}

/* The referenced zib of a group whose Reference rn points back at the
 * resource read (DeviceUseStatement.derivedFrom of a Verrichting's
 * MedischHulpmiddel): the resource holding rn.  0 when rn is no such
 * reference or that resource is no instance of c's zib. */
static int read_reversed_reference(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w, struct fhir_node *rn)
{
	struct res *holder = fhir_reversed_reference_holder(r, w->res, rn);
	const char *ref;

	if (!holder)
		return 0;
	ref = holder->full_url ? holder->full_url :
		arena_printf(&r->tmp, "%s/%s", holder->type, holder->id ? holder->id : "");
	if (!ref || !fhir_ref_fits_zib(r, w->res, c, ref))
		return 0;
	return add_reference_value(r, inst, pv, c, rn, ref, holder);
}

/* Does mapping map end in a slice told by a code (zib2017 GeverifieerdBij
 * '...VerifiedWith.valueCodeableConcept:patient')?  A group so mapped that
 * the resource does not hold is absent, children and all. */
static int told_by_code(const char *map, size_t n)
{
	char key[1024];
	const char *last, *colon;
	const struct fhir_slice *s;

	snprintf(key, sizeof(key), "%.*s", (int)n, map);
	last = strrchr(key, '.');
	colon = strrchr(key, ':');
	if (!last || !colon || colon < last || strncmp(last + 1, "value", 5) != 0)
		return 0;
	s = fhir_slice_find(key);
	return s && s->kind == 'c';
}

/* A group whose own path finds nothing from the resource (zib2020 Payer's
 * Verzekeraar is the payor Organization, absent from a lone Coverage): its
 * children are tried from here, as for a group without a path, so that
 * what the resource itself holds (Coverage.type, subscriberId) is read. */
static int group_absent(struct reader *r, const struct zib_concept *c, const char *m,
	const struct where *w)
{
	struct hits h;
	const char *cur = m, *p, *matched = NULL;
	size_t n;

	if (!map_has_children(c) || w->node != w->res->node)
		return 0;
	h.count = 0;
	while (!h.count && (p = map_next(&cur, &n)) != NULL) {
		if (told_by_code(p, n))
			return 0;
		fhir_eval(r, p, n, w, &h, &matched);
	}
	return h.count == 0;
}


/* zib ContactInformation in R4: phone numbers and e-mail addresses are
 * ContactPoints told apart by system; keep the hits of c's kind. */
static void fit_contact_points(const struct zib_concept *c, struct hits *h)
{
	int email = strcmp(c->id, "NL-CM:20.6.3") == 0;
	size_t i, k = 0;

	if (!email && strcmp(c->id, "NL-CM:20.6.2") != 0)
		return;
	for (i = 0; i < h->count; i++) {
		const char *sys = fhir_child_value(h->n[i], "system");
		if ((sys && strcmp(sys, "email") == 0) == email)
			h->n[k++] = h->n[i];
	}
	h->count = k;
}

/* Does a UDI part beside Identifier n (its resource's udi.carrierHRF or
 * udi.deviceIdentifier) hold n's value? */
static int udi_repeats(const struct fhir_node *n)
{
	const char *v = fhir_child_value(n, "value");
	const struct fhir_node *u;

	if (!v || !n->parent)
		return 0;
	for (u = n->parent->children; u; u = u->next) {
		const char *hrf = fhir_child_value(u, "carrierHRF"), *di = fhir_child_value(u, "deviceIdentifier");
		if (strcmp(u->name, "udi") == 0 && ((hrf && strcmp(hrf, v) == 0) || (di && strcmp(di, v) == 0)))
			return 1;
	}
	return 0;
}

/* A code read from identifiers (zib2017 MedischHulpmiddel ProductID:
 * Device.identifier, which the profile maps to the zib2017 basis
 * IdentificatieNummer too): of several, the one the UDI repeats is the
 * product's; the others identify the resource.  Without such a one all
 * stay, and the zib's cardinality tells. */
static void fit_product_identifiers(const struct zib_concept *c, struct hits *h)
{
	size_t i, k = 0;

	if (h->count < 2 || c->max != 1 || map_has_children(c))
		return;
	for (i = 0; i < h->count; i++)
		if (h->n[i]->type && strcmp(h->n[i]->type->name, "Identifier") == 0 && udi_repeats(h->n[i]))
			h->n[k++] = h->n[i];
	if (k)
		h->count = k;
}

/* A zib's Contactgegevens (Betaler's is 0..*): one ContactInformation holds
 * all telephone numbers and e-mail addresses, spread over FHIR telecoms. */
static int is_contact_container(const struct zib_concept *c)
{
	const struct zib_concept *k = c->index + 1 < c->model->nconcepts ? &c->model->concepts[c->index + 1] : NULL;

	return k && k->parent == c && (strcmp(k->id, "NL-CM:20.6.2") == 0 || strcmp(k->id, "NL-CM:20.6.3") == 0);
}

/* A coding slice read as c's value (zib2017 Observation.interpretation.
 * coding:InterpretatieVlaggenCodelijst): the CodeableConcept's other
 * codings that c's ConceptMaps map to the same zib code (HL7 v2 0078 'I'
 * for SNOMED 11896004) are that value in FHIR's own code system. */
static void consume_translations(const struct zib_concept *c, const struct zib_value *v,
	struct fhir_node *n)
{
	struct fhir_node *k;
	const char *p;
	char oid[128];

	if (strcmp(n->name, "coding") != 0 || !n->parent || !v->code || !c->valuesets)
		return;
	for (k = n->parent->children; k; k = k->next) {
		const char *sys = fhir_child_value(k, "system"), *code = fhir_child_value(k, "code");
		if (k == n || k->used || strcmp(k->name, "coding") != 0 || !sys || !code)
			continue;
		for (p = c->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); ) {
			const struct fhir_conceptmap *m = model_fhir_conceptmap_find(oid, sys, code);
			if (m && strcmp(m->zib_code, v->code) == 0 &&
			    (!v->system || strcmp(m->zib_system, v->system) == 0))
				fhir_mark_tree(k);
		}
	}
}

/* Do a and b hold the same content (names and values, all the way down)? */
static int same_content(const struct fhir_node *a, const struct fhir_node *b)
{
	const struct fhir_node *x, *y;

	if (strcmp(a->name, b->name) != 0 || (a->value == NULL) != (b->value == NULL) ||
	    (a->value && strcmp(a->value, b->value) != 0))
		return 0;
	for (x = a->children, y = b->children; x && y; x = x->next, y = y->next)
		if (!same_content(x, y))
			return 0;
	return x == NULL && y == NULL;
}

/* Is n a FHIR code of a code system c's ConceptMaps translate from, one
 * they give no zib code (STU3 AllergyIntolerance.verificationStatus
 * 'confirmed': only 'entered-in-error' is an AllergieStatus, nullified)? */
static int no_zib_counterpart(const struct zib_concept *c, const struct fhir_node *n)
{
	const struct fhir_node *coding = fhir_child(n, "coding");
	const char *code = coding ? fhir_child_value(coding, "code") : n->value;
	const char *sys = coding ? fhir_child_value(coding, "system") : NULL, *p;
	char oid[128];

	if (!code || !c->valuesets)
		return 0;
	/* A primitive must be a code, not free text: a single token, of no
	 * text type (STU3 code elements R4 types otherwise, as the reader's R4
	 * table does, say nothing by their type). */
	if (!coding && (strpbrk(code, " \t\n") || (n->def && n->def->type_code &&
	    (strcmp(n->def->type_code, "string") == 0 || strcmp(n->def->type_code, "markdown") == 0))))
		return 0;
	for (p = c->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); ) {
		if (!model_fhir_conceptmap_has_valueset(oid))
			continue;
		if (!sys) {
			if (!model_fhir_conceptmap_find_code(oid, code))
				return 1;
			continue;
		}
		if (!model_fhir_conceptmap_find(oid, sys, code) && model_fhir_conceptmap_has_system(oid, sys))
			return 1;
	}
	return 0;
}

/* Does mapping ("prof#Type.a.b") start at type? */
static int starts_at_type(const char *map, size_t n, const char *type)
{
	const char *hash = memchr(map, '#', n);
	size_t tl = strlen(type);

	if (!hash)
		return 0;
	hash++;
	return (size_t)(map + n - hash) >= tl && strncmp(hash, type, tl) == 0 &&
		(hash + tl == map + n || hash[tl] == '.');
}

/* The resource node that holds n, or NULL. */
static const struct fhir_node *resource_of(const struct fhir_node *n)
{
	while (n && n->kind != FHIR_K_RESOURCE)
		n = n->parent;
	return n;
}

/* Does mapping start at x's own type, or at the type of the resource the
 * value was read from (zib2017 MedischHulpmiddel ProductID: the Device its
 * DeviceUseStatement references)?  No other Reference is followed then,
 * so no other resource is taken as a part. */
static int in_resource(const char *map, size_t n, const struct res *x, const struct hits *read)
{
	const struct fhir_node *from = read->count ? resource_of(read->n[0]) : NULL;

	return starts_at_type(map, n, x->type) || (from && starts_at_type(map, n, from->name));
}

/* An Identifier's value written again as a primitive (zib2017
 * Device.udi.carrierHRF beside the Device.identifier read as ProductID). */
static int same_identifier_value(const struct fhir_node *id, const struct fhir_node *n)
{
	const char *v = fhir_child_value(id, "value");

	return id->type && strcmp(id->type->name, "Identifier") == 0 && v && n->value &&
		strcmp(v, n->value) == 0;
}

/* The mappings after the one that found c's value name other slices that
 * say the same in another code system (zib2017 BloodPressure has a SNOMED
 * and a LOINC component for each of GemiddeldeBloeddruk, ManchetType and
 * Houding).  A node of those holding what a read node holds is that value
 * again: consumed; so is a FHIR code with no zib counterpart, which adds
 * nothing to the value read.  A different value stays unread, to be
 * reported. */
static void consume_repeats(struct reader *r, const struct zib_concept *c, const char *rest,
	const struct where *w, const struct hits *read)
{
	struct hits h;
	const char *cur = rest, *p, *matched = NULL;
	size_t i, k, len;

	h.count = 0;
	while ((p = map_next(&cur, &len)) != NULL)
		if (in_resource(p, len, w->res, read))
			fhir_eval(r, p, len, w, &h, &matched);
	if (w->within)
		keep_within(&h, w->within);
	for (i = 0; i < h.count; i++) {
		struct fhir_node *n = fhir_ext_value(h.n[i]);
		if (!n->used && no_zib_counterpart(c, n))
			fhir_mark_tree(n);
		for (k = 0; k < read->count && !n->used; k++)
			if (read->n[k] != h.n[i] && fhir_ext_value(read->n[k])->used &&
			    (same_content(fhir_ext_value(read->n[k]), n) ||
			     same_identifier_value(fhir_ext_value(read->n[k]), n)))
				fhir_mark_tree(n);
	}
}

/* A concept the zib has once that FHIR repeats with the same value (MP9
 * copies Toedieningsweg into every Dosage of the instructions): read once,
 * the copies count as read. */
static void drop_copies(const struct zib_concept *c, struct hits *h)
{
	size_t i, j, k = 0;

	if (c->max != 1 || map_has_children(c))
		return;
	for (i = 0; i < h->count; i++) {
		for (j = 0; j < k && !same_content(h->n[j], h->n[i]); j++)
			;
		if (j < k) {
			fhir_mark_tree(h->n[i]);
			continue;
		}
		h->n[k++] = h->n[i];
	}
	h->count = k;
}

int fhir_map_concept(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w)
{
	const struct zib_release *rel = w->res->rel, *fb = release_fallback(rel);
	const char *m = fhir_mapping_of(c, rel), *p, *cur, *fallback;
	struct hits h;
	const char *matched = NULL, *given, *rest = "";
	size_t i, len;
	int added = 0;

	if ((added = fhir_read_panel_tests(r, inst, c, pv, w)) >= 0)
		return added;
	added = 0;

	if (!m && fhir_is_schedule_part(c))
		return fhir_read_schedule_part(r, inst, c, pv, w);
	if (fhir_is_payer_person_insurer(c, w))
		return 0;
	if (!m || (h.count = 0, group_absent(r, c, m, w))) {
		struct zib_value *v;
		/* (zib2017 maps Alert's Conditie to the flag-detail extension
		 * itself, zib2020 to its value.) */
		struct fhir_node *rn = w->node != w->res->node ? fhir_reference_of_group(w->node) : NULL;
		const char *ref = rn ? fhir_child_value(rn, "reference") : NULL;
		struct res *in = w->res, *order = NULL;
		struct fhir_node *asked;
		if (ref && !map_has_children(c) && !fhir_ref_fits_zib(r, w->res, c, ref) &&
		    (asked = fhir_order_requester(r, w->res, rn, &order)) != NULL) {
			/* Aanvrager's basedOn: who asked for the order. */
			rn = asked;
			ref = fhir_child_value(rn, "reference");
			in = order;
		}
		if (!map_has_children(c) && ref && strcmp(c->datatype, "GROUP") == 0 && pv && !pv->children &&
		    read_reversed_reference(r, inst, c, pv, w, rn))
			return 1;
		if (!map_has_children(c) && ref && strcmp(c->datatype, "GROUP") == 0 && pv && !pv->children &&
		    fhir_ref_fits_zib(r, in, c, ref)) {
			/* The referenced zib of a group that is a Reference
			 * (Zorgverlener's Zorgaanbieder: PractitionerRole.organization). */
			return add_reference_value(r, inst, pv, c, rn, ref, fhir_resolve(r, in, ref));
		}
		if (!map_has_children(c))
			return 0;
		/* A group without a path of its own: its children read from here. */
		v = doc_add_value(r->doc, inst, pv, c, w->node->line, fhir_reader_node_path(r, w->node));
		if (!v) {
			r->failed = 1;
			return 0;
		}
		if (map_children(r, inst, c, v, w) > 0)
			return 1;
		doc_drop_last_value(inst, pv, v);
		return 0;
	}
	h.count = 0;
	for (cur = m; !h.count && (p = map_next(&cur, &len)) != NULL; ) {
		rest = p + len;
		if (fhir_claims_sibling_profile(w->res, p, len))
			;   /* Payer.InsuranceCompany's Coverage.type in a Payer.PayerPerson */
		else if (!fhir_is_subprofile_path(c->model, p, len) || fhir_res_has_profile(w->res, p, len))
			fhir_eval(r, p, len, w, &h, &matched);
		else
			fhir_eval_member(r, p, len, w, &h, &matched);
	}
	/* The fallback release's mapping (zib2020's for a zib2017 resource)
	 * where the element is the same there (the release's own mapping
	 * falls back only when it has none).  Not the other way round:
	 * zib2017 paths are looser (Condition.category without the
	 * problemType slice) and would read other zibs' codes.  A resource
	 * whose profile names the fallback release reads only the paths of
	 * its own type. */
	fallback = fb ? fhir_mapping_of(c, fb) : NULL;
	for (cur = fallback != m ? fallback : NULL; !h.count && (p = map_next(&cur, &len)) != NULL; )
		if (w->res->profiled != fb || map_same_type(m, p))
			fhir_eval(r, p, len, w, &h, &matched);
	fhir_fit_payors(r, c, w, &h);
	fhir_payor_display_name(c, w, &h);
	fit_hits(c, &h);
	if (w->within)
		keep_within(&h, w->within);
	fit_contact_points(c, &h);
	fit_product_identifiers(c, &h);
	drop_copies(c, &h);
	given = NULL;
	if (h.count && strncmp(c->id, "NL-CM:20.4.", 11) == 0 && strcmp(h.n[0]->name, "given") == 0)
		given = given_names(r, c, &h);
	if (h.count && address_is_suffix_concept(c->id))
		house_number_suffix(c, &h);
	/* A group the zib allows once spread over repeated FHIR elements (one
	 * telecom per number, an official and a usual HumanName, one
	 * dosageInstruction per dose): one zib group read from all of them. */
	if (h.count > 1 && (c->max == 1 || is_contact_container(c)) && map_has_children(c)) {
		struct zib_value *v = doc_add_value(r->doc, inst, pv, c, h.n[0]->line, fhir_reader_node_path(r, h.n[0]));
		int any = 0;
		if (!v) {
			r->failed = 1;
			return 0;
		}
		for (i = 0; i < h.count; i++) {
			struct where sub;
			sub.node = h.n[i];
			sub.path = matched;
			sub.res = w->res;
			/* After the first element only what lies below each one: a
			 * resource-level child (modifierExtension) is read once. */
			sub.within = i ? h.n[i] : w->within;
			h.n[i]->used = 1;
			any += map_children(r, inst, c, v, &sub);
		}
		if (any)
			return 1;
		doc_drop_last_value(inst, pv, v);
		return 0;
	}
	for (i = 0; i < h.count; i++) {
		struct fhir_node *n = h.n[i];
		struct zib_value *v = doc_add_value(r->doc, inst, pv, c, n->line, fhir_reader_node_path(r, n));
		if (v && given) {
			v->text = given;
			added++;
			continue;
		}
		if (!v) {
			r->failed = 1;
			break;
		}
		if (map_has_children(c)) {
			struct where sub;
			sub.node = n;
			sub.path = matched;
			sub.res = w->res;
			sub.within = w->within;
			n->used = 1;
			if (map_children(r, inst, c, v, &sub) > 0)
				added++;
			else
				doc_drop_last_value(inst, pv, v);
		} else if (strcmp(c->datatype, "GROUP") == 0) {
			/* A reference to another zib's instance. */
			struct fhir_node *rn = fhir_ext_value(n);
			const char *ref = fhir_child_value(rn, "reference");
			if (ref && !fhir_ref_fits_zib(r, w->res, c, ref)) {
				/* another zib's: a sibling concept reads it */
				doc_drop_last_value(inst, pv, v);
			} else if (ref) {
				v->ref = doc_str(r->doc, ref);
				fhir_mark_tree(rn);
				fhir_add_ref(r, v, fhir_resolve(r, w->res, ref));
				added++;
			} else if (rn->kind != FHIR_K_RESOURCE &&
			    (fhir_child(rn, "display") || fhir_child(rn, "identifier"))) {
				/* A Reference by display or identifier only.  Not the
				 * resource itself (zib2017 GerelateerdeUitslag's
				 * LaboratoriumUitslag maps to the Observation): its
				 * identifier names no other uitslag. */
				v->ref = doc_str(r->doc, fhir_child_value(rn, "display"));
				fhir_mark_tree(rn);
				added++;
			} else {
				doc_drop_last_value(inst, pv, v);
			}
		} else if (fhir_fill_value(r, v, n)) {
			/* The resource's own code read as a concept (zib2017
			 * Lichaamslengte Positie in Observation.code): only when
			 * it is one of the concept's codes, else it just says
			 * what the resource is. */
			int zc = fhir_to_zib_code(r, c, v, fhir_ext_value(n));
			if (zc < 0 && fhir_other_coding(r, c, v, n) < 0 && ((strcmp(n->name, "code") == 0 &&
			    n->parent && n->parent->kind == FHIR_K_RESOURCE && fhir_is_classifying_code(r, v->code)) ||
			    zc == -2)) {
				/* The classifying code, or a bare FHIR code the
				 * ConceptMaps of c's value set do not map (STU3
				 * MedicationStatement.status 'active' is no
				 * MedicatieGebruikStopType). */
				doc_drop_last_value(inst, pv, v);
			} else {
				added++;
				consume_translations(c, v, n);
			}
		} else if (v->null_flavor) {
			added++;
		} else {
			doc_drop_last_value(inst, pv, v);
		}
	}
	if (added && !map_has_children(c) && strcmp(c->datatype, "GROUP") != 0 && *rest)
		consume_repeats(r, c, rest, w, &h);
	return added;
}

static int map_children(struct reader *r, struct zib_instance *inst, const struct zib_concept *parent,
	struct zib_value *pv, const struct where *w)
{
	const struct zib_concept *c;
	int added = 0;

	for (c = map_first_child(parent); c; c = map_next_child(c))
		added += fhir_map_concept(r, inst, c, pv, w);
	return added;
}

/* Reads resource x as zib m: one instance, or one per node of a root path
 * below the resource (STU3 Patient.contact). */
int fhir_read_as(struct reader *r, struct res *x, const struct zib_model *m, int optional)
{
	const struct zib_concept *root = &m->concepts[0];
	const char *map = fhir_mapping_of(root, x->rel), *cur = map, *p;
	struct hits h;
	struct where w;
	size_t i, n;
	int made = 0;

	w.node = x->node;
	w.path = NULL;
	w.res = x;
	w.within = NULL;
	h.count = 0;
	while ((p = map_next(&cur, &n)) != NULL) {
		const char *matched = NULL;
		/* Only the mappings of this resource type. */
		if (map_names_type(p, n, x->type)) {
			fhir_eval(r, p, n, &w, &h, &matched);
			if (h.count) {
				w.path = matched;
				break;
			}
		}
	}
	if (!h.count) {
		if (map && optional)
			return 0;
		fhir_hit(&h, x->node);
		w.path = x->type;
	}
	for (i = 0; i < h.count; i++) {
		struct zib_instance *inst;
		const char *id = x->id;
		char idbuf[512];
		if (h.n[i] != x->node) {
			snprintf(idbuf, sizeof(idbuf), "%s[%zu]", x->id ? x->id : x->type, i);
			id = idbuf;
		}
		inst = doc_add_instance(r->doc, m, id, h.n[i]->line, fhir_reader_node_path(r, h.n[i]));
		if (!inst) {
			r->failed = 1;
			return made;
		}
		if (x->file && (!r->doc->file || strcmp(x->file, r->doc->file) != 0))
			inst->file = doc_str(r->doc, x->file);
		w.node = h.n[i];
		h.n[i]->used = 1;
		if (map_children(r, inst, root, NULL, &w) == 0 && optional) {
			doc_unlink_instance(r->doc, inst);
			continue;
		}
		if (!x->inst)
			x->inst = inst;
		made++;
	}
	return made;
}
