/*
 * Unit tests of the ADA reader (lib/ada): ranges given in parts, as the
 * zib2017 and MP 9.0 ADA datasets write Keerdosis, Frequentie and
 * Toedieningssnelheid (an aantal/waarde of min, max, vaste_waarde, an
 * eenheid, a tijdseenheid), read as the zib's minimumWaarde, maximumWaarde
 * and nominaleWaarde PQs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/doc.h"
#include "zib.h"

#define KEERDOSIS "NL-CM:9.12.19940"
#define FREQUENTIE "NL-CM:9.12.19949"
#define SNELHEID "NL-CM:9.12.19942"
#define MINIMUM "NL-CM:20.1.2"
#define MAXIMUM "NL-CM:20.1.3"
#define NOMINAAL "NL-CM:20.1.4"

/* An ADA Medicatieafspraak with one dosering holding the XML dosering. */
static struct zib_doc *read_dosering(zib_ctx *ctx, const char *dosering)
{
	char xml[4096];
	struct zib_doc *doc = NULL;
	zib_error err;
	int n = snprintf(xml, sizeof(xml),
		"<beschikbaarstellen_medicatiegegevens app=\"mp-mp9\" transactionRef=\"x\">\n"
		"<medicatieafspraak id=\"ma1\">\n"
		"<gebruiksinstructie><doseerinstructie><dosering>\n%s\n"
		"</dosering></doseerinstructie></gebruiksinstructie>\n"
		"</medicatieafspraak>\n"
		"</beschikbaarstellen_medicatiegegevens>\n", dosering);

	if (n < 0 || (size_t)n >= sizeof(xml))
		return NULL;
	if (zib_doc_read(&doc, ctx, "t.xml", xml, (size_t)n, NULL, &err) != 0)
		return NULL;
	return doc;
}

static const struct zib_value *find(const struct zib_value *v, const char *id)
{
	for (; v; v = v->next) {
		const struct zib_value *c;
		if (v->concept && strcmp(v->concept->id, id) == 0)
			return v;
		if ((c = find(v->children, id)) != NULL)
			return c;
	}
	return NULL;
}

/* The part id of the range group id in doc's first instance. */
static const struct zib_value *range_part(const struct zib_doc *doc, const char *group, const char *id)
{
	const struct zib_value *g = doc && doc->instances ? find(doc->instances->values, group) : NULL;

	return g ? find(g->children, id) : NULL;
}

static int has_unmapped(const struct zib_doc *doc, const char *what)
{
	size_t i;

	for (i = 0; i < doc->nunmapped; i++)
		if (strstr(doc->unmapped[i].what, what))
			return 1;
	return 0;
}

#define STUK "<eenheid code=\"ST\" codeSystem=\"2.16.840.1.113883.2.4.4.1.900.2\" displayName=\"STUK\"/>"

TEST(ada, keerdosis_range_with_g_standaard_unit)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	struct zib_doc *doc;
	const struct zib_value *v;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	doc = read_dosering(ctx, "<keerdosis><aantal><min value=\"0\"/><max value=\"1\"/></aantal>" STUK "</keerdosis>");
	ASSERT(doc != NULL);
	v = range_part(doc, KEERDOSIS, MINIMUM);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("0", v->number);
	ASSERT_STR_EQ("ST", v->unit);
	ASSERT_STR_EQ("2.16.840.1.113883.2.4.4.1.900.2", v->system);
	ASSERT_STR_EQ("STUK", v->display);
	ASSERT(v->per == NULL);
	v = range_part(doc, KEERDOSIS, MAXIMUM);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("1", v->number);
	ASSERT_STR_EQ("ST", v->unit);
	ASSERT(range_part(doc, KEERDOSIS, NOMINAAL) == NULL);
	ASSERT(!has_unmapped(doc, "eenheid"));
	ASSERT(!has_unmapped(doc, "min"));
	zib_doc_free(doc);

	/* A fixed dose in a UCUM unit: no system (NULL is UCUM), no display. */
	doc = read_dosering(ctx, "<keerdosis><aantal><vaste_waarde value=\"2.5\"/></aantal>"
		"<eenheid code=\"mL\" codeSystem=\"2.16.840.1.113883.6.8\" displayName=\"milliliter\"/></keerdosis>");
	ASSERT(doc != NULL);
	v = range_part(doc, KEERDOSIS, NOMINAAL);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("2.5", v->number);
	ASSERT_STR_EQ("mL", v->unit);
	ASSERT(v->system == NULL);
	ASSERT(v->display == NULL);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

