/*
 * Unit tests of the FHIR zib writer (lib/fhir/zib_write.c): CDA -> zib_doc
 * -> FHIR R4 JSON -> zib_doc gives the same zibs, compared value by value
 * with the lib/diff API; the output is deterministic; nullFlavors and
 * identifiers travel; what cannot be carried is reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "zib.h"

static zib_ctx *ctx_load(void)
{
	zib_ctx *ctx = NULL;
	zib_error err;

	if (zib_ctx_new(&ctx, NULL, &err) != ZIB_OK)
		return NULL;
	return ctx;
}

static zib_doc *read_path(const zib_ctx *ctx, const char *path)
{
	zib_doc *doc = NULL;
	zib_error err;
	char *data = NULL;
	size_t len;

	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		return NULL;
	zib_doc_read(&doc, ctx, path, data, len, NULL, &err);
	free(data);
	return doc;
}

/* The doc written as R4 JSON (malloc'd), warnings counted in *warnings. */
static char *to_r4(const zib_doc *doc, size_t *len, size_t *warnings)
{
	zib_report *report = NULL;
	zib_fhir *f = NULL;
	zib_error err;
	char *json = NULL;

	if (zib_report_new(&report) < 0)
		return NULL;
	if (zib_doc_to_fhir_r4(&f, doc, NULL, report, &err) == ZIB_OK)
		zib_fhir_write_json(&json, len, f, 0, &err);
	if (warnings)
		*warnings = zib_report_count_severity(report, ZIB_SEV_WARNING);
	zib_fhir_free(f);
	zib_report_free(report);
	return json;
}

/* The differences of diff but those the R4 writer reports as the price of
 * conformant R4 (man zib-convert, ZIB-CONV-003): a time of day without
 * zone kept as its date (precision), a phone number's system read back
 * as TelecomType LL (NL-CM:20.6.5), a diastolic pressure without unit
 * (NL-CM:12.4.3). */
static long unexplained(const zib_diff *diff)
{
	long n = 0;
	size_t i;

	for (i = 0; i < zib_diff_count(diff); i++) {
		const zib_diff_item *d = zib_diff_at(diff, i);
		const char *id = d->concept ? zib_concept_id(d->concept) : NULL;
		if (d->note && strcmp(d->note, "precision differs") == 0)
			continue;
		if (id && (strcmp(id, "NL-CM:20.6.5") == 0 || strcmp(id, "NL-CM:12.4.3") == 0))
			continue;
		fprintf(stderr, "  %s: %s %s <> %s\n", d->note ? d->note : "", d->concept_path ? d->concept_path : "",
			d->a_text ? d->a_text : "-", d->b_text ? d->b_text : "-");
		n++;
	}
	return n;
}

/* Differences between the zibs of path and of its R4 form, but those
 * unexplained() leaves out. */
static long roundtrip(const zib_ctx *ctx, const char *path)
{
	zib_doc *a = read_path(ctx, path), *b = NULL;
	zib_diff *diff = NULL;
	zib_error err;
	char *json;
	size_t len = 0;
	long n = -1;

	if (!a)
		return -1;
	json = to_r4(a, &len, NULL);
	if (json && zib_doc_read(&b, ctx, "r4.json", json, len, NULL, &err) == ZIB_OK &&
	    zib_diff_docs(&diff, ctx, (const zib_doc *const *)&a, 1, (const zib_doc *const *)&b, 1,
	    NULL, &err) == ZIB_OK)
		n = unexplained(diff);
	zib_diff_free(diff);
	free(json);
	zib_doc_free(b);
	zib_doc_free(a);
	return n;
}

