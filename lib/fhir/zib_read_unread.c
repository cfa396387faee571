/*
 * The FHIR zib reader: what nobody read.  Leaf content of a read resource
 * that no concept read, and that is no FHIR bookkeeping, goes to the
 * doc's unmapped list (ZIB-FHIRZ-003 under zib validate -v).  The walk is
 * map/unread.c's; what counts as read or as bookkeeping in FHIR is here.
 */
#include <stdio.h>
#include <string.h>

#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "map/unread.h"
#include "model/doc.h"

static const char *const structural[] = {
	"id", "meta", "text", "implicitRules", "language", "contained", "url", "resourceType",
	/* classification and context: what made the resource this zib */
	"status", "category", "code", "subject", "patient", "intent", NULL
};

static int is_structural(const struct fhir_node *n)
{
	size_t i;

	if (n->parent && n->parent->kind == FHIR_K_RESOURCE)
		for (i = 0; structural[i]; i++)
			if (strcmp(n->name, structural[i]) == 0)
				return 1;
	/* The code that tells a slice apart (a component's code, the role of a
	 * Consent actor: RESPRSN for Wilsverklaring's Vertegenwoordiger), once
	 * the slice or what it holds was read. */
	if (n->parent && ((strcmp(n->name, "code") == 0 && strcmp(n->parent->name, "component") == 0) ||
	    (strcmp(n->name, "role") == 0 && strcmp(n->parent->name, "actor") == 0))) {
		const struct fhir_node *k;
		if (n->parent->used)
			return 1;
		for (k = n->parent->children; k; k = k->next)
			if (k != n && k->used)
				return 1;
	}
	return n->kind == FHIR_K_ATTR || n->kind == FHIR_K_XHTML;
}

/* Coverage.type 'pay' (coverage-selfpay): the pattern zib-Payer.PayerPerson
 * fixes, which makes the Coverage a BetalerPersoon's self-payment; no
 * concept of its own. */
static int is_selfpay_type(const struct fhir_node *n, const struct res *x)
{
	const struct fhir_node *c;

	if (strcmp(x->type, "Coverage") != 0 || n->parent != x->node || strcmp(n->name, "type") != 0)
		return 0;
	for (c = n->children; c; c = c->next)
		if (strcmp(c->name, "coding") == 0 && fhir_child_value(c, "system") &&
		    strcmp(fhir_child_value(c, "system"), "http://terminology.hl7.org/CodeSystem/coverage-selfpay") == 0)
			return 1;
	return 0;
}

/* Datatypes whose parts render one value a concept read from a sibling or
 * the element itself (a Reference's display and type beside its target, a
 * HumanName's text and use beside its parts, an Address's use and type
 * beside AdresSoort, a ContactPoint's system beside TelecomType): once read,
 * they count as read whole. */
static const char *const read_whole_types[] = {
	"Reference", "HumanName", "Address", "ContactPoint", NULL
};

/* An STU3 element R4 does not have (ProcedureRequest.requester.agent) is
 * untyped here: a Reference by its shape. */
static int is_reference(const struct fhir_node *n)
{
	return n->type ? strcmp(n->type->name, "Reference") == 0 : fhir_child(n, "reference") != NULL;
}

static int is_read_whole_type(const struct fhir_node *n)
{
	size_t i;

	if (is_reference(n))
		return 1;
	for (i = 0; n->type && read_whole_types[i]; i++)
		if (strcmp(n->type->name, read_whole_types[i]) == 0)
			return 1;
	return 0;
}

/* Is n an element read whole: one of the datatypes above that a concept
 * read, or a Reference right below the element a group was read from (the
 * STU3 requester's agent, a performer's actor: what the group points at),
 * or an Observation's related link a concept read (its type is the kind of
 * link)?  Elsewhere a group read from an element (a Dosage, a bodySite)
 * reads it part by part, so what no part read stays unread.  Only n itself
 * is asked: fhir_scan_unmapped does not go below an element read whole. */
static int read_whole(const struct fhir_node *n)
{
	const struct fhir_node *p = n->parent;

	if (is_read_whole_type(n) && n->used)
		return 1;
	if (is_reference(n) && p && p->used && p->kind != FHIR_K_RESOURCE)
		return 1;
	return n->used && strcmp(n->name, "related") == 0 && p && p->kind == FHIR_K_RESOURCE;
}

struct unread_scan {
	struct reader *r;
	const struct res *x;
};

static void *first_child(void *n)
{
	return ((struct fhir_node *)n)->children;
}

static void *next_sibling(void *n)
{
	return ((struct fhir_node *)n)->next;
}

/* An element with parts (other than XML attributes) is scanned below; a
 * leaf with a value nobody read is unread. */
static enum map_unread_verdict judge(void *node, void *data)
{
	const struct unread_scan *s = data;
	const struct fhir_node *c = node, *k;

	if (read_whole(c) || is_structural(c) || c->kind == FHIR_K_RESOURCE || is_selfpay_type(c, s->x))
		return MAP_UNREAD_PASS;
	for (k = c->children; k; k = k->next)
		if (k->kind != FHIR_K_ATTR)
			return MAP_UNREAD_DESCEND;
	return c->value && !c->used ? MAP_UNREAD_LEAF : MAP_UNREAD_PASS;
}

static void report(void *node, void *data)
{
	const struct unread_scan *s = data;
	const struct fhir_node *c = node;
	char what[512];

	snprintf(what, sizeof(what), "%s element '%s' is not mapped to a zib", s->x->type, c->name);
	if (doc_add_unmapped(s->r->doc, s->x->file, c->line, fhir_reader_node_path(s->r, c), what) < 0)
		s->r->failed = 1;
}

static const struct map_unread_ops fhir_unread = { first_child, next_sibling, judge, report };

void fhir_scan_unmapped(struct reader *r, struct fhir_node *n, const struct res *x)
{
	struct unread_scan s;

	s.r = r;
	s.x = x;
	map_scan_unread(n, &fhir_unread, &s);
}
