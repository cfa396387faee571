/*
 * The FHIR zib writer: a zib_doc into one FHIR R4 Bundle of zib2020 /
 * nl-core resources, or one FHIR STU3 Bundle of zib2017 resources as
 * MedMij BgZ 3.0 uses them: the inverse of fhir/zib_read.c and driven by
 * the same element paths of the zib models.
 *
 * The release written (w->rel, model/release.h) is data: its path column
 * (its fallback's where empty, as the reader does), its profile list and
 * profile naming, its FHIR structure table (fhir_defs_of), its HL7 code
 * system names and code-specification extension.  Differences of FHIR
 * structure (the MP9 statuses of med_required) ask its fhir_major.  Where
 * a release maps a zib into a Patient element (zib2017 Contactpersoon as
 * Patient.contact) it lives inside the Patient resource.
 *
 * Each instance becomes a resource of the type its root concept maps to,
 * with meta.profile (the nl-core profile of the zib), a deterministic id,
 * and the patient as subject.  Each value's path ("zib-BloodPressure#
 * Observation.component:SystolicBP.value[x]") is walked from the resource,
 * from the node of its parent group, or into a linked resource
 * (PractitionerRole, Location), creating elements as needed:
 *   - a sliced element is shared by the values of that slice and gets the
 *     slice's fixed url / code / system from the generated slice table;
 *   - the first unsliced repeating element gets a new node per value;
 *   - value[x] becomes valueQuantity, valueCodeableConcept ... by the
 *     zib datatype.
 * A zib-once value inside a repeating sibling's element (Toedieningsweg in
 * each Doseerinstructie's Dosage) is written into each of them; the MP9
 * medication resources get the status, intent and category FHIR and
 * their profiles require (med_required).
 * A value with no path in the release, or one the path cannot hold, is reported
 * (ZIB-CONV-001) with its source location; so is the reader's unmapped
 * list (ZIB-CONV-002).  Nothing is dropped silently.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/strmap.h"
#include "model/timestamp.h"
#include "model/conceptmaps.h"
#include "fhir/slices.h"
#include "fhir/tree.h"
#include "fhir/zib_write_required.h"
#include "map/mapping.h"
#include "model/doc.h"
#include "model/unit.h"
#include "model/naming.h"
#include "model/release.h"

#define NICTIZ_SD "http://nictiz.nl/fhir/StructureDefinition/"
#define FHIR_NL_SD "http://fhir.nl/fhir/StructureDefinition/"
#define EXT_NULL_FLAVOR "http://hl7.org/fhir/StructureDefinition/iso21090-nullFlavor"
#define EXT_EN_QUALIFIER "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier"

struct wres {
	const struct zib_instance *inst;   /* NULL for a linked resource */
	struct fhir_node *node;            /* the resource */
	const char *type;
	const char *full_url;
	const char *ref;                   /* how others reference it */
	const char *prof;                  /* a member resource: its sub-profile */
	const char *sub_path;              /* held in another's resource: "Patient.contact" */
	struct wres *links;                /* linked resources of the same instance */
	struct wres *next_link;
};

struct writer {
	struct zib_fhir *t;
	const struct zib_doc *doc;
	zib_report *report;
	const char *seed;
	int bundle;
	int type_refs;                     /* references as Type/id */
	int strict;                        /* findings are errors */
	const struct zib_release *rel;     /* the release written */
	struct fhir_node *bundle_node;
	struct strmap by_inst;             /* "%p" instance -> wres */
	struct strmap uuids;               /* the resource ids given out */
	struct wres *patient;
	int failed;
};

/* ---- ids ---- */

static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A UUID-shaped id from the seed, the zib and the instance's identity. */
static const char *make_uuid(struct writer *w, const char *a, const char *b, const char *c)
{
	uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
	const char *parts[3];
	int i;

	parts[0] = a; parts[1] = b; parts[2] = c;
	for (i = 0; i < 3; i++) {
		h1 = fnv(parts[i] ? parts[i] : "", h1);
		h1 = fnv("|", h1);
		h2 = fnv(parts[i] ? parts[i] : "", h2 ^ 0x5bd1e995);
		h2 = fnv("/", h2);
	}
	return arena_printf(&w->t->arena, "%08x-%04x-4%03x-%04x-%012llx",
		(unsigned)(h1 >> 32), (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xfff,
		(unsigned)(0x8000 | ((h2 >> 48) & 0x3fff)),
		(unsigned long long)(h2 & 0xffffffffffffULL));
}

/* ---- findings ---- */

/* The mapping of concept c for the release written: its fallback's where
 * the release's column is empty (zib2017 on zib2020, as the reader does). */
static const char *mapping_of(const struct writer *w, const struct zib_concept *c)
{
	return model_concept_fhir_paths(c, w->rel);
}

static void warn(struct writer *w, const char *code, int line, const char *path,
	const char *fmt, const char *a, const char *b)
{
	zib_diag d;

	if (!w->report)
		return;
	memset(&d, 0, sizeof(d));
	d.severity = w->strict ? ZIB_SEV_ERROR : ZIB_SEV_WARNING;
	d.code = code;
	d.file = w->doc->file;
	d.line = line;
	d.path = path;
	zib_report_addf(w->report, &d, fmt, a, b ? b : "");
}

static void not_carried(struct writer *w, const struct zib_value *v, const char *why)
{
	const struct zib_concept *c = v->concept;
	char what[512];

	snprintf(what, sizeof(what), "%s/%s (%s)", c->model->name_nl, c->name_nl, c->id);
	snprintf(what + strlen(what), sizeof(what) - strlen(what), " not carried to %s", w->rel->fhir_name);
	warn(w, ZIB_CONV_CODE_NOT_CARRIED, v->line, v->path, "%s: %s", what, why);
}

/* A required element written without a zib value (fhir/zib_write_
 * required.c): reported against the instance. */
struct required_ctx {
	struct writer *w;
	const struct zib_instance *inst;
};

static void required_note(void *ctx, const char *element, const char *what)
{
	struct required_ctx *r = ctx;

	warn(r->w, ZIB_CONV_CODE_REDUCED, r->inst->line, r->inst->path, "%s: %s", element, what);
}

/* Does resource r hold nothing but its id and meta? */
static int resource_empty(const struct fhir_node *r)
{
	const struct fhir_node *c;

	for (c = r->children; c; c = c->next)
		if (strcmp(c->name, "id") != 0 && strcmp(c->name, "meta") != 0)
			return 0;
	return 1;
}

/* Removes the references in n's tree to ref. */
static void drop_references(struct fhir_node *n, const char *ref)
{
	struct fhir_node *c, *next;

	for (c = n->children; c; c = next) {
		next = c->next;
		if (c->kind == FHIR_K_RESOURCE)
			continue;
		if (strcmp(c->name, "reference") == 0 && c->value && strcmp(c->value, ref) == 0) {
			c->value = NULL;
			fhir_node_prune(c);
		} else {
			drop_references(c, ref);
		}
	}
}

/* A linked resource that got nothing (the insurer Organization of a
 * Betaler whose payor is in another file) is no resource: its entry and
 * the references to it go (the payor then says it is absent). */
static void drop_empty_links(struct wres *x)
{
	struct wres **pl = &x->links;

	while (*pl) {
		struct wres *l = *pl;
		struct fhir_node *entry = l->node->parent, **pe;
		if (!resource_empty(l->node) || !entry || !entry->parent) {
			pl = &l->next_link;
			continue;
		}
		drop_references(x->node, l->ref);
		for (pe = &entry->parent->children; *pe && *pe != entry; pe = &(*pe)->next)
			;
		if (*pe) {
			struct fhir_node *prev = NULL, *c;
			for (c = entry->parent->children; c && c != entry; c = c->next)
				prev = c;
			*pe = entry->next;
			if (entry->parent->last == entry)
				entry->parent->last = prev;
		}
		*pl = l->next_link;
	}
}

/* What FHIR requires of x's resource and of those linked to it; -1 when
 * out of memory. */
static int write_required(struct writer *w, struct wres *x)
{
	struct required_ctx r = { w, x->inst };
	struct wres *l;

	drop_empty_links(x);
	if (fhir_write_required(w->t, x->node, required_note, &r))
		return -1;
	for (l = x->links; l; l = l->next_link)
		if (fhir_write_required(w->t, l->node, required_note, &r))
			return -1;
	return 0;
}

/* ---- tree building ---- */

static const struct fhir_elem *elem_of(struct writer *w, const struct fhir_node *n, const char *name)
{
	const struct fhir_type *t = n->type ? n->type : w->t->prim_type;

	return t ? fhir_type_elem(w->t->defs, t, name, strlen(name)) : NULL;
}

static struct fhir_node *add(struct writer *w, struct fhir_node *parent, const char *name)
{
	const struct fhir_elem *e = elem_of(w, parent, name);
	struct fhir_node *n;

	if (!e)
		return NULL;
	/* An element that does not repeat is there once: a second add (a
	 * slice's fixed system and the identifier's own) gives the first.
	 * FHIR XML cannot hold two, and the JSON writer kept the first. */
	if (!e->repeats && (n = (struct fhir_node *)fhir_node_child(parent, e)) != NULL)
		return n;
	n = fhir_node_add(w->t, parent, e, 0, 0);
	if (!n)
		w->failed = 1;
	return n;
}

static struct fhir_node *add_value(struct writer *w, struct fhir_node *parent, const char *name,
	const char *value)
{
	struct fhir_node *n;

	if (!value)
		return NULL;
	n = add(w, parent, name);
	if (n && !n->value) {
		n->value = arena_strdup(&w->t->arena, value);
		n->value_len = n->value ? strlen(n->value) : 0;
	}
	return n;
}

static struct fhir_node *first_child(const struct fhir_node *n, const char *name)
{
	struct fhir_node *c;

	for (c = n->children; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static struct fhir_node *add_resource(struct writer *w, struct fhir_node *entry, const char *type)
{
	struct fhir_node *r = add(w, entry, "resource");

	if (!r)
		return NULL;
	r->type = fhir_resource_type(w->t->defs, type);
	if (!r->type)
		return NULL;
	return r;
}

/* ---- values ---- */

/* The name of an HL7 code system in the release written, given by the
 * default release's name ("http://terminology.hl7.org/CodeSystem/v3-
 * AddressUse" is zib2017's "http://hl7.org/fhir/v3/AddressUse"); other
 * URIs unchanged. */
static const char *release_system(struct writer *w, const char *uri)
{
	const struct zib_release *d = release_default();
	size_t v2 = strlen(d->hl7_v2_prefix), v3 = strlen(d->hl7_v3_prefix), any = strlen(d->hl7_prefix);

	if (w->rel == d || !uri)
		return uri;
	if (strncmp(uri, d->hl7_v2_prefix, v2) == 0)
		return arena_printf(&w->t->arena, "%s%s", w->rel->hl7_v2_prefix, uri + v2);
	if (strncmp(uri, d->hl7_v3_prefix, v3) == 0)
		return arena_printf(&w->t->arena, "%s%s", w->rel->hl7_v3_prefix, uri + v3);
	if (strncmp(uri, d->hl7_prefix, any) == 0)
		return arena_printf(&w->t->arena, "%s%s", w->rel->hl7_prefix, uri + any);
	return uri;
}

static const char *system_uri_r4(struct writer *w, const char *system, int identifier);

/* A code system OID as a FHIR URI of the release written. */
static const char *system_uri(struct writer *w, const char *system, int identifier)
{
	return release_system(w, system_uri_r4(w, system, identifier));
}

static const char *system_uri_r4(struct writer *w, const char *system, int identifier)
{
	const char *u;
	char buf[512];

	if (!system || !*system)
		return NULL;
	if ((u = model_hl7_system_r4(system, buf, sizeof(buf))) != NULL)   /* STU3 names */
		system = arena_strdup(&w->t->arena, u);
	if (strchr(system, ':')) {
		/* A URI: the models' canonical one for its OID, when known. */
		const char *oid = zib_codesystem_oid(w->doc->ctx, system);
		if (oid && (u = zib_codesystem_uri(w->doc->ctx, oid)) != NULL)
			return u;
		return system;
	}
	if (identifier && (u = naming_system_uri(system)) != NULL)
		return u;
	if ((u = zib_codesystem_uri(w->doc->ctx, system)) != NULL)
		return u;
	return arena_printf(&w->t->arena, "urn:oid:%s", system);
}

/* HL7 TS (20170803143122+0200) as a FHIR date/dateTime of the same
 * precision; ISO text passes through. */
/* ADA's test date relative to the run day ("T-44D{14:22:10}") in the
 * form the Nictiz FHIR fixtures write it, "${DATE, T, D, -44}T14:22:10",
 * which FHIR readers of test data (ours too) take; NULL for another date. */
static const char *fixture_date(struct writer *w, const char *ts)
{
	char rel[64], unit = 0, sign = '+', tm[16] = "";
	long n = 0;
	const char *p;

	if (!ts || ts[0] != 'T' || model_ts_relative(ts, rel, sizeof(rel)) != 0)
		return NULL;
	p = rel + 1;   /* "T-44D 14:22:10" */
	if (*p == '+' || *p == '-') {
		sign = *p++;
		n = strtol(p, (char **)&p, 10);
		unit = *p++;
	}
	if (*p == ' ')
		snprintf(tm, sizeof(tm), "T%s", p + 1);
	if (!unit)
		return arena_printf(&w->t->arena, "${DATE, T}%s", tm);
	return arena_printf(&w->t->arena, "${DATE, T, %c, %s%ld}%s", unit, sign == '-' ? "-" : "", n, tm);
}

/* The number the n digits at s spell. */
static long long digits(const char *s, int n)
{
	long long v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* The offset of Dutch local time at a local date and hour, as FHIR writes
 * it: a FHIR dateTime with a time must carry a zone, and an HL7 TS without
 * one is local time (timestamp_dutch_offset). */
static const char *dutch_offset(long long year, int month, int day, int hour)
{
	return timestamp_dutch_offset(year, month, day, hour) == 120 ? "+02:00" : "+01:00";
}

static const char *fhir_datetime(struct writer *w, const char *ts)
{
	char out[64];
	size_t n = 0, len, i;
	const char *tz, *fixture = fixture_date(w, ts);

	if (!ts || fixture)
		return fixture ? fixture : NULL;
	len = strcspn(ts, "+-Z");
	/* YYYYMMDDHHMMSS.ffff at most: a dot only after the seconds, and no
	 * longer than out holds (fuzz_write wrote past it on 80 digits). */
	if (len > 24)
		return ts;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)ts[i]) && !(i == 14 && ts[i] == '.'))
			return ts;   /* not an HL7 TS */
	if (len < 4 || (len == 4 && ts[4] == '-'))
		return ts;   /* already ISO 8601 (1960-03-01), or not a date */
	tz = ts + len;
	n += (size_t)snprintf(out + n, sizeof(out) - n, "%.4s", ts);
	if (len >= 6)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "-%.2s", ts + 4);
	if (len >= 8)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "-%.2s", ts + 6);
	if (len >= 12) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "T%.2s:%.2s", ts + 8, ts + 10);
		n += (size_t)snprintf(out + n, sizeof(out) - n, ":%.*s", len >= 14 ? 2 : 2,
			len >= 14 ? ts + 12 : "00");
		if (len > 14)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%.*s", (int)(len - 14), ts + 14);
		if (*tz == 'Z')
			n += (size_t)snprintf(out + n, sizeof(out) - n, "Z");
		else if ((*tz == '+' || *tz == '-') && strlen(tz) >= 5)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%c%.2s:%.2s", *tz, tz + 1, tz + 3);
		else if (!*tz)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", dutch_offset(digits(ts, 4),
				(int)digits(ts + 4, 2), (int)digits(ts + 6, 2), (int)digits(ts + 8, 2)));
	}
	return arena_strdup(&w->t->arena, out);
}