TEST(fhir_write, cda_small_roundtrip_and_deterministic)
{
	zib_ctx *ctx = ctx_load();
	zib_doc *doc;
	char *one, *two;
	size_t l1 = 0, l2 = 0, warnings = 0;

	ASSERT(ctx != NULL);
	ASSERT_INT_EQ(0, roundtrip(ctx, "testdata/convert-r4/cda-small.xml"));
	doc = read_path(ctx, "testdata/convert-r4/cda-small.xml");
	ASSERT(doc != NULL);
	one = to_r4(doc, &l1, &warnings);
	two = to_r4(doc, &l2, NULL);
	ASSERT(one && two);
	ASSERT_INT_EQ((long)l1, (long)l2);
	ASSERT(memcmp(one, two, l1) == 0);
	/* BSN as the fhir.nl NamingSystem, the profile, the header's
	 * unmapped content reported (ZIB-CONV-002). */
	ASSERT(strstr(one, "\"system\":\"http://fhir.nl/fhir/NamingSystem/bsn\"") != NULL);
	ASSERT(strstr(one, "nl-core-Patient") != NULL);
	ASSERT(warnings > 0);
	free(one);
	free(two);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

TEST(fhir_write, cda_corpus_roundtrip_value_by_value)
{
	char path[4096];
	zib_ctx *ctx;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	snprintf(path, sizeof(path), "%s/cda-bgz2020/xml-BgZ2020.xml", corpus);
	ASSERT_INT_EQ(0, roundtrip(ctx, path));
	snprintf(path, sizeof(path), "%s/cda-bgz2020/xml-BgZ2020-test.xml", corpus);
	ASSERT_INT_EQ(0, roundtrip(ctx, path));
	zib_ctx_free(ctx);
}

TEST(fhir_write, stu3_fixture_roundtrip)
{
	char path[4096];
	zib_ctx *ctx;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	snprintf(path, sizeof(path), "%s/fhir-stu3-bgz/BgZ-3-0/Test/_reference/resources/"
		"zib-BodyWeight-medmij-bgz-test-patA-bodyweight1.xml", corpus);
	ASSERT_INT_EQ(0, roundtrip(ctx, path));
	zib_ctx_free(ctx);
}

/* The doc written for release as JSON (malloc'd). */
static char *to_release(const zib_doc *doc, zib_fhir_release release, size_t *len)
{
	zib_fhir_write_options opts = ZIB_FHIR_WRITE_OPTIONS_INIT;
	zib_fhir *f = NULL;
	zib_error err;
	char *json = NULL;

	opts.release = release;
	if (zib_doc_to_fhir(&f, doc, &opts, NULL, &err) == ZIB_OK)
		zib_fhir_write_json(&json, len, f, 0, &err);
	zib_fhir_free(f);
	return json;
}

/* The release by name (options version 3) writes what the deprecated enum
 * does: "zib2017" and FHIR "3.0.2" as ZIB_FHIR_STU3, "zib2020" as R4; an
 * unknown release is an error, not R4. */
TEST(fhir_write, release_by_name_matches_the_enum)
{
	static const char *const names[] = { "zib2017", "3.0.2", "zib2020", "4.0.1" };
	zib_ctx *ctx;
	zib_doc *a;
	zib_fhir *f = NULL;
	zib_error err;
	char *stu3, *r4;
	size_t i, len;

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	a = read_path(ctx, "testdata/convert-r4/cda-small.xml");
	ASSERT(a != NULL);
	stu3 = to_release(a, ZIB_FHIR_STU3, &len);
	r4 = to_release(a, ZIB_FHIR_R4, &len);
	ASSERT(stu3 != NULL && r4 != NULL && strcmp(stu3, r4) != 0);
	for (i = 0; i < 4; i++) {
		zib_fhir_write_options opts = ZIB_FHIR_WRITE_OPTIONS_INIT;
		char *json = NULL;
		opts.release_id = names[i];
		ASSERT_INT_EQ(ZIB_OK, zib_doc_to_fhir(&f, a, &opts, NULL, &err));
		ASSERT_INT_EQ(ZIB_OK, zib_fhir_write_json(&json, &len, f, 0, &err));
		ASSERT_STR_EQ(i < 2 ? stu3 : r4, json);
		free(json);
		zib_fhir_free(f);
		f = NULL;
	}
	{
		zib_fhir_write_options opts = ZIB_FHIR_WRITE_OPTIONS_INIT;
		opts.release_id = "zib2024";
		ASSERT_INT_EQ(ZIB_EINVAL, zib_doc_to_fhir(&f, a, &opts, NULL, &err));
		ASSERT(f == NULL);
		ASSERT(strstr(err.message, "zib2024") != NULL);
	}
	free(stu3);
	free(r4);
	zib_doc_free(a);
	zib_ctx_free(ctx);
}

/* The BetalerNaam of a payor that points at no resource travels as the
 * payor's display, in STU3 and in R4 (there as a Payer.PayerPerson, the
 * Betaler having a BetalerPersoon and no Verzekeraar), and reads back. */
TEST(fhir_write, payer_name_as_payor_display)
{
	static const zib_fhir_release releases[] = { ZIB_FHIR_STU3, ZIB_FHIR_R4 };
	char path[4096];
	zib_ctx *ctx;
	zib_doc *a, *b;
	zib_diff *diff;
	zib_error err;
	size_t i, len;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	snprintf(path, sizeof(path), "%s/fhir-stu3-bgz/BgZ-3-0/Test/_reference/resources/"
		"zib-Payer-medmij-bgz-test-patB-payer1-1.xml", corpus);
	a = read_path(ctx, path);
	ASSERT(a != NULL);
	for (i = 0; i < 2; i++) {
		char *json = to_release(a, releases[i], &len);
		ASSERT(json != NULL);
		ASSERT(strstr(json, "\"display\":\"J. XXX_Hoff\"}") != NULL);
		ASSERT(releases[i] == ZIB_FHIR_STU3 || strstr(json, "nl-core-Payer.PayerPerson") != NULL);
		b = NULL;
		diff = NULL;
		ASSERT(zib_doc_read(&b, ctx, "out.json", json, len, NULL, &err) == ZIB_OK);
		ASSERT(zib_diff_docs(&diff, ctx, (const zib_doc *const *)&a, 1, (const zib_doc *const *)&b, 1,
			NULL, &err) == ZIB_OK);
		ASSERT_INT_EQ(0, (long)zib_diff_count(diff));
		zib_diff_free(diff);
		zib_doc_free(b);
		free(json);
	}
	zib_doc_free(a);
	zib_ctx_free(ctx);
}

/* A lone Coverage: zib2020 maps Verzekeraar to the payor Organization; its
 * parts in the Coverage (Verzekering, VerzekerdeNummer) are written too. */
TEST(fhir_write, payer_insurance_without_organization)
{
	char path[4096];
	zib_ctx *ctx;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	snprintf(path, sizeof(path), "%s/fhir-stu3-bgz/BgZ-3-0/Test/_reference/resources/"
		"zib-Payer-medmij-bgz-test-patA-payer1-1.xml", corpus);
	ASSERT_INT_EQ(0, roundtrip(ctx, path));
	zib_ctx_free(ctx);
}

/* The insurer's Organization (UZOVI, name) of a Coverage and its
 * Organization read as one set: written as the Organization the payor
 * points at, in STU3 and in R4, and read back the same. */
TEST(fhir_write, payer_organization_roundtrip)
{
	static const zib_fhir_release releases[] = { ZIB_FHIR_STU3, ZIB_FHIR_R4 };
	static const char *const names[] = { "zib-Payer-msz-ea048981-6b36-11ec-0000-2-1.xml",
		"nl-core-organization-msz-2-16-840-1-113883-2-4-6-4-1906.xml" };
	char paths[2][4096];
	const char *files[2] = { paths[0], paths[1] };
	char *data[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 }, i, len;
	zib_ctx *ctx;
	zib_doc *a = NULL, *b;
	zib_diff *diff;
	zib_error err;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	for (i = 0; i < 2; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/%s",
			corpus, names[i]);
		ASSERT(zib_read_file(&data[i], &lens[i], paths[i], ZIB_DEFAULT_MAX_SIZE, &err) == 0);
	}
	ASSERT(zib_doc_read_many(&a, ctx, "set", 2, files, (const char *const *)data, lens, NULL, &err) == 0);
	for (i = 0; i < 2; i++) {
		char *json = to_release(a, releases[i], &len);
		ASSERT(json != NULL);
		ASSERT(strstr(json, "\"name\":\"Consistente Verzekeraars N.V.\"") != NULL);
		b = NULL;
		diff = NULL;
		ASSERT(zib_doc_read(&b, ctx, "out.json", json, len, NULL, &err) == ZIB_OK);
		ASSERT(zib_diff_docs(&diff, ctx, (const zib_doc *const *)&a, 1, (const zib_doc *const *)&b, 1,
			NULL, &err) == ZIB_OK);
		ASSERT_INT_EQ(0, (long)zib_diff_count(diff));
		zib_diff_free(diff);
		zib_doc_free(b);
		free(json);
	}
	zib_doc_free(a);
	free(data[0]);
	free(data[1]);
	zib_ctx_free(ctx);
}