TEST(ada, frequentie_per_tijdseenheid_as_fhir_reads_it)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	struct zib_doc *doc;
	const struct zib_value *v;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	doc = read_dosering(ctx, "<toedieningsschema><frequentie><aantal><vaste_waarde value=\"3\"/></aantal>"
		"<tijdseenheid value=\"1\" unit=\"dag\"/></frequentie></toedieningsschema>");
	ASSERT(doc != NULL);
	v = range_part(doc, FREQUENTIE, NOMINAAL);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("3", v->number);
	ASSERT_STR_EQ("/d", v->unit);
	ASSERT(v->system == NULL);
	ASSERT(!has_unmapped(doc, "tijdseenheid"));
	zib_doc_free(doc);

	/* 2 to 4 times per 8 hours: the FHIR reader's "/(8.h)". */
	doc = read_dosering(ctx, "<toedieningsschema><frequentie><aantal><min value=\"2\"/><max value=\"4\"/></aantal>"
		"<tijdseenheid value=\"8\" unit=\"uur\"/></frequentie></toedieningsschema>");
	ASSERT(doc != NULL);
	v = range_part(doc, FREQUENTIE, MINIMUM);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("2", v->number);
	ASSERT_STR_EQ("/(8.h)", v->unit);
	v = range_part(doc, FREQUENTIE, MAXIMUM);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("4", v->number);
	ASSERT_STR_EQ("/(8.h)", v->unit);
	zib_doc_free(doc);

	/* A time unit that is no ADA time unit is not guessed: kept unread. */
	doc = read_dosering(ctx, "<toedieningsschema><frequentie><aantal><vaste_waarde value=\"3\"/></aantal>"
		"<tijdseenheid value=\"1\" unit=\"etmaal\"/></frequentie></toedieningsschema>");
	ASSERT(doc != NULL);
	ASSERT(range_part(doc, FREQUENTIE, NOMINAAL) == NULL);
	ASSERT(has_unmapped(doc, "tijdseenheid"));
	ASSERT(has_unmapped(doc, "vaste_waarde"));
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

TEST(ada, ada_time_units_map_to_ucum)
{
	static const char *const units[][2] = {
		{ "seconde", "/s" }, { "minuut", "/min" }, { "uur", "/h" }, { "dag", "/d" },
		{ "week", "/wk" }, { "maand", "/mo" }, { "jaar", "/a" },
	};
	zib_ctx *ctx = NULL;
	zib_error err;
	size_t i;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char xml[512];
		struct zib_doc *doc;
		const struct zib_value *v;
		snprintf(xml, sizeof(xml), "<toedieningsschema><frequentie><aantal><vaste_waarde value=\"1\"/>"
			"</aantal><tijdseenheid value=\"1\" unit=\"%s\"/></frequentie></toedieningsschema>", units[i][0]);
		doc = read_dosering(ctx, xml);
		ASSERT(doc != NULL);
		v = range_part(doc, FREQUENTIE, NOMINAAL);
		ASSERT(v != NULL);
		ASSERT_STR_EQ(units[i][1], v->unit);
		zib_doc_free(doc);
	}
	zib_ctx_free(ctx);
}

/* A rate: a waarde in an eenheid per tijdseenheid keeps the eenheid as the
 * unit and the tijdseenheid as per. */
