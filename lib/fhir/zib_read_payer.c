/*
 * The FHIR zib reader, step 3: Betaler from a Coverage.  The payor is who
 * pays: an insurer (Verzekeraar) or a person (BetalerPersoon).  zib2017's
 * zib-Payer maps both groups to the one Coverage.payor and tells them
 * apart only by the target (the insurer an nl-core-organization, the
 * person a Patient or RelatedPerson); zib2020 gives each its own Coverage
 * profile, Payer.InsuranceCompany and Payer.PayerPerson.
 */
#include <string.h>

#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"

#define BETALER_PERSOON "NL-CM:1.1.2"
#define VERZEKERAAR "NL-CM:1.1.3"
#define BETALER_NAAM "NL-CM:1.1.5"

static int is_payor(const struct fhir_node *n, const struct res *x)
{
	return strcmp(x->type, "Coverage") == 0 && n->parent == x->node && strcmp(n->name, "payor") == 0;
}

/* The resource type a payor points at: the target's in the input, else
 * the one its reference ("Organization/1", "http://x/fhir/Patient/2",
 * ".../Patient/2/_history/1") or its R4 type names; NULL when it says
 * none. */
static const char *payor_target_type(struct reader *r, struct res *x, const struct fhir_node *payor,
	char *buf, size_t size)
{
	const char *ref = fhir_child_value(payor, "reference");
	struct res *t = ref ? fhir_resolve(r, x, ref) : NULL;
	char *cut;

	if (t)
		return t->type;
	if (ref && strlen(ref) < size) {
		strcpy(buf, ref);
		if ((cut = strstr(buf, "/_history/")) != NULL)
			*cut = '\0';
		if ((cut = strrchr(buf, '/')) != NULL) {
			*cut = '\0';                   /* the id */
			cut = strrchr(buf, '/');
			return cut ? cut + 1 : buf;
		}
	}
	return fhir_child_value(payor, "type");
}

static int is_organization_payor(struct reader *r, struct res *x, const struct fhir_node *payor)
{
	char buf[1024];
	const char *type = payor_target_type(r, x, payor, buf, sizeof(buf));

	return type && strcmp(type, "Organization") == 0;
}

static int has_organization_payor(struct reader *r, struct res *x)
{
	const struct fhir_node *c;

	for (c = x->node->children; c; c = c->next)
		if (is_payor(c, x) && is_organization_payor(r, x, c))
			return 1;
	return 0;
}

/* Can this payor be the group c (Verzekeraar, BetalerPersoon) of a zib2017
 * Payer?  The insurer is an Organization, the person not.  A payor that
 * names no target can be either (what it holds decides), and so can a
 * person's when no payor is an Organization: the Coverage's own insurance
 * data (type, period, subscriberId) are its Verzekeraar's Verzekering. */
static int payor_fits(struct reader *r, const struct zib_concept *c, struct res *x,
	const struct fhir_node *payor)
{
	char buf[1024];
	int organization = is_organization_payor(r, x, payor);

	if (!payor_target_type(r, x, payor, buf, sizeof(buf)))
		return 1;
	if (strcmp(c->id, VERZEKERAAR) == 0)
		return organization || !has_organization_payor(r, x);
	return !organization;
}

/* Keeps the Coverage.payor hits of a zib2017 Betaler's Verzekeraar or
 * BetalerPersoon that fit it (payor_fits). */
void fhir_fit_payors(struct reader *r, const struct zib_concept *c, const struct where *w, struct hits *h)
{
	size_t i, k = 0;

	if (!w->res->rel->payors_shared || (w->res->profiled && w->res->profiled != w->res->rel) || (strcmp(c->id, VERZEKERAAR) != 0 && strcmp(c->id, BETALER_PERSOON) != 0))
		return;
	for (i = 0; i < h->count; i++)
		if (!is_payor(h->n[i], w->res) || payor_fits(r, c, w->res, h->n[i]))
			h->n[k++] = h->n[i];
	h->count = k;
}

/* A zib2020 Coverage of the Payer.PayerPerson profile has no Verzekeraar:
 * its payor Organization (a paying foundation) is the BetalerPersoon, whose
 * BetalerNaam is that Organization's name. */
int fhir_is_payer_person_insurer(const struct zib_concept *c, const struct where *w)
{
	static const char person[] = "nl-core-Payer.PayerPerson#Coverage";

	return strcmp(c->id, VERZEKERAAR) == 0 && w->node == w->res->node &&
		strcmp(w->res->type, "Coverage") == 0 && fhir_res_has_profile(w->res, person, sizeof(person) - 1);
}

/* BetalerNaam is the name of the person the payor points at (zib2017:
 * Patient.name, RelatedPerson.name).  A payor that points at nothing
 * (BgZ 3.0 patB: bank details and a display) names its payer only in its
 * display: that is the BetalerNaam then. */
void fhir_payor_display_name(const struct zib_concept *c, const struct where *w, struct hits *h)
{
	struct fhir_node *display;

	if (h->count || strcmp(c->id, BETALER_NAAM) != 0 || !is_payor(w->node, w->res) ||
	    fhir_child(w->node, "reference") || !(display = fhir_child(w->node, "display")) || !display->value)
		return;
	fhir_hit(h, display);
}