/* Lateraliteit of an AnatomischeLocatie (Probleem, Verrichting,
 * MedischHulpmiddel) goes back to the bodySite's ext-AnatomicalLocation.
 * Laterality extension, where the reader finds it. */
TEST(fhir_write, r4_bodysite_laterality)
{
	static const char *const files[] = {
		"nl-core-Problem-01.xml", "nl-core-Procedure-event-01.xml", "nl-core-MedicalDevice-02.xml",
	};
	char path[4096];
	zib_ctx *ctx;
	zib_doc *doc;
	char *json;
	size_t i, len = 0;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/fhir-r4-zib2020/examples/%s", corpus, files[i]);
		ASSERT_INT_EQ(0, roundtrip(ctx, path));
		doc = read_path(ctx, path);
		ASSERT(doc != NULL);
		json = to_r4(doc, &len, NULL);
		ASSERT(json != NULL);
		ASSERT(strstr(json, "\"bodySite\":[{\"extension\":[{\"url\":\"http://nictiz.nl/fhir/"
			"StructureDefinition/ext-AnatomicalLocation.Laterality\",\"valueCodeableConcept\"") ||
			strstr(json, "\"bodySite\":{\"extension\":[{\"url\":\"http://nictiz.nl/fhir/"
			"StructureDefinition/ext-AnatomicalLocation.Laterality\",\"valueCodeableConcept\""));
		free(json);
		zib_doc_free(doc);
	}
	zib_ctx_free(ctx);
}