/* FHIR's dateTime and instant: "if hours and minutes are specified, a
 * time zone SHALL be populated".  The zone is the value's own; a time
 * without one (an HL7 TS without offset, an ADA time) is Dutch local time
 * and gets the Dutch offset of that moment (+01:00, or +02:00 in summer
 * time), as Nictiz's own conversions add Amsterdam time.  A Nictiz fixture
 * (${DATE, T}) has no date to take an offset from and is written as it is.
 * NULL when nothing is written. */
static const char *zoned_datetime(struct writer *w, const struct zib_value *v)
{
	const char *d = fhir_datetime(w, v->text), *t;

	if (!d || strncmp(d, "${", 2) == 0)
		return d;
	t = strchr(d, 'T');
	if (!t || strpbrk(t, "Z+-"))
		return d;
	/* ISO 8601 without a zone: YYYY-MM-DDTHH... */
	if (t - d != 10 || !isdigit((unsigned char)t[1]) || !isdigit((unsigned char)t[2]))
		return d;
	/* (an ADA time may stop at the minutes; FHIR wants the seconds) */
	return arena_printf(&w->t->arena, "%s%s%s", d, strlen(t + 1) == 5 ? ":00" : "",
		dutch_offset(digits(d, 4), (int)digits(d + 5, 2), (int)digits(d + 8, 2),
			(int)digits(t + 1, 2)));
}

/* FHIR codes of the zib codes some code primitives hold; the zib code
 * itself travels in ext-CodeSpecification, which the reader prefers. */
static const char *fhir_code_for(const char *element, const char *code)
{
	static const struct { const char *elem, *zib, *fhir; } map[] = {
		{ "gender", "M", "male" }, { "gender", "F", "female" },
		{ "gender", "UN", "other" }, { "gender", "UNK", "unknown" },
		{ "use", "HP", "home" }, { "use", "WP", "work" }, { "use", "TMP", "temp" },
		{ "use", "MC", "mobile" }, { "use", "PST", "home" }, { "use", "PHYS", "home" },
		{ "use", "H", "home" }, { "use", "EC", "temp" },
		{ "system", "LL", "phone" }, { "system", "MC", "phone" }, { "system", "FAX", "fax" },
		{ "system", "PG", "pager" },
		/* STU3: code elements with a zib code (zib2017 ProbleemStatus,
		 * VerificatieStatus, AllergieStatus). */
		{ "clinicalStatus", "55561003", "active" }, { "clinicalStatus", "73425007", "inactive" },
		{ "clinicalStatus", "413322009", "resolved" },
		{ "verificationStatus", "410605003", "confirmed" },
		{ "verificationStatus", "415684004", "provisional" },
		{ "verificationStatus", "410590009", "differential" },
		{ "verificationStatus", "410516002", "refuted" },
		{ "verificationStatus", "261665006", "unknown" },
		{ "taken", "Y", "y" }, { "taken", "N", "n" }, { "taken", "UNK", "unk" },
		/* zib2017 MedicatieGebruikStopType in MedicationStatement.status
		 * (ConceptMap MedicationUseStopTypeCodeLijst-to-
		 * MedicationStatementStatus; the SNOMED codes of zib2020 alike). */
		{ "status", "1", "on-hold" }, { "status", "2", "stopped" },
		{ "status", "113381000146106", "on-hold" }, { "status", "113371000146109", "stopped" },
		{ "category", "414285001", "food" }, { "category", "419199007", "biologic" },
		{ "category", "416098002", "medication" }, { "category", "426232007", "environment" },
		{ "category", "418471000", "food" }, { "category", "235719002", "food" },
		{ "category", "419511003", "medication" }, { "category", "59037007", "medication" },
		{ "criticality", "399166001", "high" }, { "criticality", "24484000", "high" },
		{ "criticality", "6736007", "low" }, { "criticality", "255604002", "low" },
		{ "severity", "255604002", "mild" }, { "severity", "6736007", "moderate" },
		{ "severity", "24484000", "severe" }, { "severity", "399166001", "severe" },
		/* R4 Consent.provision.type: BehandelBesluit through the profiles'
		 * ConceptMap; 'Anders' has no FHIR code ("": the extension only). */
		{ "type", "0", "permit" }, { "type", "2", "deny" }, { "type", "1", "" },
		/* Dagdeel (zib2017's SNOMED codes) in Timing.repeat.when, as
		 * zib2020 maps it. */
		{ "when", "73775008", "MORN" }, { "when", "255213009", "AFT" },
		{ "when", "3157002", "EVE" }, { "when", "2546009", "NIGHT" },
		{ NULL, NULL, NULL }
	};
	/* Elements whose FHIR codes the table lists in full (a required
	 * binding): a code not in it has no FHIR value, the extension only. */
	static const char *const closed[] = { "gender", "category", "severity", NULL };
	size_t i;
	int is_closed = 0;

	for (i = 0; map[i].elem; i++)
		if (strcmp(map[i].elem, element) == 0 && strcmp(map[i].zib, code) == 0)
			return map[i].fhir;
	for (i = 0; closed[i]; i++)
		is_closed |= strcmp(closed[i], element) == 0;
	for (i = 0; is_closed && map[i].elem; i++)
		if (strcmp(map[i].elem, element) == 0 && strcmp(map[i].fhir, code) == 0)
			return NULL;   /* a FHIR code already: itself */
	return is_closed ? "" : NULL;
}

static void fill_coding(struct writer *w, struct fhir_node *coding, const struct zib_value *v)
{
	add_value(w, coding, "system", system_uri(w, v->system, 0));
	add_value(w, coding, "code", v->code);
	add_value(w, coding, "display", v->display);
}

/* A release with zib2020's paths to fall back on (zib2017) writes a
 * zib2020 code read from a zib2017 one back as that code (BehandelBesluit
 * '0' as BehandelingToegestaan 'JA'). */
static const struct fhir_conceptmap *zib2017_code(const struct writer *w, const struct zib_value *v)
{
	const char *p;
	char oid[128];
	const struct fhir_conceptmap *m;

	if (!w->rel->fallback || !v->concept)
		return NULL;
	for (p = v->concept->valuesets; model_valueset_list_next(&p, oid, sizeof(oid)); )
		if ((m = model_fhir_conceptmap_zib2017(oid, v->system, v->code)) != NULL)
			return m;
	return NULL;
}

static void fill_concept(struct writer *w, struct fhir_node *cc, const struct zib_value *v)
{
	const struct fhir_conceptmap *old = v->code ? zib2017_code(w, v) : NULL;

	if (old) {
		struct fhir_node *coding = add(w, cc, "coding");
		if (coding) {
			add_value(w, coding, "system", old->fhir_system);
			add_value(w, coding, "code", old->fhir_code);
		}
	} else if (v->code) {
		struct fhir_node *coding = add(w, cc, "coding");
		if (coding)
			fill_coding(w, coding, v);
	}
	add_value(w, cc, "text", v->text);
}

static const char *value_text(const struct zib_value *v)
{
	if (v->text)
		return v->text;
	if (v->number)
		return v->number;
	if (v->display)
		return v->display;
	return v->code;
}

#define UCUM_URI "http://unitsofmeasure.org"

/* Whether s is a FHIR decimal (the JSON number grammar): a value read
 * from text ("een pakje") must not be written where a number goes, which
 * would not even be JSON. */
static int is_fhir_decimal(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return 0;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* A Quantity from v's number and unit: UCUM, or the unit's own code system
 * (a G-Standaard unit code, with its display as the unit people read). */
/* The UCUM code of a unit some sources spell as people do (ADA's "mmHg"
 * for mm[Hg], the code the blood pressure profiles fix; "gram"); else
 * unit. */
static const char *ucum_spelling(const char *unit)
{
	static const char *const spelling[][2] = { { "mmHg", "mm[Hg]" }, { "gram", "g" }, { NULL, NULL } };
	size_t i;

	for (i = 0; spelling[i][0]; i++)
		if (strcmp(unit, spelling[i][0]) == 0)
			return spelling[i][1];
	return unit;
}

static void add_quantity(struct writer *w, struct fhir_node *n, const struct zib_value *v)
{
	add_value(w, n, "value", v->number);
	add_value(w, n, "unit", v->system && v->display ? v->display : v->unit);
	if (v->unit) {
		const char *sys = v->system ? system_uri(w, v->system, 0) : UCUM_URI;
		add_value(w, n, "system", sys);
		add_value(w, n, "code", strcmp(sys, UCUM_URI) == 0 ? ucum_spelling(v->unit) : v->unit);
	}
}

/* A rate as a Ratio (MaximaleDosering on Dosage.maxDosePerPeriod): the
 * quantity over its per, 600 mg per "2.d" is 600 mg / 2 d.  0 without a
 * per the reader's fill_ratio would take back. */
static int fill_ratio(struct writer *w, struct fhir_node *n, const struct zib_value *v)
{
	char count[32], unit[64];
	struct fhir_node *q;

	if (!v->number || !v->per || !is_fhir_decimal(v->number) ||
	    !model_ucum_split_term(v->per, count, sizeof(count), unit, sizeof(unit)))
		return 0;
	if ((q = add(w, n, "numerator")) == NULL)
		return 0;
	add_quantity(w, q, v);
	if ((q = add(w, n, "denominator")) != NULL) {
		add_value(w, q, "value", count);
		add_value(w, q, "unit", unit);
		add_value(w, q, "system", UCUM_URI);
		add_value(w, q, "code", unit);
	}
	return 1;
}

/* Fills node n (of FHIR type n->def->type_code) with leaf value v; 0 when
 * the element cannot hold it. */
/* Is s base64 (whitespace allowed between groups)? */
static int is_base64(const char *s)
{
	size_t n = 0, pad = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if (*s == '=') {
			pad++;
		} else if (pad || !(isalnum((unsigned char)*s) || *s == '+' || *s == '/')) {
			return 0;
		}
		n++;
	}
	return n > 0 && n % 4 == 0 && pad <= 2;
}

/* Data without a media type has one (att-1): what its first bytes say
 * (base64 of "%PDF-", a PNG or JPEG signature), else application/octet-
 * stream; reported (ZIB-CONV-003). */
static const char *media_type_of(struct writer *w, const struct zib_value *v)
{
	static const struct { const char *b64, *type; } magic[] = {
		{ "JVBERi0", "application/pdf" }, { "iVBORw0KGgo", "image/png" }, { "/9j/", "image/jpeg" },
		{ NULL, NULL }
	};
	const char *t = "application/octet-stream";
	size_t i;

	for (i = 0; magic[i].b64; i++)
		if (strncmp(v->text, magic[i].b64, strlen(magic[i].b64)) == 0)
			t = magic[i].type;
	warn(w, ZIB_CONV_CODE_REDUCED, v->line, v->path, "%s: data without a media type, which FHIR "
		"requires (att-1): written as %s, by its content", v->concept->name_nl, t);
	return t;
}

