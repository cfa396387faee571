/*
 * The FHIR zib reader: Toedieningsschema's Frequentie and Interval, and
 * Toedieningsduur, read from Timing.repeat as a whole rather than by path.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fhir/tree.h"
#include "fhir/zib_read_int.h"
#include "model/doc.h"
#include "model/unit.h"

/* ---- Toedieningsschema: Frequentie and Interval from Timing.repeat ----
 *
 * The profiles map both concepts to the same three elements (frequency,
 * frequencyMax, period, periodUnit), not element by element, so they are
 * read here rather than by path.  The zib2017 zib-AdministrationSchedule
 * and MP9 rules:
 *   - a repeat with period and periodUnit but no frequency, or frequency 1
 *     with the timing-exact extension true, is an Interval: "every 4 h" is
 *     PQ 4 h (periodUnit is already a UCUM time unit);
 *   - otherwise a frequency per period is a Frequentie, a Range of PQs:
 *     nominaleWaarde = frequency, or minimumWaarde = frequency and
 *     maximumWaarde = frequencyMax.  The unit is "per period": "/d" for
 *     period 1 d, "/(8.h)" for period 8 h.  UCUM's grammar allows a
 *     parenthesized term and a whole number as a factor, so "/(8.h)" is
 *     valid UCUM and says exactly "per 8 hours" ("/8.h" would not: UCUM
 *     reads it left to right as h/8).  A period that is not a whole number
 *     (0.5 d) has no such factor and stays unread.
 */
/* The concepts are known by their role (zib-models/roles.tsv). */
#define ROLE_FREQUENTIE "schedule-frequency"
#define ROLE_INTERVAL "schedule-interval"
#define ROLE_TOEDIENINGSDUUR "administration-duration"
#define ROLE_TIJDSDUUR "interval-duration"

int fhir_is_schedule_part(const struct zib_concept *c)
{
	return model_concept_has_role(c, ROLE_FREQUENTIE) || model_concept_has_role(c, ROLE_INTERVAL) ||
		model_concept_has_role(c, ROLE_TOEDIENINGSDUUR);
}

/* The timing-exact extension with valueBoolean true (MP9 Interval). */
static struct fhir_node *exact_extension(struct fhir_node *repeat)
{
	struct fhir_node *c;

	for (c = repeat->children; c; c = c->next) {
		const char *b;
		if (!fhir_is_extension_of(c, "timing-exact"))
			continue;
		b = fhir_child_value(c, "valueBoolean");
		return b && strcmp(b, "true") == 0 ? c : NULL;
	}
	return NULL;
}

static int is_interval(struct fhir_node *repeat)
{
	const char *f = fhir_child_value(repeat, "frequency");

	return !f || (strcmp(f, "1") == 0 && !fhir_child(repeat, "frequencyMax") && exact_extension(repeat));
}

/* One PQ of the schedule: number from node n (frequency, period), unit. */
static struct zib_value *schedule_pq(struct reader *r, struct zib_instance *inst, struct zib_value *pv,
	const struct zib_concept *c, struct fhir_node *n, const char *unit)
{
	struct zib_value *v;

	if (!c)
		return NULL;
	v = doc_add_value(r->doc, inst, pv, c, n->line, fhir_reader_node_path(r, n));
	if (!v) {
		r->failed = 1;
		return NULL;
	}
	v->number = doc_str(r->doc, n->value);
	v->unit = doc_str(r->doc, unit);
	n->used = 1;
	return v;
}

static int read_interval(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, struct fhir_node *repeat)
{
	struct fhir_node *period = fhir_child(repeat, "period"), *unit = fhir_child(repeat, "periodUnit");
	struct fhir_node *exact = exact_extension(repeat), *f = fhir_child(repeat, "frequency");

	if (!schedule_pq(r, inst, pv, c, period, unit->value))
		return 0;
	unit->used = 1;
	if (exact)
		fhir_mark_tree(exact);
	if (f)
		f->used = 1;   /* the 1 that goes with an MP9 interval */
	return 1;
}

static int read_frequency(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, struct fhir_node *repeat)
{
	struct fhir_node *period = fhir_child(repeat, "period"), *unit = fhir_child(repeat, "periodUnit");
	struct fhir_node *f = fhir_child(repeat, "frequency"), *fmax = fhir_child(repeat, "frequencyMax");
	char per[64];
	struct zib_value *v;
	int ok;

	if (!f || !f->value || !model_ucum_per_unit(period->value, unit->value, per, sizeof(per)))
		return 0;
	v = doc_add_value(r->doc, inst, pv, c, f->line, fhir_reader_node_path(r, f));
	if (!v) {
		r->failed = 1;
		return 0;
	}
	if (fmax && fmax->value)
		ok = schedule_pq(r, inst, v, model_concept_child(c, "NL-CM:20.1.2"), f, per) &&
			schedule_pq(r, inst, v, model_concept_child(c, "NL-CM:20.1.3"), fmax, per);
	else
		ok = schedule_pq(r, inst, v, model_concept_child(c, "NL-CM:20.1.4"), f, per) != NULL;
	if (!ok)
		return 0;   /* r->failed, or a model without the Range parts */
	period->used = unit->used = 1;
	return 1;
}

/* Toedieningsduur (how long one administration takes: an infusion over
 * 30 min) from the Dosage's timing.repeat duration and durationUnit, which
 * MP9 maps it to as a whole: the TimeInterval group's tijdsDuur. */
static int read_administration_duration(struct reader *r, struct zib_instance *inst,
	const struct zib_concept *c, struct zib_value *pv, struct fhir_node *dosage)
{
	struct fhir_node *repeat = fhir_child(fhir_child(dosage, "timing"), "repeat");
	struct fhir_node *d = fhir_child(repeat, "duration"), *unit = fhir_child(repeat, "durationUnit");
	struct zib_value *v;

	if (!d || !d->value || !unit || !unit->value || !model_concept_child_with_role(c, ROLE_TIJDSDUUR))
		return 0;
	v = doc_add_value(r->doc, inst, pv, c, d->line, fhir_reader_node_path(r, d));
	if (!v || !schedule_pq(r, inst, v, model_concept_child_with_role(c, ROLE_TIJDSDUUR), d, unit->value)) {
		r->failed = 1;
		return 0;
	}
	unit->used = 1;
	return 1;
}

/* Frequentie or Interval c of the Toedieningsschema read from w->node
 * (Dosage.timing); Toedieningsduur from the Dosering's w->node (Dosage). */
int fhir_read_schedule_part(struct reader *r, struct zib_instance *inst, const struct zib_concept *c,
	struct zib_value *pv, const struct where *w)
{
	struct fhir_node *repeat = strcmp(w->node->name, "repeat") == 0 ? w->node : fhir_child(w->node, "repeat");
	struct fhir_node *period = fhir_child(repeat, "period"), *unit = fhir_child(repeat, "periodUnit");

	if (model_concept_has_role(c, ROLE_TOEDIENINGSDUUR))
		return read_administration_duration(r, inst, c, pv, w->node);
	if (!repeat || !period || !period->value || !unit || !unit->value)
		return 0;
	if (is_interval(repeat))
		return model_concept_has_role(c, ROLE_INTERVAL) && read_interval(r, inst, c, pv, repeat);
	return model_concept_has_role(c, ROLE_FREQUENTIE) && read_frequency(r, inst, c, pv, repeat);
}