/* Differences of zib `only` between path and its R4 form, the concepts
 * of the NULL-ended list ignore (with what is below them) left out. */
static long roundtrip_zib(const zib_ctx *ctx, const char *path, const char *only,
	const char *const *ignore, char **json_out)
{
	zib_diff_options o = ZIB_DIFF_OPTIONS_INIT;
	zib_doc *a = read_path(ctx, path), *b = NULL;
	zib_diff *diff = NULL;
	zib_error err;
	char *json;
	size_t len = 0;
	long n = -1;

	if (!a)
		return -1;
	o.only = &only;
	o.nonly = 1;
	o.ignore = ignore;
	while (ignore && ignore[o.nignore])
		o.nignore++;
	json = to_r4(a, &len, NULL);
	if (json && zib_doc_read(&b, ctx, "r4.json", json, len, NULL, &err) == ZIB_OK &&
	    zib_diff_docs(&diff, ctx, (const zib_doc *const *)&a, 1, (const zib_doc *const *)&b, 1,
	    &o, &err) == ZIB_OK)
		n = unexplained(diff);
	zib_diff_free(diff);
	*json_out = json;
	zib_doc_free(b);
	zib_doc_free(a);
	return n;
}

/* MedischHulpmiddel Product is a Device (nl-core-MedicalDevice.Product) the
 * DeviceUseStatement references as its device; read back, the Product group
 * (ProductID, ProductType), ProductOmschrijving and Locatie (DeviceUseStatement.
 * extension:location) come out as they went in. */
TEST(fhir_write, r4_medical_device_product)
{
	/* The Probleem its Indicatie refers to differs (its begin date
	 * loses the time, having no zone), so the reference counts. */
	static const char *const indication[] = { "NL-CM:10.1.7", NULL };
	char path[4096], *json = NULL;
	zib_ctx *ctx;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	snprintf(path, sizeof(path), "%s/cda-bgz2020/xml-BgZ2020-notyetvalid.xml", corpus);
	ASSERT_INT_EQ(0, roundtrip_zib(ctx, path, "MedischHulpmiddel", indication, &json));
	ASSERT(json != NULL);
	ASSERT(strstr(json, "\"resourceType\":\"Device\",\"id\":") != NULL);
	ASSERT(strstr(json, "StructureDefinition/nl-core-MedicalDevice.Product\"") != NULL);
	ASSERT(strstr(json, "\"device\":{\"reference\":\"urn:uuid:") != NULL);
	free(json);
	zib_ctx_free(ctx);
}

/* VerrichtingMethode on the Procedure's procedureMethod extension
 * (ext-Procedure.ProcedureMethod); Aanvrager on the requester of a
 * ServiceRequest the Procedure is basedOn, which reads back as part of the
 * Verrichting, not as a (planned) Verrichting of its own; MedischHulpmiddel
 * as the reversed reference zib2020 maps it to, the device's
 * DeviceUseStatement.derivedFrom pointing at the Procedure. */