static int fill(struct writer *w, struct fhir_node *n, const struct zib_value *v)
{
	const char *tc = n->def->type_code;

	if (strcmp(tc, "CodeableConcept") == 0) {
		if (!v->code && !v->text)
			return 0;
		fill_concept(w, n, v);
		return 1;
	}
	if (strcmp(tc, "Coding") == 0) {
		if (!v->code)
			return 0;
		fill_coding(w, n, v);
		return 1;
	}
	if (strcmp(tc, "Quantity") == 0 || strcmp(tc, "Duration") == 0 || strcmp(tc, "Age") == 0) {
		if (!v->number || v->per || !is_fhir_decimal(v->number))   /* a rate needs a Ratio */
			return 0;
		add_quantity(w, n, v);
		return 1;
	}
	if (strcmp(tc, "Identifier") == 0) {
		if (!v->code)
			return 0;
		add_value(w, n, "system", system_uri(w, v->system, 1));
		add_value(w, n, "value", v->code);
		return 1;
	}
	if (strcmp(tc, "Annotation") == 0) {
		/* STU3 mappings end at the Annotation (Condition.note). */
		if (!value_text(v))
			return 0;
		add_value(w, n, "text", value_text(v));
		return 1;
	}
	if (strcmp(tc, "Ratio") == 0)
		return v->type == ZIB_VALUE_PQ && fill_ratio(w, n, v);
	if (strcmp(tc, "Attachment") == 0) {
		/* An ED: its media type (the reader's code) and base64 data. */
		if (v->type != ZIB_VALUE_ED || !v->text)
			return 0;
		if (!is_base64(v->text)) {
			/* A CDA reference (<reference value="x.pdf"/>), not the
			 * data: the Attachment's url. */
			add_value(w, n, "contentType", v->code && strchr(v->code, '/') ? v->code : NULL);
			add_value(w, n, "url", v->text);
			return 1;
		}
		add_value(w, n, "contentType", v->code ? v->code : media_type_of(w, v));
		add_value(w, n, "data", v->text);
		return 1;
	}
	if (strcmp(tc, "Period") == 0) {
		if (!v->text)
			return 0;
		add_value(w, n, "start", zoned_datetime(w, v));
		return 1;
	}
	if (n->kind != FHIR_K_PRIM || n->value)
		return 0;   /* (a primitive holds one value: a second is not carried) */
	if (strcmp(tc, "code") == 0 && !v->code && v->type == ZIB_VALUE_BL && v->text &&
	    strcmp(n->name, "taken") == 0) {
		n->value = v->boolean ? "y" : "n";   /* STU3 MedicationStatement.taken */
	} else if (strcmp(tc, "code") == 0 || ((w->rel->coded_strings || strcmp(n->name, "valueString") == 0) &&
	    strcmp(tc, "string") == 0 && v->code && v->system &&
	    (v->type == ZIB_VALUE_CD || v->type == ZIB_VALUE_CO))) {
		/* (a coded value in a string-only extension, as the Nictiz
		 * examples write iso21090-ADXP-additionalLocator: its code) */
		/* zib2017 also puts coded zib values in strings (Address.country),
		 * the zib coding in the code-specification extension. */
		const char *f;
		if (!v->code)
			return 0;
		f = fhir_code_for(n->name, v->code);
		n->value = f ? (*f ? f : NULL) : v->code;
		if (f || v->system) {
			/* The zib's own coding, for the reader and for people. */
			struct fhir_node *ext = add(w, n, "extension"), *cc;
			if (ext) {
				add_value(w, ext, "url", w->rel->code_spec_extension);
				if ((cc = add(w, ext, "valueCodeableConcept")) != NULL)
					fill_concept(w, cc, v);
			}
		}
	} else if (strcmp(tc, "dateTime") == 0 || strcmp(tc, "date") == 0 ||
	    strcmp(tc, "instant") == 0) {
		n->value = zoned_datetime(w, v);
	} else if (strcmp(tc, "boolean") == 0) {
		if (!v->text)
			return 0;
		n->value = v->boolean ? "true" : "false";
	} else {
		n->value = value_text(v);
		/* A number element takes only a number (JSON writes it bare). */
		if (n->value && n->def && (n->def->prim == FHIR_P_DECIMAL || n->def->prim == FHIR_P_INTEGER) &&
		    (!is_fhir_decimal(n->value) ||
		     (n->def->prim == FHIR_P_INTEGER && strpbrk(n->value, ".eE"))))
			n->value = NULL;
	}
	if (n->value) {
		n->value = arena_strdup(&w->t->arena, n->value);
	}
	if (!n->value)
		return 0;
	n->value_len = strlen(n->value);
	return 1;
}

/* A FHIR units-of-time code (Timing's periodUnit, durationUnit). */
static int is_time_unit(const char *u)
{
	return model_list_has("s min h d wk mo a", u);
}

/* Is v a UCUM time (8 h, 14 d): a FHIR Duration? */
static int is_time_quantity(const struct zib_value *v)
{
	return v->number && v->unit && !v->system && !v->per && is_time_unit(v->unit);
}

/* The concrete name of choice element base[x] for a value of type t. */
/* Does extension node ext (else any node) take a value of type
 * ("CodeableConcept", "Code")?  The HL7 extensions the zib2020 mappings
 * use on names and addresses take one primitive type (R4 definitions):
 * humanname-assembly-order and the iso21090 qualifier and null flavor a
 * code, the other humanname and the ADXP address parts a string. */
static int extension_allows(const struct fhir_node *ext, const char *type)
{
	static const struct { const char *url; int prefix; const char *type; } only[] = {
		{ "http://hl7.org/fhir/StructureDefinition/humanname-assembly-order", 0, "Code" },
		{ "http://hl7.org/fhir/StructureDefinition/humanname-", 1, "String" },
		{ "http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-", 1, "String" },
		{ "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier", 0, "Code" },
		{ "http://hl7.org/fhir/StructureDefinition/iso21090-nullFlavor", 0, "Code" },
		{ NULL, 0, NULL }
	};
	const struct fhir_node *url = ext->def && strcmp(ext->def->type_code, "Extension") == 0 ?
		first_child(ext, "url") : NULL;
	size_t i;

	if (!url || !url->value)
		return 1;
	for (i = 0; only[i].url; i++)
		if (only[i].prefix ? strncmp(url->value, only[i].url, strlen(only[i].url)) == 0 :
		    strcmp(url->value, only[i].url) == 0)
			return strcmp(type, only[i].type) == 0;
	return 1;
}

static const char *choice_name(struct writer *w, const struct fhir_node *parent, const char *base,
	const struct zib_value *v, char *buf, size_t size)
{
	static const char *const by_type[][5] = {
		[ZIB_VALUE_GROUP] = { "Reference", NULL },
		[ZIB_VALUE_CD] = { "CodeableConcept", "Coding", "Code", "String", NULL },
		[ZIB_VALUE_CO] = { "CodeableConcept", "Coding", "Integer", NULL },
		[ZIB_VALUE_ST] = { "String", "CodeableConcept", NULL },
		[ZIB_VALUE_TS] = { "DateTime", "Period", "Date", NULL },
		[ZIB_VALUE_PQ] = { "Quantity", "Duration", "String", NULL },
		[ZIB_VALUE_II] = { "Identifier", "String", NULL },
		[ZIB_VALUE_BL] = { "Boolean", NULL },
		[ZIB_VALUE_INT] = { "Integer", "Quantity", NULL },
		[ZIB_VALUE_ED] = { "String", "Attachment", NULL },
		[ZIB_VALUE_ANY] = { "String", "CodeableConcept", "Quantity", NULL },
	};
	const char *const *list = by_type[v->type];
	size_t i;

	static const char *const attachment_first[] = { "Attachment", "String", NULL };
	static const char *const duration_first[] = { "Duration", "Quantity", "String", NULL };

	if (v->type == ZIB_VALUE_ED && v->code)
		list = attachment_first;   /* data with a media type (an Attachment read) */
	else if (v->type == ZIB_VALUE_PQ && is_time_quantity(v))
		list = duration_first;     /* a Duration where the element has one (Extension.value[x]) */
	else if (v->type == ZIB_VALUE_ANY && v->code)
		list = by_type[ZIB_VALUE_CD];
	else if (v->type == ZIB_VALUE_ANY && v->number)
		list = by_type[ZIB_VALUE_PQ];
	for (i = 0; list[i]; i++) {
		snprintf(buf, size, "%s%s", base, list[i]);
		if (elem_of(w, parent, buf) && extension_allows(parent, list[i]))
			return buf;
	}
	return NULL;
}

/* Fixed content of a new slice node from the slice table. */
static void slice_init(struct writer *w, struct fhir_node *n, const char *key, const char *slice)
{
	const struct fhir_slice *s = fhir_slice_find(key);
	char code[400];

	if (strcmp(n->name, "extension") == 0 || strcmp(n->name, "modifierExtension") == 0) {
		if (s && s->kind == 'u')
			snprintf(code, sizeof(code), "%.*s", (int)strcspn(s->value, " "), s->value);
		else
			snprintf(code, sizeof(code), NICTIZ_SD "ext-%s", slice);
		add_value(w, n, "url", code);
		return;
	}
	if (!s)
		return;
	snprintf(code, sizeof(code), "%.*s", (int)strcspn(s->value, " "), s->value);
	if (s->kind == 's') {
		add_value(w, n, "system", code);
	} else if (s->kind == 'c' && strcmp(n->def->type_code, "Coding") == 0) {
		add_value(w, n, "system", strchr(code, '-') ? "http://loinc.org" : "http://snomed.info/sct");
		add_value(w, n, "code", code);
	} else if (s->kind == 'c' && strcmp(n->def->type_code, "CodeableConcept") == 0) {
		/* A value told by its code (zib2017 GeverifieerdBij 'Patient'). */
		struct fhir_node *coding = add(w, n, "coding");
		if (coding) {
			add_value(w, coding, "system",
				strchr(code, '-') ? "http://loinc.org" : "http://snomed.info/sct");
			add_value(w, coding, "code", code);
		}
	} else if (s->kind == 'c' && elem_of(w, n, "code")) {
		struct fhir_node *cc = add(w, n, "code"), *coding;
		if (cc && (coding = add(w, cc, "coding")) != NULL) {
			add_value(w, coding, "system",
				strchr(code, '-') ? "http://loinc.org" : "http://snomed.info/sct");
			add_value(w, coding, "code", code);
		}
	}
}

/* The slice child of parent named by key, or NULL. */
static struct fhir_node *find_slice(struct writer *w, struct fhir_node *parent, const char *key)
{
	char k[1100];

	snprintf(k, sizeof(k), "%p|%s", (void *)parent, key);
	return strmap_get(&w->by_inst, k);
}

static void put_slice(struct writer *w, struct fhir_node *parent, const char *key, struct fhir_node *n)
{
	char *k = arena_printf(&w->t->arena, "%p|%s", (void *)parent, key);

	if (!k || strmap_put(&w->by_inst, k, n) < 0)
		w->failed = 1;
}

/*
 * Walks rest ("component:SystolicBP.value[x]") from node, creating what is
 * missing; prof#path names the profile element ids for slice lookups.
 * fresh: create a new node at the first unsliced repeating element.
 * Returns the last node, or NULL (*why says why).
 */
/* Does node hold choice element base[x] in a type other than cname? */
static int other_choice(const struct fhir_node *node, const char *base, const char *cname)
{
	const struct fhir_node *c;
	size_t bl = strlen(base);

	for (c = node->children; c; c = c->next)
		if (c->def && c->def->choice && strncmp(c->name, base, bl) == 0 &&
		    isupper((unsigned char)c->name[bl]) && strcmp(c->name, cname) != 0)
			return 1;
	return 0;
}

static struct fhir_node *walk_create(struct writer *w, struct fhir_node *node, const char *prof,
	const char *path, const char *rest, const struct zib_value *v, int fresh, const char **why)
{
	const char *p = rest;

	while (p && *p) {
		size_t len = strcspn(p, ".");
		char seg[160], name[160], slice[160], key[1024], cname[160];
		const char *colon;
		const struct fhir_elem *e;
		struct fhir_node *n = NULL;
		int choice;

		snprintf(seg, sizeof(seg), "%.*s", (int)len, p);
		colon = strchr(seg, ':');
		snprintf(name, sizeof(name), "%.*s", colon ? (int)(colon - seg) : (int)strlen(seg), seg);
		snprintf(slice, sizeof(slice), "%s", colon ? colon + 1 : "");
		snprintf(key, sizeof(key), "%s#%.*s", prof, (int)(p + len - path), path);
		choice = strlen(name) > 3 && strcmp(name + strlen(name) - 3, "[x]") == 0;
		if (choice) {
			name[strlen(name) - 3] = '\0';
			if (slice[0] && strncmp(slice, name, strlen(name)) == 0) {
				snprintf(cname, sizeof(cname), "%s", slice);
				slice[0] = '\0';
			} else if (!choice_name(w, node, name, v, cname, sizeof(cname))) {
				*why = "no element of the value's type";
				return NULL;
			}
			if (other_choice(node, name, cname)) {
				/* One value for a choice (Patient.deceased[x]: the
				 * indicator or the date, not both). */
				*why = arena_printf(&w->t->arena, "%s[x] holds one value, and has one", name);
				return NULL;
			}
			snprintf(name, sizeof(name), "%s", cname);
		}
		e = elem_of(w, node, name);
		if (!e) {
			*why = arena_printf(&w->t->arena, "the path is not in the %s structure",
				w->rel->fhir_name);
			return NULL;
		}
		if (slice[0]) {
			n = find_slice(w, node, key);
			if (!n) {
				n = add(w, node, name);
				if (!n)
					return NULL;
				slice_init(w, n, key, slice);
				put_slice(w, node, key, n);
			}
		} else if (e->repeats && fresh) {
			n = add(w, node, name);
			fresh = 0;
		} else {
			n = first_child(node, name);
			if (!n)
				n = add(w, node, name);
		}
		if (!n)
			return NULL;
		node = n;
		p += len;
		if (*p == '.')
			p++;
	}
	return node;
}

/* ---- instances and resources ---- */

static int write_values(struct writer *w, struct wres *x, const struct zib_value *first,
	struct fhir_node *pnode, const char *ppath);

/* A group on a choice element whose parts name its type (MP9 Keerdosis on
 * Dosage.doseAndRate.dose[x], parts dose[x]:doseQuantity and
 * dose[x]:doseRange.low): the group itself has no type to build, so its
 * node is the choice's parent and the parts choose the type.  Returns 0
 * when v is no such group. */
static int choice_group(struct writer *w, struct wres *x, const struct zib_value *v, struct fhir_node *base,
	const char *prof, const char *path, const char *rest)
{
	char pp[1024];
	const char *why = NULL, *prest;
	size_t pl = strlen(path), off = (size_t)(rest - path);
	struct fhir_node *n = base;
	char *dot;

	if (pl < 3 || strcmp(path + pl - 3, "[x]") != 0 || rest < path || off > pl)
		return 0;
	snprintf(pp, sizeof(pp), "%s", path);
	dot = strrchr(pp, '.');
	if (!dot)
		return 0;
	*dot = '\0';
	prest = off < strlen(pp) ? pp + off : "";
	if (*prest && (n = walk_create(w, base, prof, pp, prest, v, 1, &why)) == NULL) {
		not_carried(w, v, why ? why : "out of memory");
		return 1;
	}
	write_values(w, x, v->children, n, pp);
	return 1;
}

static struct wres *res_of(struct writer *w, const struct zib_instance *inst)
{
	char k[64];

	snprintf(k, sizeof(k), "%p", (const void *)inst);
	return strmap_get(&w->by_inst, k);
}

/* The profile url a resource of zib m carries: in a release with a core
 * profile prefix (zib2020's nl-core-) the core one of the mapping's
 * profile when the model lists it, else the zib one. */
static const char *profile_in_list(struct writer *w, const struct zib_model *m, const char *prof,
	int root);