TEST(ada, toedieningssnelheid_rate_in_parts)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	struct zib_doc *doc;
	const struct zib_value *v;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	doc = read_dosering(ctx, "<toedieningssnelheid><waarde><vaste_waarde value=\"20\"/></waarde>"
		"<eenheid code=\"233\" codeSystem=\"2.16.840.1.113883.2.4.4.1.900.2\" displayName=\"ml\"/>"
		"<tijdseenheid value=\"1\" unit=\"uur\"/></toedieningssnelheid>");
	ASSERT(doc != NULL);
	v = range_part(doc, SNELHEID, NOMINAAL);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("20", v->number);
	ASSERT_STR_EQ("233", v->unit);
	ASSERT_STR_EQ("2.16.840.1.113883.2.4.4.1.900.2", v->system);
	ASSERT_STR_EQ("ml", v->display);
	ASSERT_STR_EQ("h", v->per);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* MP 9.0 time quantities in ADA time units are UCUM; the zib2020 shape (a
 * range's PQs with their UCUM unit) is read as written. */
TEST(ada, time_quantities_in_ada_units)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	struct zib_doc *doc;
	const struct zib_value *v;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	doc = read_dosering(ctx, "<toedieningsduur value=\"30\" unit=\"minuut\"/>"
		"<toedieningsschema><interval value=\"8\" unit=\"uur\"/></toedieningsschema>");
	ASSERT(doc != NULL);
	v = find(doc->instances->values, "NL-CM:9.12.19950");   /* Interval */
	ASSERT(v != NULL);
	ASSERT_STR_EQ("8", v->number);
	ASSERT_STR_EQ("h", v->unit);
	v = range_part(doc, "NL-CM:9.12.23141", "NL-CM:20.3.4");   /* Toedieningsduur tijdsDuur */
	ASSERT(v != NULL);
	ASSERT_STR_EQ("30", v->number);
	ASSERT_STR_EQ("min", v->unit);
	zib_doc_free(doc);

	doc = read_dosering(ctx, "<toedieningsschema><frequentie><nominale_waarde value=\"3\" unit=\"/d\"/>"
		"</frequentie></toedieningsschema><keerdosis><nominale_waarde value=\"1\" unit=\"dag\"/></keerdosis>");
	ASSERT(doc != NULL);
	v = range_part(doc, FREQUENTIE, NOMINAAL);
	ASSERT(v != NULL);
	ASSERT_STR_EQ("/d", v->unit);
	v = range_part(doc, KEERDOSIS, NOMINAAL);   /* no time quantity: as written */
	ASSERT(v != NULL);
	ASSERT_STR_EQ("dag", v->unit);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* The BgZ MSZ 2.0 test patient D: 0 to 1 STUK, 3 times a day, in both the
 * Medicatieafspraak and the MedicatieGebruik. */
TEST(ada, corpus_bgz_msz_patient_d_dose_and_frequency)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	zib_ctx *ctx = NULL;
	zib_error err;
	zib_doc *doc = NULL;
	const struct zib_instance *inst;
	int seen = 0;
	NEED_CORPUS(corpus);

	snprintf(path, sizeof(path), "%s/ada-bgz-msz-2.0/ada_instance/BgZ-msz-tst-patD-SLB.xml", corpus);
	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	ASSERT_INT_EQ(0, zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err));
	ASSERT_INT_EQ(0, zib_doc_read(&doc, ctx, path, data, len, NULL, &err));
	for (inst = doc->instances; inst; inst = inst->next) {
		const struct zib_value *k = find(inst->values, KEERDOSIS), *f = find(inst->values, FREQUENTIE);
		const struct zib_value *v;
		if (!k)
			continue;
		seen++;
		v = find(k->children, MINIMUM);
		ASSERT(v != NULL);
		ASSERT_STR_EQ("0", v->number);
		ASSERT_STR_EQ("ST", v->unit);
		ASSERT_STR_EQ("2.16.840.1.113883.2.4.4.1.900.2", v->system);
		ASSERT_STR_EQ("STUK", v->display);
		v = find(k->children, MAXIMUM);
		ASSERT(v != NULL);
		ASSERT_STR_EQ("1", v->number);
		ASSERT(f != NULL);
		v = find(f->children, NOMINAAL);
		ASSERT(v != NULL);
		ASSERT_STR_EQ("3", v->number);
		ASSERT_STR_EQ("/d", v->unit);
	}
	ASSERT_INT_EQ(2, seen);
	zib_doc_free(doc);
	free(data);
	zib_ctx_free(ctx);
}