TEST(fhir_write, r4_procedure_method_requester_device)
{
	char path[4096], *json = NULL;
	zib_ctx *ctx;
	NEED_CORPUS(corpus);

	ctx = ctx_load();
	ASSERT(ctx != NULL);
	snprintf(path, sizeof(path), "%s/cda-bgz2020/xml-BgZ2020-notyetvalid.xml", corpus);
	ASSERT_INT_EQ(0, roundtrip_zib(ctx, path, "Verrichting", NULL, &json));
	ASSERT(json != NULL);
	ASSERT(strstr(json, "{\"url\":\"http://nictiz.nl/fhir/StructureDefinition/ext-Procedure."
		"ProcedureMethod\",\"valueCodeableConcept\":{\"coding\":[{") != NULL);
	ASSERT(strstr(json, "\"basedOn\":[{\"reference\":\"urn:uuid:") != NULL);
	ASSERT(strstr(json, "\"resourceType\":\"ServiceRequest\"") != NULL);
	ASSERT(strstr(json, "\"status\":\"unknown\",\"intent\":\"order\",\"subject\":") != NULL);
	ASSERT(strstr(json, "\"derivedFrom\":[{\"reference\":\"urn:uuid:") != NULL);
	free(json);
	zib_ctx_free(ctx);
}

/* The reader: an R4 ServiceRequest a Procedure is basedOn is the order it
 * fulfils, read through the Procedure (its requester the Aanvrager), also
 * when it comes first in the Bundle; not a Verrichting of its own. */
TEST(fhir_write, r4_order_read_through_procedure)
{
	static const char json[] =
		"{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
		"{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-000000000002\",\"resource\":"
		"{\"resourceType\":\"ServiceRequest\",\"id\":\"00000000-0000-4000-8000-000000000002\","
		"\"meta\":{\"profile\":[\"http://nictiz.nl/fhir/StructureDefinition/nl-core-Procedure-request\"]},"
		"\"status\":\"unknown\",\"intent\":\"order\","
		"\"subject\":{\"reference\":\"urn:uuid:00000000-0000-4000-8000-000000000001\"},"
		"\"requester\":{\"reference\":\"urn:uuid:00000000-0000-4000-8000-000000000004\"}}},"
		"{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-000000000004\",\"resource\":"
		"{\"resourceType\":\"Practitioner\",\"id\":\"00000000-0000-4000-8000-000000000004\","
		"\"meta\":{\"profile\":[\"http://nictiz.nl/fhir/StructureDefinition/nl-core-HealthProfessional-Practitioner\"]},"
		"\"name\":[{\"family\":\"Arts\"}]}},"
		"{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-000000000003\",\"resource\":"
		"{\"resourceType\":\"Procedure\",\"id\":\"00000000-0000-4000-8000-000000000003\","
		"\"meta\":{\"profile\":[\"http://nictiz.nl/fhir/StructureDefinition/nl-core-Procedure-event\"]},"
		"\"basedOn\":[{\"reference\":\"urn:uuid:00000000-0000-4000-8000-000000000002\"}],"
		"\"status\":\"completed\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\","
		"\"code\":\"80146002\"}]},"
		"\"subject\":{\"reference\":\"urn:uuid:00000000-0000-4000-8000-000000000001\"}}}]}";
	zib_ctx *ctx = ctx_load();
	zib_doc *doc = NULL;
	zib_error err;
	size_t i, n = 0;
	int requester = 0;

	ASSERT(ctx != NULL);
	ASSERT_INT_EQ(ZIB_OK, zib_doc_read(&doc, ctx, "order.json", json, sizeof(json) - 1, NULL, &err));
	for (i = 0; i < zib_doc_instance_count(doc); i++) {
		const zib_instance *inst = zib_doc_instance_at(doc, i);
		const zib_value *v;
		if (strcmp(zib_model_name_nl(zib_instance_model(inst)), "Verrichting") != 0)
			continue;
		n++;
		for (v = zib_instance_values(inst); v; v = zib_value_next(v))
			if (strcmp(zib_concept_id(zib_value_concept(v)), "NL-CM:14.1.10") == 0)
				requester = 1;
	}
	ASSERT_INT_EQ(1, (long)n);
	ASSERT(requester);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}