static const char *profile_for(struct writer *w, const struct zib_model *m, const char *prof)
{
	const char *list = model_fhir_profiles(m, w->rel), *p;
	const char *core = w->rel->core_profile_prefix;
	char want[256], zib[256];

	if (!core)
		return profile_in_list(w, m, prof, 0);
	if (!prof || !list)
		return NULL;
	snprintf(zib, sizeof(zib), NICTIZ_SD "%s", prof);
	snprintf(want, sizeof(want), NICTIZ_SD "%s%s", core, strncmp(prof, "zib-", 4) == 0 ? prof + 4 : prof);
	for (p = list; *p; ) {
		size_t n = strcspn(p, " ");
		if (n == strlen(want) && strncmp(p, want, n) == 0)
			return arena_strdup(&w->t->arena, want);
		p += n;
		while (*p == ' ')
			p++;
	}
	for (p = list; *p; ) {
		size_t n = strcspn(p, " ");
		if (n == strlen(zib) && strncmp(p, zib, n) == 0)
			return arena_strdup(&w->t->arena, zib);
		p += n;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

/* The profile url of prof ("zib-Problem", "nl-core-patient") from the
 * model's list of the release (zib2017's, whose urls are not all at one
 * base); for the resource of the zib itself (root) the first of the list
 * when the mapping fell back to the fallback release's profile. */
static const char *profile_in_list(struct writer *w, const struct zib_model *m, const char *prof,
	int root)
{
	const char *list = model_fhir_profiles(m, w->rel), *p;
	size_t pl;

	if (!prof || !list || !*list)
		return NULL;
	pl = strlen(prof);
	for (p = list; *p; ) {
		size_t n = strcspn(p, " ");
		const char *slash = p + n;
		while (slash > p && slash[-1] != '/')
			slash--;
		if ((size_t)(p + n - slash) == pl && strncmp(slash, prof, pl) == 0)
			return arena_strndup(&w->t->arena, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	return root ? arena_strndup(&w->t->arena, list, strcspn(list, " ")) : NULL;
}

static struct fhir_node *new_entry(struct writer *w, const char *type, const char *uuid,
	struct wres *x)
{
	struct fhir_node *entry = add(w, w->bundle_node, "entry"), *r;

	if (!entry)
		return NULL;
	x->full_url = arena_printf(&w->t->arena, "urn:uuid:%s", uuid);
	x->ref = w->type_refs ? arena_printf(&w->t->arena, "%s/%s", type, uuid) : x->full_url;
	add_value(w, entry, "fullUrl", x->full_url);
	r = add_resource(w, entry, type);
	if (!r)
		return NULL;
	add_value(w, r, "id", uuid);
	if (w->bundle == ZIB_BUNDLE_TRANSACTION) {
		struct fhir_node *req = add(w, entry, "request");
		if (req) {
			add_value(w, req, "method", "PUT");
			add_value(w, req, "url", arena_printf(&w->t->arena, "%s/%s", type, uuid));
		}
	}
	x->node = r;
	x->type = fhir_resource_name(r);
	return r;
}

static void set_profile(struct writer *w, struct fhir_node *r, const char *url)
{
	struct fhir_node *meta;

	if (!url)
		return;
	meta = add(w, r, "meta");
	if (meta)
		add_value(w, meta, "profile", url);
}

/* The mapping of a zib's root concept that names its resource: of several
 * (zib2017 Zorgaanbieder: "nl-core-location#Location.managingOrganization
 * nl-core-organization#Organization") the first whole resource, except
 * that a Patient element (zib2017 Patient.contact) holds the zib there. */
static const char *root_mapping(const struct writer *w, const struct zib_model *m)
{
	const char *map = mapping_of(w, &m->concepts[0]), *cur = map, *p;
	size_t n;

	if (!map || strncmp(strchr(map, '#') ? strchr(map, '#') : map, "#Patient.", 9) == 0)
		return map;
	while ((p = map_next(&cur, &n)) != NULL) {
		const char *hash = memchr(p, '#', n);
		if (hash && !memchr(hash, '.', (size_t)(p + n - hash)))
			return p;
	}
	return map;
}

/* The first of the values from first on (siblings) of concept_id, or NULL. */
static const struct zib_value *value_of(const struct zib_value *first, const char *concept_id)
{
	const struct zib_value *v;

	for (v = first; v; v = v->next)
		if (strcmp(v->concept->id, concept_id) == 0)
			return v;
	return NULL;
}

/* zib2020 gives each kind of Betaler its own Coverage profile (where the
 * release lists zib-Payer.PayerPerson): one with a BetalerPersoon
 * (NL-CM:1.1.2) and no Verzekeraar (NL-CM:1.1.3) is a Payer.PayerPerson,
 * whose Coverage.type is the self-pay pattern of that profile.  Returns
 * the profile to write instead of prof, else prof. */
static const char *payer_profile(struct writer *w, const struct zib_instance *inst, struct fhir_node *r,
	const char *prof)
{
	struct fhir_node *cc, *coding;

	if (strcmp(inst->model->concepts[0].id, "NL-CM:1.1.1") != 0 ||
	    !model_list_has(model_fhir_profiles(inst->model, w->rel), NICTIZ_SD "zib-Payer.PayerPerson") ||
	    !value_of(inst->values, "NL-CM:1.1.2") || value_of(inst->values, "NL-CM:1.1.3"))
		return prof;
	if ((cc = add(w, r, "type")) != NULL && (coding = add(w, cc, "coding")) != NULL) {
		add_value(w, coding, "system", "http://terminology.hl7.org/CodeSystem/coverage-selfpay");
		add_value(w, coding, "code", "pay");
	}
	return "zib-Payer.PayerPerson";
}

/* Creates the resource of instance inst (not its values yet). */
static struct wres *begin_instance(struct writer *w, const struct zib_instance *inst, size_t index)
{
	const struct zib_model *m = inst->model;
	const char *map = root_mapping(w, m), *hash;
	char prof[256], type[64], idx[32], k[64];
	struct wres *x;
	struct fhir_node *r;
	const char *uuid;
	size_t i;

	for (i = 1; (!map || !*map) && i < m->nconcepts; i++)
		map = mapping_of(w, &m->concepts[i]);
	if (!map || !(hash = strchr(map, '#')))
		return NULL;
	snprintf(prof, sizeof(prof), "%.*s", (int)(hash - map), map);
	snprintf(type, sizeof(type), "%.*s", (int)strcspn(hash + 1, ". "), hash + 1);
	if (!fhir_resource_type(w->t->defs, type))
		return NULL;
	if (w->patient && strcmp(type, "Patient") == 0 && strcmp(m->name_nl, "Patient") != 0 &&
	    hash[1 + strlen(type)] == '.') {
		/* Held in an element of the Patient (zib2017 Patient.contact): a
		 * node of its own there, made when its values are written. */
		x = arena_alloc(&w->t->arena, sizeof(*x));
		if (!x)
			return NULL;
		*x = *w->patient;
		x->inst = inst;
		x->links = NULL;
		x->next_link = NULL;
		x->sub_path = arena_strndup(&w->t->arena, hash + 1, strcspn(hash + 1, " "));
		snprintf(k, sizeof(k), "%p", (const void *)inst);
		if (strmap_put(&w->by_inst, arena_strdup(&w->t->arena, k), x) < 0)
			w->failed = 1;
		return x;
	}
	if (!mapping_of(w, &m->concepts[0]) || !*mapping_of(w, &m->concepts[0])) {
		/* A zib held inside another's resource (BurgerlijkeStaat in
		 * Patient.maritalStatus). */
		if (w->patient && strcmp(type, "Patient") == 0) {
			snprintf(k, sizeof(k), "%p", (const void *)inst);
			if (strmap_put(&w->by_inst, arena_strdup(&w->t->arena, k), w->patient) < 0)
				w->failed = 1;
			return w->patient;
		}
		return NULL;
	}
	x = arena_alloc(&w->t->arena, sizeof(*x));
	if (!x)
		return NULL;
	memset(x, 0, sizeof(*x));
	x->inst = inst;
	snprintf(idx, sizeof(idx), "%zu", index);
	uuid = make_uuid(w, w->seed, m->name_nl, inst->id ? inst->id : idx);
	if (strmap_get(&w->uuids, uuid)) {
		/* Two instances with one id (a CDA that holds an entry inline at
		 * two places): a Bundle's fullUrls are unique (bdl-7). */
		char again[256];
		snprintf(again, sizeof(again), "%s#%zu", inst->id ? inst->id : "", index);
		uuid = make_uuid(w, w->seed, m->name_nl, again);
	}
	if (strmap_put(&w->uuids, uuid, (void *)1) < 0)
		w->failed = 1;
	r = new_entry(w, type, uuid, x);
	if (!r)
		return NULL;
	set_profile(w, r, w->rel->core_profile_prefix ? profile_for(w, m, payer_profile(w, inst, r, prof)) :
		profile_in_list(w, m, payer_profile(w, inst, r, prof), 1));
	/* The code that tells the zib (zib-models/fhir-codes.tsv, the BgZ
	 * queries), and the Observation category it derives from (the FHIR
	 * vital signs profile). */
	for (i = 0; i < w->doc->ctx->nfhir_codes; i++) {
		const struct fhir_code_rule *b = &w->doc->ctx->fhir_codes[i];
		struct fhir_node *cc, *coding;
		if (!b->write || b->model != m || strcmp(b->fhir_type, type) != 0)
			continue;
		if (b->category && (cc = add(w, r, "category")) != NULL &&
		    (coding = add(w, cc, "coding")) != NULL) {
			add_value(w, coding, "system", release_system(w,
				"http://terminology.hl7.org/CodeSystem/observation-category"));
			add_value(w, coding, "code", b->category);
		}
		cc = add(w, r, b->element);
		if (cc && (coding = add(w, cc, "coding")) != NULL) {
			add_value(w, coding, "system", b->system);
			add_value(w, coding, "code", b->code);
		}
	}
	if (strcmp(type, "Observation") == 0)
		add_value(w, r, "status", "final");
	snprintf(k, sizeof(k), "%p", (const void *)inst);
	if (strmap_put(&w->by_inst, arena_strdup(&w->t->arena, k), x) < 0)
		w->failed = 1;
	if (strcmp(m->name_nl, "Patient") == 0 && !w->patient)
		w->patient = x;
	return x;
}

/* x's element name for a reference to its linked resource: the one a
 * group mapped there made empty (STU3 Product on DeviceUseStatement.device),
 * else a new one. */
static struct fhir_node *owner_reference(struct writer *w, struct fhir_node *owner, const char *name)
{
	struct fhir_node *ref = first_child(owner, name);

	return ref && !ref->children ? ref : add(w, owner, name);
}

static void link_patient(struct writer *w, struct wres *x);

/* What FHIR requires of a linked resource the zib values do not give: the
 * order a Procedure is basedOn (Verrichting's Aanvrager on ServiceRequest.
 * requester) has a status, an intent and the patient as subject. */
static void linked_required(struct writer *w, struct wres *l)
{
	if (strcmp(l->type, "ServiceRequest") != 0)
		return;
	add_value(w, l->node, "status", "unknown");
	add_value(w, l->node, "intent", "order");
	link_patient(w, l);
}

/* A new resource of type, with the profile prof of x's zib gives it, in
 * x's list of linked resources; NULL when out of memory. */
static struct wres *new_link(struct writer *w, struct wres *x, const char *type, const char *prof)
{
	struct wres *l = arena_alloc(&w->t->arena, sizeof(*l));

	if (!l)
		return NULL;
	memset(l, 0, sizeof(*l));
	if (!new_entry(w, type, make_uuid(w, x->full_url, type, NULL), l))
		return NULL;
	set_profile(w, l->node, profile_for(w, x->inst->model, prof));
	l->next_link = x->links;
	x->links = l;
	return l;
}

/* A resource of type linked to x (PractitionerRole of a Practitioner,
 * Location of an Organization: they reference x; the Device of a
 * DeviceUseStatement, the ServiceRequest a Procedure is basedOn: x
 * references it), made on first use. */
static struct fhir_node *linked(struct writer *w, struct wres *x, const char *type, const char *prof)
{
	static const struct { const char *type, *ref, *owner_ref; } link_elems[] = {
		{ "PractitionerRole", "practitioner", NULL },
		{ "Location", "managingOrganization", NULL },
		{ "Device", NULL, "device" },
		{ "ServiceRequest", NULL, "basedOn" },
		{ NULL, NULL, NULL }
	};
	struct wres *l;
	struct fhir_node *r, *ref;
	size_t i;

	for (l = x->links; l; l = l->next_link)
		if (strcmp(l->type, type) == 0)
			return l->node;
	for (i = 0; link_elems[i].type; i++)
		if (strcmp(link_elems[i].type, type) == 0)
			break;
	if (!link_elems[i].type)
		return NULL;
	if ((l = new_link(w, x, type, prof)) == NULL)
		return NULL;
	r = l->node;
	if (link_elems[i].ref && (ref = add(w, r, link_elems[i].ref)) != NULL)
		add_value(w, ref, "reference", x->ref);
	if (link_elems[i].owner_ref && (ref = owner_reference(w, x->node, link_elems[i].owner_ref)) != NULL)
		add_value(w, ref, "reference", l->ref);
	linked_required(w, l);
	return r;
}

static void link_patient(struct writer *w, struct wres *x);

/* Is payor one a BetalerPersoon wrote (its bank details, its name as
 * display)?  zib2017 tells the insurer's payor apart by its Organization. */
static int is_person_payor(const struct fhir_node *payor)
{
	return first_child(payor, "extension") || first_child(payor, "display");
}

/* The Organization a Coverage's payor points at (the Verzekeraar's, or the
 * paying organization of a zib2020 Payer.PayerPerson), made on first use
 * and referenced from the group's own payor (zib2017 Verzekeraar is
 * Coverage.payor), else from the first payor pointing nowhere (R4) or
 * pointing nowhere and no person's (STU3), else from a new one. */
static struct fhir_node *payor_organization(struct writer *w, struct wres *x, struct fhir_node *pnode,
	const char *type, const char *prof)
{
	struct wres *l;
	struct fhir_node *r, *payor = NULL, *c;

	if (!x->inst || strcmp(x->type, "Coverage") != 0 || strcmp(type, "Organization") != 0)
		return NULL;
	for (l = x->links; l; l = l->next_link)
		if (strcmp(l->type, "Organization") == 0)
			return l->node;
	if (pnode && strcmp(pnode->name, "payor") == 0 && !first_child(pnode, "reference"))
		payor = pnode;
	for (c = x->node->children; c && !payor; c = c->next)
		if (strcmp(c->name, "payor") == 0 && !first_child(c, "reference") &&
		    (!w->rel->payors_shared || !is_person_payor(c)))
			payor = c;
	if (!payor && (payor = add(w, x->node, "payor")) == NULL)
		return NULL;
	if ((l = new_link(w, x, type, prof)) == NULL)
		return NULL;
	r = l->node;
	add_value(w, payor, "reference", l->ref);
	return r;
}

/* Observation.code of the zib2020 sub-profiles a zib's values are spread
 * over (LivingSituation: one Observation per aspect, linked by hasMember). */
static const struct { const char *prof, *nl_core, *code; } member_codes[] = {
	{ "zib-LivingSituation.HouseType", "nl-core-LivingSituation.HouseType", "272497004" },
	{ "zib-LivingSituation.HomeAdaption", "nl-core-LivingSituation.HouseAdaption", "118871000146108" },
	{ "zib-LivingSituation.LivingCondition", "nl-core-LivingSituation.LivingCondition", "224249004" },
	{ NULL, NULL, NULL }
};

/* Is prof a sub-profile of the profile x's zib maps to
 * ("zib-LivingSituation.HouseType" of "zib-LivingSituation")? */
static int is_member_profile(const struct wres *x, const char *prof)
{
	const char *root = x->inst && !x->sub_path ? model_concept_fhir_column(&x->inst->model->concepts[0], release_default()) : NULL;
	size_t rl;

	if (!root)
		return 0;
	rl = strcspn(root, "#");
	return strlen(prof) > rl && strncmp(prof, root, rl) == 0 && prof[rl] == '.';
}

/* The member resource of x for sub-profile prof, made on first use and
 * referenced from x's hasMember. */
static struct fhir_node *member(struct writer *w, struct wres *x, const char *prof)
{
	struct wres *l;
	struct fhir_node *r, *ref, *cc, *coding;
	size_t i;

	for (l = x->links; l; l = l->next_link)
		if (l->prof && strcmp(l->prof, prof) == 0)
			return l->node;
	for (i = 0; member_codes[i].prof; i++)
		if (strcmp(member_codes[i].prof, prof) == 0)
			break;
	if (!member_codes[i].prof || !elem_of(w, x->node, "hasMember"))
		return NULL;
	l = arena_alloc(&w->t->arena, sizeof(*l));
	if (!l)
		return NULL;
	memset(l, 0, sizeof(*l));
	r = new_entry(w, x->type, make_uuid(w, x->full_url, prof, NULL), l);
	if (!r)
		return NULL;
	l->prof = arena_strdup(&w->t->arena, prof);
	set_profile(w, r, arena_printf(&w->t->arena, NICTIZ_SD "%s", member_codes[i].nl_core));
	add_value(w, r, "status", "final");
	if ((cc = add(w, r, "code")) != NULL && (coding = add(w, cc, "coding")) != NULL) {
		add_value(w, coding, "system", "http://snomed.info/sct");
		add_value(w, coding, "code", member_codes[i].code);
	}
	link_patient(w, l);
	if ((ref = add(w, x->node, "hasMember")) != NULL)
		add_value(w, ref, "reference", l->ref);
	l->next_link = x->links;
	x->links = l;
	return r;
}

/* A FHIR reference as read ("Organization/1", "urn:uuid:..."), not a
 * CDA identifier ("2.16.528.1.1007.3.1|468789231") or a display. */
/* A Reference element that takes a Location only (R4 Encounter.location.
 * location, Procedure.location). */
static int location_only(const struct fhir_node *rn)
{
	const struct fhir_node *p = rn->parent;

	if (strcmp(rn->name, "location") != 0 || !p)
		return 0;
	if (p->type && strcmp(p->type->name, "Procedure") == 0)
		return 1;
	return strcmp(p->name, "location") == 0 && p->parent && p->parent->type &&
		strcmp(p->parent->type->name, "Encounter") == 0;
}

/* The resource Reference rn points at for instance resource t: a
 * Zorgaanbieder is an Organization and the Location it manages (zib2020;
 * zib2017 alike), and a Location-only reference gets the Location; NULL
 * when out of memory. */
static struct wres *target_for(struct writer *w, struct wres *t, const struct fhir_node *rn)
{
	const char *map, *at, *start;
	struct wres *l;

	if (strcmp(t->type, "Organization") != 0 || !t->inst || !location_only(rn))
		return t;
	map = mapping_of(w, &t->inst->model->concepts[0]);
	if (!map || !(at = strstr(map, "#Location")))
		return t;   /* a zib of an Organization only: the validator tells */
	for (start = at; start > map && start[-1] != ' '; start--)
		;
	if (!linked(w, t, "Location", arena_printf(&w->t->arena, "%.*s", (int)(at - start), start)))
		return NULL;
	for (l = t->links; l; l = l->next_link)
		if (strcmp(l->type, "Location") == 0)
			return l;
	return NULL;
}

static int is_reference(const char *ref)
{
	return ref && !strchr(ref, '|') && !strchr(ref, ' ') &&
		(strchr(ref, '/') || strncmp(ref, "urn:", 4) == 0);
}

static int has_children(const struct zib_value *v)
{
	return v->children != NULL;
}

/* True when the same value was already written to the same mapping below
 * base; remembers it otherwise. */
static int same_leaf_written(struct writer *w, const struct fhir_node *base, const char *mapping,
	const struct zib_value *v)
{
	char *k;

	k = arena_printf(&w->t->arena, "%p|%s|%s|%s|%s", (const void *)base,
		strchr(mapping, '#') ? strchr(mapping, '#') : mapping,
		v->code ? v->code : "", v->text ? v->text : "", v->number ? v->number : "");
	if (!k)
		return 0;
	if (strmap_get(&w->by_inst, k))
		return 1;
	if (strmap_put(&w->by_inst, k, (void *)base) < 0)
		w->failed = 1;
	return 0;
}

/* Qualifies a given name as initials or call name (zib NameInformation). */
static void given_qualifier(struct writer *w, struct fhir_node *n, const struct zib_concept *c)
{
	const char *q = strcmp(c->id, "NL-CM:20.4.5") == 0 ? "IN" :
		strcmp(c->id, "NL-CM:20.4.6") == 0 ? "CL" : "BR";
	struct fhir_node *ext = add(w, n, "extension");

	if (ext) {
		add_value(w, ext, "url", EXT_EN_QUALIFIER);
		add_value(w, ext, "valueCode", q);
	}
}

/* The R4 element a mapping ("prof#Type.a:slice.b") names, without its
 * profile and slice names: "Type.a.b". */
static void element_of(const char *map, size_t n, char *out, size_t size)
{
	const char *p = memchr(map, '#', n), *end = map + n;
	size_t o = 0;

	p = p ? p + 1 : map;
	while (p < end && o + 1 < size) {
		if (*p == ':') {
			while (p < end && *p != '.')
				p++;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}

/* The FHIR code a ConceptMap of v's value sets gives v's zib code in
 * element, or NULL; *bound tells whether such a map binds element at all. */
static const struct fhir_conceptmap *element_code(const struct zib_value *v, const char *element,
	int *bound)
{
	const char *p = v->concept->valuesets;
	char oid[128];
	const struct fhir_conceptmap *m;

	*bound = 0;
	while (model_valueset_list_next(&p, oid, sizeof(oid)))
		if (model_fhir_conceptmap_binds(oid, element)) {
			*bound = 1;
			if ((m = model_fhir_conceptmap_for_element(oid, v->code, element)) != NULL)
				return m;
		}
	return NULL;
}

/* The FHIR coding a required binding wants, before the zib's own. */
static void add_fhir_coding(struct writer *w, struct fhir_node *cc, const struct zib_value *v,
	const char *map)
{
	char element[512];
	const struct fhir_conceptmap *m;
	struct fhir_node *coding;
	int bound;

	element_of(map, strlen(map), element, sizeof(element));
	if ((m = element_code(v, element, &bound)) == NULL || (coding = add(w, cc, "coding")) == NULL)
		return;
	add_value(w, coding, "system", m->fhir_system);
	add_value(w, coding, "code", m->fhir_code);
}

/* R4 requires FHIR's own codes in some CodeableConcepts (Condition.
 * clinicalStatus).  Of a coded value's mappings, skip those elements
 * whose ConceptMap has no code for it: AllergieStatus 'nullified' is
 * verificationStatus 'entered-in-error', not a clinicalStatus. */
static const char *coded_mapping(const struct writer *w, const struct zib_value *v, const char *map)
{
	const char *cur = map, *p;
	char element[512];
	size_t n;
	int bound;

	if (!w->rel->fhir_code_bindings || !v->code || !v->concept->valuesets || !strchr(map, ' '))
		return map;
	while ((p = map_next(&cur, &n)) != NULL) {
		element_of(p, n, element, sizeof(element));
		if (element_code(v, element, &bound) || !bound)
			return p;
	}
	return map;
}

/* A path beside the group's own (Encounter.participant.type beside the
 * group's Encounter.participant.individual, as the reader reads it): the
 * element the two share, climbing from the group's node, with *rest set to
 * what follows it in path; else NULL. */
static struct fhir_node *beside_base(struct fhir_node *pnode, const char *path, const char *ppath,
	const char **rest)
{
	size_t up = fhir_path_beside(path, ppath, rest);

	if (!up)
		return NULL;
	while (up-- && pnode)
		pnode = pnode->parent;
	return pnode;
}

/* ---- Toedieningsschema: Frequentie and Interval to Timing.repeat ----
 * No profile maps them element by element (see lib/fhir/zib_read.c
 * fhir_read_schedule_part, which reads what is written here):
 *   Interval 4 h        -> period 4, periodUnit h (R4 MP9: with frequency 1
 *                          and timing-exact true)
 *   Frequentie 3 /d     -> frequency 3, period 1, periodUnit d
 *   Frequentie 2 /(8.h) -> frequency 2, period 8, periodUnit h
 *   a Range min..max    -> frequency min, frequencyMax max */
#define ROLE_FREQUENTIE "schedule-frequency"   /* the concepts' roles: zib-models/roles.tsv */
#define ROLE_INTERVAL "schedule-interval"
#define ROLE_TOEDIENINGSDUUR "administration-duration"
#define ROLE_TIJDSDUUR "interval-duration"
#define EXT_TIMING_EXACT "http://hl7.org/fhir/StructureDefinition/timing-exact"

static struct fhir_node *timing_repeat(struct writer *w, struct fhir_node *timing)
{
	struct fhir_node *repeat = first_child(timing, "repeat");

	return repeat ? repeat : add(w, timing, "repeat");
}

static void write_interval(struct writer *w, const struct zib_value *v, struct fhir_node *repeat)
{
	if (!v->number || !v->unit) {
		not_carried(w, v, "an Interval needs a number and a time unit");
		return;
	}
	if (w->rel->interval_timing_exact) {
		struct fhir_node *ext = add(w, repeat, "extension");
		if (ext) {
			add_value(w, ext, "url", EXT_TIMING_EXACT);
			add_value(w, ext, "valueBoolean", "true");
		}
		add_value(w, repeat, "frequency", "1");
	}
	add_value(w, repeat, "period", v->number);
	add_value(w, repeat, "periodUnit", v->unit);
}

static void write_frequency(struct writer *w, const struct zib_value *v, struct fhir_node *repeat)
{
	const struct zib_value *p;
	char period[32], unit[32];
	int written = 0;

	for (p = v->children; p; p = p->next) {
		const char *id = p->concept->id;
		const char *name = strcmp(id, "NL-CM:20.1.3") == 0 ? "frequencyMax" : "frequency";
		if (!p->number || !model_ucum_split_per(p->unit, period, sizeof(period), unit, sizeof(unit))) {
			not_carried(w, p, "a frequency is a number per time unit (/d, /(8.h))");
			continue;
		}
		add_value(w, repeat, name, p->number);
		if (!written++) {
			add_value(w, repeat, "period", period);
			add_value(w, repeat, "periodUnit", unit);
		}
	}
}

/* Would v give Timing.repeat anything (no empty repeat element)? */
static int schedule_writable(const struct zib_value *v)
{
	const struct zib_value *p;
	char period[32], unit[32];

	if (model_concept_has_role(v->concept, ROLE_INTERVAL))
		return v->number && v->unit;
	for (p = v->children; p; p = p->next)
		if (p->number && model_ucum_split_per(p->unit, period, sizeof(period), unit, sizeof(unit)))
			return 1;
	return 0;
}

/* Writes Frequentie or Interval v under the Toedieningsschema's
 * Dosage.timing pnode; 0 when v is neither (or pnode no timing). */
/* Toedieningsduur's tijdsDuur (30 min) -> the Dosage's timing.repeat
 * duration 30, durationUnit min (read_administration_duration backwards);
 * 0 when pnode is no Dosage. */
static int write_administration_duration(struct writer *w, const struct zib_value *v,
	struct fhir_node *pnode)
{
	const struct zib_value *d;
	struct fhir_node *timing, *repeat;

	if (!pnode || !pnode->def || strcmp(pnode->def->type_code, "Dosage") != 0)
		return 0;
	for (d = v->children; d && !model_concept_has_role(d->concept, ROLE_TIJDSDUUR); d = d->next)
		;
	if (!d || !d->number || !d->unit || d->system || !is_time_unit(d->unit)) {
		not_carried(w, v, "Timing.repeat.duration holds a number of a time unit (30 min)");
		return 1;
	}
	timing = first_child(pnode, "timing");
	if (!timing && !(timing = add(w, pnode, "timing")))
		return 1;
	if ((repeat = timing_repeat(w, timing)) != NULL) {
		add_value(w, repeat, "duration", d->number);
		add_value(w, repeat, "durationUnit", d->unit);
	}
	return 1;
}

static int write_schedule_part(struct writer *w, const struct zib_value *v, struct fhir_node *pnode)
{
	const struct zib_concept *c = v->concept;
	struct fhir_node *repeat;

	if (model_concept_has_role(c, ROLE_TOEDIENINGSDUUR))
		return write_administration_duration(w, v, pnode);
	if (!model_concept_has_role(c, ROLE_FREQUENTIE) && !model_concept_has_role(c, ROLE_INTERVAL))
		return 0;
	if (!pnode || strcmp(pnode->name, "timing") != 0)
		return 0;
	if (!schedule_writable(v)) {
		not_carried(w, v, "Timing.repeat holds a number per time unit (4 h; 3 /d, 2 /(8.h))");
		return 1;
	}
	if (!(repeat = timing_repeat(w, pnode)))
		return 1;
	if (model_concept_has_role(c, ROLE_INTERVAL))
		write_interval(w, v, repeat);
	else
		write_frequency(w, v, repeat);
	return 1;
}

static int med_status_value(struct writer *w, const struct zib_value *v);

/* The extension of profile prof ("ext-TimeInterval.Duration") that a
 * leaf mapped to "ext-...#Extension.value[x]" goes in, made below the
 * group's node pnode (the Period of a Gebruiksperiode) with the profile's
 * url; pnode itself when it is an extension already.  NULL (reported)
 * when pnode cannot have one. */
static struct fhir_node *profile_extension(struct writer *w, struct fhir_node *pnode, const char *prof,
	const struct zib_value *v)
{
	struct fhir_node *ext;

	if (strcmp(pnode->name, "extension") == 0 || strcmp(pnode->name, "modifierExtension") == 0 ||
	    has_children(v) || strncmp(prof, "ext-", 4) != 0)
		return pnode;
	if (!elem_of(w, pnode, "extension") || !(ext = add(w, pnode, "extension"))) {
		not_carried(w, v, "its element can have no extension");
		return NULL;
	}
	add_value(w, ext, "url", arena_printf(&w->t->arena, NICTIZ_SD "%s", prof));
	return ext;
}

/* BetalerNaam (NL-CM:1.1.5) is the name of the person or organization
 * the payor points at, a resource not written: the payor's display
 * carries it then (and the reader reads it back from there). */
static int write_payor_name(struct writer *w, const struct wres *x, const struct zib_value *v,
	struct fhir_node *pnode)
{
	if (strcmp(v->concept->id, "NL-CM:1.1.5") != 0 || !v->text || !pnode || strcmp(pnode->name, "payor") != 0 ||
	    first_child(pnode, "reference") || first_child(pnode, "display"))
		return 0;
	/* zib2020 maps it to the paying Organization's name: there when the
	 * Betaler's address or contact details make that Organization. */
	if (strstr(mapping_of(w, v->concept), "#Organization.name") && x->inst &&
	    (value_of(x->inst->values, "NL-CM:1.1.17") || value_of(x->inst->values, "NL-CM:1.1.12")))
		return 0;
	return add_value(w, pnode, "display", v->text) != NULL;
}

/* Does extension n have its value[x] already? */
static int extension_has_value(const struct fhir_node *n)
{
	const struct fhir_node *c;

	for (c = n->children; c; c = c->next)
		if (strncmp(c->name, "value", 5) == 0)
			return 1;
	return 0;
}

/* A "reversed reference": a group whose path lies in the resource of the
 * instance it references (Verrichting's MedischHulpmiddel on
 * DeviceUseStatement.derivedFrom, the device's use pointing back at the
 * Procedure).  Writes x's reference there; 0 when no part of v references
 * a resource of that type. */
static int write_reversed_reference(struct writer *w, struct wres *x, const struct zib_value *v,
	const char *prof, const char *type, const char *path, const char *rest)
{
	const struct zib_value *u;
	int wrote = 0;

	for (u = v->children; u; u = u->next) {
		struct wres *t = u->target ? res_of(w, u->target) : NULL;
		struct fhir_node *n;
		const char *why = NULL;
		if (!t || !t->node || t->sub_path || strcmp(t->type, type) != 0)
			continue;
		wrote = 1;
		n = walk_create(w, t->node, prof, path, rest, u, 1, &why);
		if (!n || strcmp(n->def->type_code, "Reference") != 0) {
			not_carried(w, v, why ? why : "the element is not a Reference");
			continue;
		}
		add_value(w, n, "reference", x->ref);
	}
	return wrote;
}

static void write_value(struct writer *w, struct wres *x, const struct zib_value *v,
	struct fhir_node *pnode, const char *ppath)
{
	const struct zib_concept *c = v->concept;
	const char *map = mapping_of(w, c), *hash, *path, *rest, *why = NULL;
	char mbuf[1024], prof[256], type[128];
	struct fhir_node *base, *n;
	size_t plen;

	if (write_payor_name(w, x, v, pnode))
		return;
	if ((!map || !*map) && write_schedule_part(w, v, pnode))
		return;
	if (med_status_value(w, v))
		return;
	if (!map || !*map) {
		if (has_children(v)) {
			write_values(w, x, v->children, pnode, ppath);
			return;
		}
		if ((v->target || v->ref) && pnode && pnode->def &&
		    strcmp(pnode->def->type_code, "Extension") == 0 && !first_child(pnode, "valueReference") &&
		    elem_of(w, pnode, "valueReference")) {
			/* A group mapped to an extension (STU3 Flag.extension:
			 * ConcernReference): the reference is its value. */
			pnode = add(w, pnode, "valueReference");
			if (!pnode)
				return;
		}
		if ((v->target || v->ref) && pnode && pnode->def &&
		    strcmp(pnode->def->type_code, "BackboneElement") == 0 && !pnode->children) {
			/* A group mapped to a performer backbone (STU3
			 * Procedure.performer): the reference is its actor;
			 * to an STU3 requester backbone, its agent. */
			const char *in = elem_of(w, pnode, "actor") ? "actor" : "agent";
			const struct fhir_elem *e = elem_of(w, pnode, in);
			if (e && strcmp(e->type_code, "Reference") == 0 && (pnode = add(w, pnode, in)) == NULL)
				return;
		}
		if ((v->target || v->ref) && pnode && pnode->def &&
		    strcmp(pnode->def->type_code, "Reference") == 0 && !pnode->children) {
			/* The referenced zib of a group that maps to a Reference. */
			struct wres *t = v->target ? res_of(w, v->target) : NULL;
			t = t ? target_for(w, t, pnode) : NULL;
			if (!t && v->ref && location_only(pnode) && strncmp(v->ref, "Organization/", 13) == 0) {
				not_carried(w, v, "the element refers to a Location and this names an "
					"Organization, not in this document");
				fhir_node_prune(pnode);
				return;
			}
			if (t)
				add_value(w, pnode, "reference", t->ref);
			else
				add_value(w, pnode, is_reference(v->ref) ? "reference" : "display", v->ref);
			return;
		}
		not_carried(w, v, arena_printf(&w->t->arena, "the zib has no %s mapping for it",
			w->rel->fhir_name));
		return;
	}
	map = has_children(v) ? map : coded_mapping(w, v, map);
	snprintf(mbuf, sizeof(mbuf), "%.*s", (int)strcspn(map, " "), map);
	hash = strchr(mbuf, '#');
	if (!hash) {
		not_carried(w, v, "bad mapping");
		return;
	}
	snprintf(prof, sizeof(prof), "%.*s", (int)(hash - mbuf), mbuf);
	path = hash + 1;
	plen = strcspn(path, ".");
	snprintf(type, sizeof(type), "%.*s", (int)plen, path);
	rest = path[plen] == '.' ? path + plen + 1 : "";
	if (ppath && pnode && strcmp(path, ppath) == 0) {
		base = pnode;
		rest = "";
	} else if (ppath && pnode && strncmp(path, ppath, strlen(ppath)) == 0 &&
	    path[strlen(ppath)] == '.') {
		base = pnode;
		rest = path + strlen(ppath) + 1;
	} else if (ppath && pnode && pnode != x->node && (base = beside_base(pnode, path, ppath, &rest)) != NULL) {
		;   /* the element it shares with the group's */
	} else if (strcmp(type, x->type) == 0 && is_member_profile(x, prof)) {
		base = member(w, x, prof);
		if (!base) {
			not_carried(w, v, "its sub-profile has no member resource");
			return;
		}
	} else if (strcmp(type, x->type) == 0) {
		base = x->node;
	} else if (has_children(v) && write_reversed_reference(w, x, v, prof, type, path, rest)) {
		return;
	} else if (fhir_resource_type(w->t->defs, type)) {
		base = linked(w, x, type, prof);
		if (!base)
			base = payor_organization(w, x, pnode, type, prof);
		if (!base) {
			not_carried(w, v, "it belongs in another resource type");
			return;
		}
	} else if (pnode && pnode != x->node) {
		/* A datatype profile: relative to the group's node; a second
		 * one of these (phone and e-mail of Contactgegevens) gets its
		 * own element beside it. */
		base = pnode;
		if (!*rest && pnode->used && pnode->def && pnode->def->repeats && pnode->parent) {
			base = add(w, pnode->parent, pnode->name);
			if (!base)
				return;
		}
		base->used = 1;
		if (strcmp(type, "Extension") == 0 && (base = profile_extension(w, pnode, prof, v)) == NULL)
			return;
	} else {
		not_carried(w, v, "its mapping is a datatype profile outside any group");
		return;
	}
	if (has_children(v) && choice_group(w, x, v, base, prof, path, rest))
		return;
	if (!has_children(v) && !strstr(path, ".given") && same_leaf_written(w, base, mbuf, v))
		return;   /* two concepts on one element (Huisnummerletter/-toevoeging) */
	n = walk_create(w, base, prof, path, rest, v, 1, &why);
	if (!n) {
		not_carried(w, v, why ? why : "out of memory");
		return;
	}
	if (has_children(v)) {
		/* zib ContactInformation: e-mail addresses are ContactPoints
		 * with system email (the reader tells them apart by it). */
		if (strcmp(c->id, "NL-CM:20.6.3") == 0 && !first_child(n, "system"))
			add_value(w, n, "system", "email");
		/* A TelefoonNummers without TelecomType is a phone number
		 * still: the ContactPoint has a system (cpt-2). */
		if (strcmp(c->id, "NL-CM:20.6.2") == 0 && !first_child(n, "system") &&
		    !value_of(v->children, "NL-CM:20.6.5"))
			add_value(w, n, "system", "phone");
		write_values(w, x, v->children, n, path);
		fhir_node_prune(n);   /* parts all elsewhere: no empty element */
		return;
	}
	if (c->datatype && strcmp(c->datatype, "GROUP") == 0) {
		/* A reference to another instance. */
		struct wres *t = v->target ? res_of(w, v->target) : NULL;
		struct fhir_node *rn = n;
		if (!t && !v->ref) {
			/* (no empty Reference: FHIR's ele-1) */
			if (!n->children && !n->value)
				fhir_node_prune(n);
			not_carried(w, v, "it names no instance to refer to");
			return;
		}
		if (strcmp(n->def->type_code, "Extension") == 0 || strcmp(n->name, "extension") == 0) {
			rn = add(w, n, "valueReference");
			if (!rn)
				return;
		}
		if (strcmp(rn->def->type_code, "Reference") != 0) {
			not_carried(w, v, "the element is not a Reference");
			return;
		}
		t = t ? target_for(w, t, rn) : NULL;
		if (!t && v->ref && location_only(rn) && strncmp(v->ref, "Organization/", 13) == 0) {
			not_carried(w, v, "the element refers to a Location and this names an Organization, "
				"not in this document");
			fhir_node_prune(rn);
			return;
		}
		if (t)
			add_value(w, rn, "reference", t->ref);
		else if (v->ref)
			add_value(w, rn, is_reference(v->ref) ? "reference" : "display", v->ref);
		return;
	}
	if (strcmp(n->def->type_code, "Extension") == 0 && v->type != ZIB_VALUE_GROUP) {
		/* A path ending at an extension slice (the STU3 mappings'
		 * "HumanName.family.extension:humannameOwnPrefix"): its value[x]. */
		char cname[64];
		struct fhir_node *vn;
		if (extension_has_value(n)) {
			/* one value an extension: a second (the status of a
			 * second LaboratoriumTest on the one Observation) is lost */
			not_carried(w, v, "the extension holds another value already");
			return;
		}
		if (!choice_name(w, n, "value", v, cname, sizeof(cname)) || !(vn = add(w, n, cname))) {
			not_carried(w, v, "no element of the value's type");
			return;
		}
		n = vn;
	}
	if (v->null_flavor && !v->code && !v->text && !v->number) {
		/* Known to be absent (CDA nullFlavor): HL7's iso21090-nullFlavor. */
		struct fhir_node *ext = add(w, n, "extension");
		if (ext) {
			add_value(w, ext, "url", EXT_NULL_FLAVOR);
			add_value(w, ext, "valueCode", v->null_flavor);
			return;
		}
	}
	if (w->rel->fhir_code_bindings && v->code && strcmp(n->def->type_code, "CodeableConcept") == 0)
		add_fhir_coding(w, n, v, mbuf);
	if (!fill(w, n, v)) {
		/* An empty datatype left behind would be invalid FHIR (an
		 * Attachment for WilsverklaringDocument's text). */
		if (n->kind == FHIR_K_COMPLEX)
			fhir_node_prune(n);
		not_carried(w, v, "the element cannot hold the value");
		return;
	}
	if (w->rel->coded_strings && v->code && n->parent && n->parent->parent &&
	    !n->parent->parent->value && strcmp(n->parent->name, "extension") == 0 &&
	    n->parent->parent->kind == FHIR_K_PRIM && strcmp(n->parent->parent->def->type_code, "code") == 0) {
		/* The zib code in the extension of a code (zib2017
		 * AllergyIntolerance.category): the FHIR code beside it. */
		const char *f = fhir_code_for(n->parent->parent->name, v->code);
		if (f) {
			n->parent->parent->value = f;
			n->parent->parent->value_len = strlen(f);
		}
	}
	if (strcmp(n->name, "given") == 0 && strncmp(c->id, "NL-CM:20.4.", 11) == 0)
		given_qualifier(w, n, c);
}

/* Is v a second part of its group on the group's own repeating element
 * (zib2017 Gebruiksinstructie on MedicationRequest.dosageInstruction, its
 * Doseerinstructies on Dosage too)?  Then it gets an element of its own
 * beside the group's. */
static int repeats_parent(const struct writer *w, const struct zib_value *first, const struct zib_value *v,
	const struct fhir_node *pnode, const char *ppath)
{
	const char *map = mapping_of(w, v->concept), *hash;
	const struct zib_value *u;
	size_t pl;

	if (!pnode || !ppath || !pnode->parent || !pnode->def || !pnode->def->repeats || !map ||
	    v->concept->max == 1 || !(hash = strchr(map, '#')))
		return 0;
	pl = strcspn(hash + 1, " ");
	if (pl != strlen(ppath) || strncmp(hash + 1, ppath, pl) != 0)
		return 0;
	for (u = first; u != v; u = u->next)
		if (u->concept == v->concept)
			return 1;
	return 0;
}

/* The path (no profile) of the first mapping of concept c, or NULL. */
static const char *mapping_path(const struct writer *w, const struct zib_concept *c, char *out, size_t size)
{
	const char *map = mapping_of(w, c), *hash;

	if (!map || !*map || !(hash = strchr(map, '#')))
		return NULL;
	snprintf(out, size, "%.*s", (int)strcspn(hash + 1, " "), hash + 1);
	return out;
}

/* Is v a zib-once leaf of its group (Gebruiksinstructie's Toedieningsweg,
 * MedicationRequest.dosageInstruction.route) whose element lies inside
 * the repeating element of a sibling group (Doseerinstructie,
 * MedicationRequest.dosageInstruction)?  zib2020 R4 MP9 gives every Dosage
 * the route, and the reader reads a route repeated unchanged in every
 * Dosage once.  Then elem gets the sibling's path.  STU3 maps no
 * Doseerinstructie: one Dosage holds the route there. */
static int inside_sibling_element(const struct writer *w, const struct zib_value *first,
	const struct zib_value *v, const char *ppath, char *elem, size_t size)
{
	const struct zib_value *u;
	char vpath[1024];
	size_t pl = ppath ? strlen(ppath) : 0;

	if (!ppath || has_children(v) || v->concept->max != 1 ||
	    !mapping_path(w, v->concept, vpath, sizeof(vpath)))
		return 0;
	for (u = first; u; u = u->next) {
		size_t ul;
		if (u == v || !has_children(u) || u->concept->max == 1 ||
		    !mapping_path(w, u->concept, elem, size))
			continue;
		ul = strlen(elem);
		if (ul > pl && strncmp(elem, ppath, pl) == 0 && elem[pl] == '.' &&
		    strncmp(vpath, elem, ul) == 0 && vpath[ul] == '.')
			return 1;
	}
	return 0;
}

static size_t count_children(const struct fhir_node *n, const char *name)
{
	const struct fhir_node *c;
	size_t k = 0;

	for (c = n ? n->children : NULL; c; c = c->next)
		k += strcmp(c->name, name) == 0;
	return k;
}

/* Writes v (see inside_sibling_element) into each element named by the
 * last step of elem that the group's values added below pnode beyond the
 * first `before` ones (a new one sorts after those of its name); into
 * pnode as usual when they added none. */
static void write_in_each(struct writer *w, struct wres *x, const struct zib_value *v,
	struct fhir_node *pnode, const char *ppath, const char *elem, size_t before)
{
	const char *name = strrchr(elem, '.') + 1;
	struct fhir_node *c;
	size_t k = 0;
	int done = 0;

	for (c = pnode->children; c && !w->failed; c = c->next) {
		if (strcmp(c->name, name) != 0 || k++ < before)
			continue;
		write_value(w, x, v, c, elem);
		done = 1;
	}
	if (!done)
		write_value(w, x, v, pnode, ppath);
}

static int write_values(struct writer *w, struct wres *x, const struct zib_value *first,
	struct fhir_node *pnode, const char *ppath)
{
	enum { MAX_SPREAD = 8 };
	const struct zib_value *v, *spread[MAX_SPREAD];
	size_t before[MAX_SPREAD], nspread = 0, i;
	char elem[1024];

	/* What is written into each of the siblings' elements waits for them;
	 * the elements there already are not theirs. */
	for (v = first; v && pnode && nspread < MAX_SPREAD; v = v->next)
		if (inside_sibling_element(w, first, v, ppath, elem, sizeof(elem))) {
			spread[nspread] = v;
			before[nspread++] = count_children(pnode, strrchr(elem, '.') + 1);
		}
	for (v = first; v && !w->failed; v = v->next) {
		struct fhir_node *pn = pnode;
		for (i = 0; i < nspread && spread[i] != v; i++)
			;
		if (i < nspread)
			continue;
		if (repeats_parent(w, first, v, pnode, ppath) && (pn = add(w, pnode->parent, pnode->name)) == NULL)
			return -1;
		write_value(w, x, v, pn, ppath);
	}
	for (i = 0; i < nspread && !w->failed; i++) {
		inside_sibling_element(w, first, spread[i], ppath, elem, sizeof(elem));
		write_in_each(w, x, spread[i], pnode, ppath, elem, before[i]);
	}
	return w->failed ? -1 : 0;
}

/* subject / patient of every resource that has one: the Patient. */
static void link_patient(struct writer *w, struct wres *x)
{
	static const char *const names[] = { "subject", "patient", "beneficiary", NULL };
	size_t i;

	if (!w->patient || x == w->patient)
		return;
	for (i = 0; names[i]; i++) {
		const struct fhir_elem *e = elem_of(w, x->node, names[i]);
		struct fhir_node *ref;
		if (!e || strcmp(e->type_code, "Reference") != 0 || first_child(x->node, names[i]))
			continue;
		if ((ref = add(w, x->node, names[i])) != NULL)
			add_value(w, ref, "reference", w->patient->ref);
		return;
	}
}

/* ---- MP9 medication resources: the elements FHIR and the profiles require ----
 * MedicationRequest.status and .intent, MedicationDispense.status and
 * MedicationStatement.status (R4 1..1; STU3 intent and MedicationStatement
 * status and taken 1..1), and the category each profile fixes (min 1).
 * The statuses follow the profiles' guidance (Nictiz-R4-MedicationProcess
 * mp-MedicationAgreement, mp-AdministrationAgreement, mp-MedicationUse2
 * .status comments) as far as it needs no clock: output is the same
 * whenever it is made, so "is the end date past" is never asked. */
#define SNOMED_URI "http://snomed.info/sct"

static const struct med_res {
	const char *root;            /* the zib's root concept */
	const char *stop_type, *period, *indicator;
	const char *category_fhir4;  /* SNOMED pattern of the R4 mp- profile */
	const char *fhir3_system, *category_fhir3;   /* the zib2017 profile's, on FHIR STU3 */
} med_res[] = {
	{ "NL-CM:9.6.9580", "NL-CM:9.6.19954", "NL-CM:9.6.19936", NULL,
	  "33633005", SNOMED_URI, "16076005" },
	{ "NL-CM:9.8.20132", "NL-CM:9.8.22498", "NL-CM:9.8.22660", "NL-CM:9.8.23034",
	  "422037009", SNOMED_URI, "422037009" },
	{ "NL-CM:9.11.21338", "NL-CM:9.11.23132", "NL-CM:9.11.22663", "NL-CM:9.11.22399",
	  "422979000", "urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3", "6" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};

static const struct med_res *med_res_of(const struct zib_instance *inst)
{
	size_t i;

	for (i = 0; inst && med_res[i].root; i++)
		if (strcmp(inst->model->concepts[0].id, med_res[i].root) == 0)
			return &med_res[i];
	return NULL;
}

/* The status a StopType says: temporary (zib2017 code 1, zib2020
 * 113381000146106, MP9 3.0 385655000) is on-hold, definitive (2,
 * 113371000146109, 410546004) stopped, cancelled (89925002) cancelled
 * where the resource has that status. */
static const char *stop_status(const struct zib_value *v, int can_cancel)
{
	if (!v || !v->code)
		return NULL;
	if (model_list_has("1 113381000146106 385655000", v->code))
		return "on-hold";
	if (model_list_has("2 113371000146109 410546004", v->code))
		return "stopped";
	return can_cancel && strcmp(v->code, "89925002") == 0 ? "cancelled" : NULL;
}

/* Has the Gebruiksperiode a start and no end or duration: in force from
 * its start on? */
static int open_ended(const struct zib_value *period)
{
	return period && value_of(period->children, "NL-CM:20.3.2") &&
		!value_of(period->children, "NL-CM:20.3.3") && !value_of(period->children, "NL-CM:20.3.4");
}

/* The R4 status of medication resource x. */
static const char *med_status_r4(const struct wres *x, const struct med_res *m)
{
	const struct zib_value *first = x->inst->values;
	const struct zib_value *ind = m->indicator ? value_of(first, m->indicator) : NULL;
	const struct zib_value *period = value_of(first, m->period);
	const char *stop = stop_status(value_of(first, m->stop_type),
		strcmp(x->type, "MedicationStatement") != 0);

	if (strcmp(x->type, "MedicationDispense") == 0) {
		/* GeannuleerdIndicator; else the profile's "unable to infer
		 * the status: unknown" (the reader reads any status but
		 * entered-in-error as not cancelled). */
		if (ind && ind->text && ind->boolean)
			return "entered-in-error";
		return stop ? stop : "unknown";
	}
	if (strcmp(x->type, "MedicationStatement") == 0) {
		/* GebruikIndicator false first: status is its only home (the
		 * StopType has its own modifierExtension). */
		if (ind && ind->text && !ind->boolean)
			return "not-taken";
		if (stop)
			return stop;
		return period ? "active" : "unknown";
	}
	/* MedicationRequest: a StopType; an agreement with a start and no
	 * end is in force (active); an end or duration needs today's date to
	 * say active or completed, so unknown, as the profile says. */
	if (stop)
		return stop;
	return open_ended(period) ? "active" : "unknown";
}

static void add_category(struct writer *w, struct fhir_node *r, const char *system, const char *code)
{
	struct fhir_node *cc, *coding;

	if (first_child(r, "category") || !(cc = add(w, r, "category")) || !(coding = add(w, cc, "coding")))
		return;
	add_value(w, coding, "system", system);
	add_value(w, coding, "code", code);
}

/* FHIR STU3 MedicationDispense.status (0..1) of GeannuleerdIndicator ind:
 * true is entered-in-error; false has no code of its own, but a StopType's
 * on-hold or stopped says it too (the reader reads either as false). */
static void fhir3_dispense_status(struct writer *w, struct wres *x, const struct med_res *m,
	const struct zib_value *ind)
{
	const char *stop = stop_status(value_of(x->inst->values, m->stop_type), 0);

	if (ind->boolean)
		add_value(w, x->node, "status", "entered-in-error");
	else if (stop)
		add_value(w, x->node, "status", stop);
	else
		not_carried(w, ind, "FHIR STU3 MedicationDispense.status has no code for not cancelled");
}

/* Fills in what medication resource x requires and its values left out. */
static void med_required(struct writer *w, struct wres *x)
{
	const struct med_res *m = x->sub_path ? NULL : med_res_of(x->inst);
	struct fhir_node *r = x->node;

	if (!m)
		return;
	if (w->rel->fhir_major < 4) {
		const struct zib_value *ind = m->indicator ? value_of(x->inst->values, m->indicator) : NULL;
		add_category(w, r, m->fhir3_system, m->category_fhir3);
		if (strcmp(x->type, "MedicationRequest") == 0 && !first_child(r, "intent"))
			add_value(w, r, "intent", "order");   /* fixed by zib-MedicationAgreement */
		if (strcmp(x->type, "MedicationDispense") == 0 && ind && ind->text && !first_child(r, "status"))
			fhir3_dispense_status(w, x, m, ind);
		if (strcmp(x->type, "MedicationStatement") == 0) {
			/* No StopType: active, as the BgZ fixtures write it;
			 * GebruikIndicator unknown: unk. */
			if (!first_child(r, "status"))
				add_value(w, r, "status", "active");
			if (!first_child(r, "taken"))
				add_value(w, r, "taken", "unk");
		}
		return;
	}
	if (!first_child(r, "status"))
		add_value(w, r, "status", med_status_r4(x, m));
	add_category(w, r, SNOMED_URI, m->category_fhir4);
	if (strcmp(x->type, "MedicationRequest") == 0 && !first_child(r, "intent"))
		add_value(w, r, "intent", "order");   /* mp-MedicationAgreement: unless recorded, order */
}

/* An indicator whose home is the status of a medication resource
 * (GebruikIndicator in R4, GeannuleerdIndicator): med_required writes it
 * with the rest of the status.  Returns 1 when v is one of them. */
static int med_status_value(struct writer *w, const struct zib_value *v)
{
	const struct med_res *m;
	char path[256];
	size_t pl;

	if (v->type != ZIB_VALUE_BL || !mapping_path(w, v->concept, path, sizeof(path)))
		return 0;
	pl = strlen(path);
	if (pl < 7 || strcmp(path + pl - 7, ".status") != 0)
		return 0;
	for (m = med_res; m->root; m++)
		if (m->indicator && strcmp(m->indicator, v->concept->id) == 0)
			break;
	return m->root != NULL;
}

static const char *file_stem(struct arena *a, const char *file)
{
	const char *base, *dot;

	if (!file)
		return "-";
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	dot = strrchr(base, '.');
	return dot && dot != base ? arena_strndup(a, base, (size_t)(dot - base)) : base;
}

/* ---- document Bundles: the Composition ---- */

/* The latest date of doc's values as a FHIR dateTime (so a document's
 * date is reproducible), or NULL. */
static const char *latest_date(struct writer *w, const struct zib_value *v, const char *best)
{
	for (; v; v = v->next) {
		if (v->type == ZIB_VALUE_TS && v->text) {
			const char *d = fhir_datetime(w, v->text);
			if (d && isdigit((unsigned char)d[0]) && (!best || strcmp(d, best) > 0))
				best = d;
		}
		best = latest_date(w, v->children, best);
	}
	return best;
}

/* An instant for Bundle.timestamp from a date or dateTime: a date, or a
 * time without zone, is the start of its day in UTC. */
static const char *instant_of(struct writer *w, const char *d)
{
	if (!d)
		return NULL;
	if (strlen(d) == 4)
		return arena_printf(&w->t->arena, "%s-01-01T00:00:00Z", d);
	if (strlen(d) == 7)
		return arena_printf(&w->t->arena, "%s-01T00:00:00Z", d);
	if (strlen(d) == 10)
		return arena_printf(&w->t->arena, "%sT00:00:00Z", d);
	if (!strchr(d + 10, '+') && !strchr(d + 10, 'Z') && !strchr(d + 11, '-'))
		return arena_printf(&w->t->arena, "%.10sT00:00:00Z", d);   /* no zone made up: its date */
	return d;
}

/* Numeric order of a BgZ model number ("7" < "26" < "R1"). */
static int model_order(const struct zib_model *m)
{
	const char *n = m->number ? m->number : "";

	if (isdigit((unsigned char)*n))
		return atoi(n);
	if (*n == 'R')
		return 100 + atoi(n + 1);
	return 1000;
}

struct section {
	const char *title;
	int order;
};

static int cmp_sections(const void *a, const void *b)
{
	const struct section *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->title, y->title);
}

/*
 * Fills the Composition of a document Bundle: the BgZ Patient summary
 * (LOINC 60591-5), the Patient as subject, dated by the data, with one
 * section per BgZ section referencing the resources of its zibs in
 * document order.
 */
static void fill_composition(struct writer *w, struct fhir_node *comp, struct wres **made,
	size_t nmade)
{
	const struct zib_instance *inst;
	struct section *secs;
	struct fhir_node *cc, *coding, *n, *author;
	const char *date = NULL;
	const struct wres *org = NULL;
	size_t i, k, nsecs = 0;

	for (inst = w->doc->instances; inst; inst = inst->next)
		date = latest_date(w, inst->values, date);
	add_value(w, comp, "status", "final");
	if ((cc = add(w, comp, "type")) != NULL && (coding = add(w, cc, "coding")) != NULL) {
		add_value(w, coding, "system", "http://loinc.org");
		add_value(w, coding, "code", "60591-5");
		add_value(w, coding, "display", "Patient summary Document");
	}
	if (w->patient && (n = add(w, comp, "subject")) != NULL)
		add_value(w, n, "reference", w->patient->ref);
	add_value(w, comp, "date", date);
	for (i = 0; i < nmade && !org; i++)
		if (made[i] && !made[i]->sub_path && strcmp(made[i]->type, "Organization") == 0)
			org = made[i];
	if ((author = add(w, comp, "author")) != NULL) {
		if (org)
			add_value(w, author, "reference", org->ref);
		else
			add_value(w, author, "display", "zib convert");
	}
	add_value(w, comp, "title", "Basisgegevensset Zorg");
	if (date && (n = first_child(w->bundle_node, "timestamp")) == NULL)
		add_value(w, w->bundle_node, "timestamp", instant_of(w, date));
	secs = arena_alloc(&w->t->arena, (nmade ? nmade : 1) * sizeof(*secs));
	if (!secs) {
		w->failed = 1;
		return;
	}
	for (i = 0; i < nmade; i++) {
		const struct zib_model *m;
		if (!made[i] || made[i]->sub_path || !made[i]->inst || !made[i]->inst->model->section)
			continue;
		m = made[i]->inst->model;
		for (k = 0; k < nsecs && strcmp(secs[k].title, m->section) != 0; k++)
			;
		if (k == nsecs) {
			secs[nsecs].title = m->section;
			secs[nsecs].order = model_order(m);
			nsecs++;
		} else if (model_order(m) < secs[k].order) {
			secs[k].order = model_order(m);
		}
	}
	qsort(secs, nsecs, sizeof(*secs), cmp_sections);
	for (k = 0; k < nsecs; k++) {
		struct fhir_node *sec = add(w, comp, "section");
		if (!sec)
			return;
		add_value(w, sec, "title", secs[k].title);
		for (i = 0; i < nmade; i++) {
			struct fhir_node *e;
			if (!made[i] || made[i]->sub_path || !made[i]->inst ||
			    !made[i]->inst->model->section ||
			    strcmp(made[i]->inst->model->section, secs[k].title) != 0)
				continue;
			if (i > 0 && made[i] == made[i - 1])
				continue;
			if ((e = add(w, sec, "entry")) != NULL)
				add_value(w, e, "reference", made[i]->ref);
		}
	}
}

int zib_doc_to_fhir_r4(zib_fhir **out, const zib_doc *doc, const zib_fhir_write_options *opts,
	zib_report *report, zib_error *err)
{
	zib_fhir_write_options o = ZIB_FHIR_WRITE_OPTIONS_INIT;

	if (opts) {
		o.bundle = opts->bundle;
		o.id_seed = opts->id_seed;
		o.select = opts->select;
		o.select_data = opts->select_data;
		o.type_refs = opts->type_refs;
		o.strict = opts->strict;
	}
	o.release = ZIB_FHIR_R4;
	return zib_doc_to_fhir(out, doc, &o, report, err);
}

/* The release opts name: release_id (version 3), else the deprecated
 * enum (version 2), else the default; NULL for an unknown release_id. */
static const struct zib_release *release_of_options(const zib_fhir_write_options *opts)
{
	const struct zib_release *rel;

	if (opts && opts->version >= 3 && opts->release_id) {
		rel = release_by_id(opts->release_id);
		return rel ? rel : release_by_fhir_version(opts->release_id);
	}
	if (opts && opts->version >= 2 && opts->release == ZIB_FHIR_STU3)
		return release_by_fhir_version("3.0");
	return release_default();
}

/* Does a zib of the release live in an element of the Patient (zib2017
 * Contactpersoon in Patient.contact)?  Then the Patient is begun first. */
static int holds_zibs_in_patient(const struct writer *w)
{
	size_t i;

	for (i = 0; i < w->doc->ctx->nmodels; i++) {
		const struct zib_model *m = &w->doc->ctx->models[i];
		const char *map = root_mapping(w, m), *hash = map ? strchr(map, '#') : NULL;
		if (hash && strcmp(m->name_nl, "Patient") != 0 && strncmp(hash, "#Patient.", 9) == 0)
			return 1;
	}
	return 0;
}

int zib_doc_to_fhir(zib_fhir **out, const zib_doc *doc, const zib_fhir_write_options *opts,
	zib_report *report, zib_error *err)
{
	static const char *const bundle_types[] = { "collection", "transaction", "document" };
	struct writer w;
	struct zib_fhir *t;
	const struct zib_instance *inst;
	struct wres **made = NULL;
	struct fhir_node *comp = NULL;
	const char *not_carried_fmt;
	size_t i, n;
	int pass, patient_first;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	arena_init(&t->arena);
	memset(&w, 0, sizeof(w));
	w.rel = release_of_options(opts);
	if (!w.rel) {
		free(t);
		return error_set(err, ZIB_EINVAL, "unknown release '%s' (zib2020, zib2017)", opts->release_id);
	}
	t->defs = fhir_defs_of(w.rel);
	if (!t->defs) {
		free(t);
		return error_set(err, ZIB_ENOMEM, "out of memory");
	}
	t->prim_type = fhir_type_find(t->defs, "Extension");
	t->format = ZIB_FORMAT_FHIR_JSON;
	t->file = doc->file ? arena_strdup(&t->arena, doc->file) : NULL;
	w.t = t;
	w.doc = doc;
	not_carried_fmt = arena_printf(&t->arena, "%%s instance not carried to %s: the zib has no %s "
		"resource mapping%%s", w.rel->fhir_name, w.rel->fhir_name + strlen("FHIR "));
	w.report = report;
	w.bundle = opts ? (int)opts->bundle : ZIB_BUNDLE_COLLECTION;
	if (w.bundle < ZIB_BUNDLE_COLLECTION || w.bundle > ZIB_BUNDLE_DOCUMENT)
		w.bundle = ZIB_BUNDLE_COLLECTION;
	w.type_refs = opts && opts->type_refs;
	w.strict = opts && opts->strict;
	strmap_init(&w.by_inst, 0);
	strmap_init(&w.uuids, 0);
	w.seed = opts && opts->id_seed ? opts->id_seed : file_stem(&t->arena, doc->file);
	t->root = arena_alloc(&t->arena, sizeof(*t->root));
	if (!t->root)
		goto oom;
	memset(t->root, 0, sizeof(*t->root));
	t->root->kind = FHIR_K_RESOURCE;
	t->root->name = "";
	t->root->type = fhir_resource_type(t->defs, "Bundle");
	w.bundle_node = t->root;
	add_value(&w, t->root, "id", make_uuid(&w, w.seed, "Bundle", NULL));
	if (w.bundle == ZIB_BUNDLE_DOCUMENT) {
		/* A document is identified (bdl-9) and timestamped (bdl-10). */
		struct fhir_node *ident = add(&w, t->root, "identifier");
		if (ident) {
			add_value(&w, ident, "system", "urn:ietf:rfc:3986");
			add_value(&w, ident, "value", arena_printf(&t->arena, "urn:uuid:%s",
				make_uuid(&w, w.seed, "Bundle", NULL)));
		}
	}
	add_value(&w, t->root, "type", bundle_types[w.bundle]);
	made = calloc(doc->ninstances ? doc->ninstances : 1, sizeof(*made));
	if (!made)
		goto oom;
	if (w.bundle == ZIB_BUNDLE_DOCUMENT) {
		/* The Composition is the first entry; filled at the end. */
		struct wres *cx = arena_alloc(&t->arena, sizeof(*cx));
		if (!cx)
			goto oom;
		memset(cx, 0, sizeof(*cx));
		comp = new_entry(&w, "Composition", make_uuid(&w, w.seed, "Composition", NULL), cx);
		if (!comp)
			goto oom;
	}
	/* Resources first, so references resolve whatever the order.  The
	 * Patient first where other zibs live in it (zib2017 Patient.contact). */
	patient_first = holds_zibs_in_patient(&w);
	for (pass = patient_first ? 0 : 1; pass <= 1; pass++) {
		for (inst = doc->instances, n = 0; inst && !w.failed; inst = inst->next, n++) {
			int is_patient = strcmp(inst->model->name_nl, "Patient") == 0;
			if (opts && opts->select && !opts->select(inst, opts->select_data))
				continue;
			if (patient_first && (pass == 0) != is_patient)
				continue;
			made[n] = begin_instance(&w, inst, n);
			if (!made[n])
				warn(&w, ZIB_CONV_CODE_NOT_CARRIED, inst->line, inst->path, not_carried_fmt,
					inst->model->name_nl, NULL);
		}
	}
	for (inst = doc->instances, i = 0; inst && !w.failed; inst = inst->next, i++) {
		struct fhir_node *sub;
		if (!made[i])
			continue;
		if (made[i]->sub_path) {
			/* Patient.contact: a new element of the Patient per instance. */
			const char *last = strrchr(made[i]->sub_path, '.');
			sub = add(&w, made[i]->node, last + 1);
			if (!sub) {
				not_carried(&w, inst->values ? inst->values : NULL, "no element for it");
				continue;
			}
			write_values(&w, made[i], inst->values, sub, made[i]->sub_path);
			continue;
		}
		write_values(&w, made[i], inst->values, made[i]->node, NULL);
		med_required(&w, made[i]);
		link_patient(&w, made[i]);
		if (w.rel->fhir_major >= 4 && write_required(&w, made[i]))
			goto oom;
	}
	if (comp && !w.failed)
		fill_composition(&w, comp, made, doc->ninstances);
	for (i = 0; i < doc->nunmapped && report && !(opts && opts->select); i++) {
		const struct unmapped *u = &doc->unmapped[i];
		warn(&w, ZIB_CONV_CODE_UNMAPPED, u->line, u->path, "not carried to %s: %s",
			w.rel->fhir_name, u->what);
	}
	if (w.failed)
		goto oom;
	free(made);
	strmap_release(&w.by_inst);
	strmap_release(&w.uuids);
	*out = t;
	return ZIB_OK;
oom:
	free(made);
	strmap_release(&w.by_inst);
	strmap_release(&w.uuids);
	zib_fhir_free(t);
	return error_set(err, ZIB_ENOMEM, "out of memory writing FHIR");
}

int zib_fhir_write_ndjson_entries(char **out, size_t *len, zib_fhir *bundle, zib_error *err)
{
	struct fhir_node *root = bundle->root, *e, *r;
	struct buf b = BUF_INIT;
	int rc = ZIB_OK;

	*out = NULL;
	*len = 0;
	for (e = root ? root->children : NULL; e && rc == ZIB_OK; e = e->next) {
		char *one;
		size_t n;
		if (strcmp(e->name, "entry") != 0 || !(r = first_child(e, "resource")))
			continue;
		/* The writer writes the tree's root: point it at the resource. */
		bundle->root = r;
		rc = zib_fhir_write_json(&one, &n, bundle, 0, err);
		bundle->root = root;
		if (rc == ZIB_OK) {
			buf_append(&b, one, n);
			free(one);
		}
	}
	if (rc == ZIB_OK && b.oom)
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
	if (rc != ZIB_OK) {
		buf_release(&b);
		return rc;
	}
	*out = b.data ? buf_detach(&b, len) : calloc(1, 1);
	return *out ? ZIB_OK : error_set(err, ZIB_ENOMEM, "out of memory");
}

int zib_fhir_each_resource(zib_fhir *bundle, int xml, int flags,
	int (*each)(const char *type, const char *id, const char *data, size_t len, void *each_data),
	void *each_data, zib_error *err)
{
	struct fhir_node *root = bundle->root, *e, *r, *id;
	int rc = ZIB_OK;

	for (e = root ? root->children : NULL; e && rc >= 0; e = e->next) {
		char *one;
		size_t n;
		if (strcmp(e->name, "entry") != 0 || !(r = first_child(e, "resource")))
			continue;
		id = first_child(r, "id");
		/* The writer writes the tree's root: point it at the resource. */
		bundle->root = r;
		rc = xml ? zib_fhir_write_xml(&one, &n, bundle, flags, err) :
			zib_fhir_write_json(&one, &n, bundle, flags, err);
		bundle->root = root;
		if (rc == ZIB_OK) {
			rc = each(fhir_resource_name(r), id && id->value ? id->value : "", one, n, each_data);
			free(one);
		}
	}
	return rc < 0 ? rc : ZIB_OK;
}
