/*
 * The FHIR zib reader on the corpus: for each BgZ zib, one instance read
 * from a zib2020 (R4) example and one from a BgZ 3.0 / BgZ MSZ (STU3)
 * fixture, with a concept value checked.  Skips without ../shared/corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "model/doc.h"

struct pick {
	const char *zib, *file, *concept;
	char kind;           /* c code, v number, t text, r reference, n null flavor */
	const char *want;
};

static const struct pick r4_picks[] = {
	{ "AlcoholGebruik", "nl-core-AlcoholUse-01.xml", "NL-CM:7.3.7", 't', "af en toe grote hoeveelheden (>10 eenheden) op een dag" },
	{ "Alert", "nl-core-Alert-01.xml", "NL-CM:8.3.8", 't', "2012-12-30" },
	{ "AllergieIntolerantie", "nl-core-AllergyIntolerance-01.xml", "NL-CM:8.2.2", 'c', "288328004" },
	{ "Betaler", "nl-core-Payer.InsuranceCompany-02.xml", "NL-CM:1.1.15", 'c', "B" },
	{ "Betaler", "nl-core-Payer.InsuranceCompany-02.xml", "NL-CM:1.1.6", 't', "12345678" },
	/* provision.type 'permit' is BehandelBesluit 0 (Wel uitvoeren) through
	 * the profiles' ConceptMap. */
	{ "BehandelAanwijzing", "nl-core-TreatmentDirective2-01.xml", "NL-CM:2.2.2", 'c', "0" },
	{ "Bloeddruk", "nl-core-BloodPressure-01.xml", "NL-CM:12.4.7", 'c', "371911009" },
	{ "BurgerlijkeStaat", "nl-core-Patient-01.xml", "NL-CM:7.9.2", 'c', "D" },
	{ "Contact", "nl-core-Encounter-01.xml", "NL-CM:15.1.2", 'c', "IMP" },
	{ "Contactpersoon", "nl-core-AdvanceDirective-01-RelatedPerson-01.xml", "NL-CM:3.1.2", 'c', "24" },
	{ "DrugsGebruik", "nl-core-DrugUse-01.xml", "NL-CM:7.4.9", 't', "Op feestjes en in uitgaanscircuit. Vroeger wat meer dan tegenwoordig." },
	{ "FarmaceutischProduct", "nl-core-PharmaceuticalProduct-01.xml", "NL-CM:9.7.19927", 'c', "71587" },
	{ "FarmaceutischProduct", "nl-core-PharmaceuticalProduct-01.xml", "NL-CM:9.7.19929", 't', "LISINOPRIL 10MG TABLET" },
	{ "FarmaceutischProduct", "nl-core-Vaccination-03-PharmaceuticalProduct-01.xml", "NL-CM:9.7.19784", 't', "HEPATITIS A, GEINACTIVEERD, INTACT VIRUS" },
	{ "FunctioneleOfMentaleStatus", "nl-core-FunctionalOrMentalStatus-01.xml", "NL-CM:4.26.2", 'c', "284888003" },
	{ "LaboratoriumUitslag", "nl-core-LaboratoryTestResult-01.xml", "NL-CM:13.1.4", 'c', "2947-0" },
	{ "Lichaamsgewicht", "nl-core-BodyWeight-01.xml", "NL-CM:12.1.2", 'v', "2400" },
	{ "Lichaamslengte", "nl-core-BodyHeight-01.xml", "NL-CM:12.2.2", 'v', "153" },
	{ "MedischHulpmiddel", "nl-core-MedicalDevice-01.xml", "NL-CM:10.1.10", 't', "Kan korte afstanden lopen" },
	{ "Patient", "nl-core-Patient-01.xml", "NL-CM:0.1.7", 'c', "111222333" },
	{ "Probleem", "nl-core-AdvanceDirective-01-Condition-01.xml", "NL-CM:5.1.3", 'c', "86044005" },
	{ "TabakGebruik", "nl-core-TobaccoUse-01.xml", "NL-CM:7.2.3", 't', "Probeert te stoppen. Thuis wordt ook door partner gerookt" },
	{ "Vaccinatie", "nl-core-Vaccination-event-02.xml", "NL-CM:11.1.2", 'c', "J07BC02" },
	{ "Verrichting", "nl-core-FreedomRestrictingIntervention-01.xml", "NL-CM:14.1.4", 'c', "123941000146105" },
	{ "Voedingsadvies", "nl-core-FeedingPatternInfant-01-NutritionOrder-01.xml", "NL-CM:7.11.2", 't', "Energieverrijkt" },
	{ "Wilsverklaring", "nl-core-AdvanceDirective-01.xml", "NL-CM:7.15.2", 'c', "NR" },
	{ "Woonsituatie", "nl-core-LivingSituation-01.xml", "NL-CM:7.8.2", 't', "De bovenwoning is een probleem vanwege ontbreken lift. De patiënt staat op de wachtlijst voor een benedenwoning" },
	{ "Zorgaanbieder", "nl-core-Encounter-01-Organization-01.xml", "NL-CM:17.2.3", 't', "St. Lucas Andreas Ziekenhuis" },
	{ "Zorgverlener", "nl-core-CareTeam-01-PractitionerRole-01.xml", "NL-CM:17.1.4", 'c', "0100" },
	{ NULL, NULL, NULL, 0, NULL }
};

/* The zib2020 examples have no MedicatieAfspraak, ToedieningsAfspraak or
 * MedicatieGebruik resources (the medication zibs are profiled in the
 * separate mp9 package, not in ../shared/corpus): stu3_picks covers them,
 * and r4_examples_have_no_medication keeps this note honest. */
static const struct pick stu3_picks[] = {
	{ "AlcoholGebruik", "BgZ-3-0/Test/_reference/resources/zib-AlcoholUse-medmij-bgz-test-patA-alcohol1.xml", "NL-CM:7.3.7", 't', "Sinds mei 2013 nuchter" },
	{ "Alert", "BgZ-3-0/Test/_reference/resources/zib-Alert-medmij-bgz-test-patA-alert1.xml", "NL-CM:8.3.4", 'c', "432415000" },
	{ "AllergieIntolerantie", "BgZ-3-0/Test/_reference/resources/zib-AllergyIntolerance-medmij-bgz-test-patA-allergy1.xml", "NL-CM:8.2.2", 'c', "762952008" },
	{ "Betaler", "BgZ-3-0/Test/_reference/resources/zib-Payer-medmij-bgz-test-patA-payer1-1.xml", "NL-CM:1.1.15", 'c', "B" },
	{ "BehandelAanwijzing", "BgZ-3-0/Test/_reference/resources/zib-TreatmentDirective-medmij-bgz-test-patA-treatmentdir1.xml", "NL-CM:2.2.8", 'r', "Consent/zib-AdvanceDirective-medmij-bgz-test-patA-advdir1" },
	{ "Bloeddruk", "BgZ-3-0/Test/_reference/resources/zib-BloodPressure-medmij-bgz-test-patA-bloodpressure1.xml", "NL-CM:12.4.7", 'c', "22762002" },
	{ "BurgerlijkeStaat", "BgZ-3-0/Test/_reference/resources/medmij-bgz-test-patA.xml", "NL-CM:7.9.2", 'c', "S" },
	{ "Contact", "BgZ-3-0/Test/_reference/resources/zib-Encounter-medmij-bgz-test-patA-encounter3.xml", "NL-CM:15.1.2", 'c', "IMP" },
	{ "Contactpersoon", "BgZ-3-0/Test/_reference/resources/medmij-bgz-test-patA.xml", "NL-CM:3.1.2", 'c', "1" },
	{ "DrugsGebruik", "BgZ-3-0/Test/_reference/resources/zib-DrugUse-medmij-bgz-test-patA-druguse1.xml", "NL-CM:7.4.9", 't', "Op feestjes en tijdens uitgaan" },
	{ "FarmaceutischProduct", "BgZ-3-0/Test/_reference/resources/zib-Product-medmij-bgz-test-patA-product1.xml", "NL-CM:9.7.19927", 'c', "2182416" },
	{ "FarmaceutischProduct", "BgZ-3-0/Test/_reference/resources/zib-Product-medmij-bgz-test-patA-product1.xml", "NL-CM:9.7.19784", 't', "2.5mg Apixaban filmomhulde tabletten" },
	/* Medication.code's codings are one ProductCode: the first (GPK). */
	{ "FarmaceutischProduct", "BgZ-MSZ-2-0/Test/_reference/resources/zib-Product-msz-2-16-840-1-113883-2-4-4-10-67903.xml", "NL-CM:9.7.19927", 'c', "2194" },
	{ "MedicatieAfspraak", "BgZ-3-0/Test/_reference/resources/zib-MedicationAgreement-medmij-bgz-test-patA-medagr2.xml", "NL-CM:9.7.19926", 'r', "Medication/zib-Product-medmij-bgz-test-patA-product2" },
	{ "FunctioneleOfMentaleStatus", "BgZ-3-0/Test/_reference/resources/zib-FunctionalOrMentalStatus-medmij-bgz-test-patA-funcment1.xml", "NL-CM:4.26.2", 'c', "8510008" },
	{ "LaboratoriumUitslag", "BgZ-3-0/Test/_reference/resources/LaboratoryTestResult-Observation-medmij-bgz-test-patA-labresult1.xml", "NL-CM:13.1.4", 'c', "30350-3" },
	{ "Lichaamsgewicht", "BgZ-3-0/Test/_reference/resources/zib-BodyWeight-medmij-bgz-test-patA-bodyweight1.xml", "NL-CM:12.1.2", 'v', "80" },
	{ "Lichaamslengte", "BgZ-3-0/Test/_reference/resources/zib-BodyHeight-medmij-bgz-test-patA-bodyheight1.xml", "NL-CM:12.2.2", 'v', "178" },
	{ "MedicatieAfspraak", "BgZ-3-0/Test/_reference/resources/zib-MedicationAgreement-medmij-bgz-test-patA-medagr2.xml", "NL-CM:9.6.19757", 't', "2022-11-28T11:00:00+02:00" },
	{ "MedicatieGebruik", "BgZ-3-0/Test/_reference/resources/zib-MedicationUse-medmij-bgz-test-patA-meduse2.xml", "NL-CM:9.11.22398", 't', "2022-11-28T11:00:00+02:00" },
	{ "MedischHulpmiddel", "BgZ-3-0/Test/_reference/resources/zib-MedicalDevice-medmij-bgz-test-patA-medDevice1.xml", "NL-CM:10.1.11", 't', "2022-07-28" },
	{ "Patient", "BgZ-3-0/Test/_reference/resources/medmij-bgz-test-patB.xml", "NL-CM:0.1.10", 't', "1958-12-18" },
	{ "Probleem", "BgZ-3-0/Test/_reference/resources/zib-Problem-medmij-bgz-test-patA-problem1.xml", "NL-CM:5.1.8", 'c', "282291009" },
	{ "TabakGebruik", "BgZ-3-0/Test/_reference/resources/zib-TobaccoUse-medmij-bgz-test-patA-tobacco2.xml", "NL-CM:7.2.3", 't', "Partner rookt" },
	{ "ToedieningsAfspraak", "BgZ-3-0/Test/_reference/resources/zib-AdministrationAgreement-medmij-bgz-test-patA-admagr1.xml", "NL-CM:9.8.20133", 't', "2022-11-28T10:00:00+02:00" },
	{ "Vaccinatie", "BgZ-3-0/Test/_reference/resources/zib-Vaccination-medmij-bgz-test-patA-vaccin2.xml", "NL-CM:11.1.2", 'c', "92975" },
	{ "Verrichting", "BgZ-3-0/Test/_reference/resources/zib-ProcedureRequest-medmij-bgz-test-patA-plannedprocedure1.xml", "NL-CM:14.1.4", 'c', "392238003" },
	{ "Voedingsadvies", "BgZ-3-0/Test/_reference/resources/zib-NutritionAdvice-medmij-bgz-test-patA-nutrition1.xml", "NL-CM:7.11.2", 't', "Natriumarm dieet" },
	{ "Wilsverklaring", "BgZ-3-0/Test/_reference/resources/zib-AdvanceDirective-medmij-bgz-test-patA-advdir1.xml", "NL-CM:7.15.2", 'c', "NR" },
	{ "Woonsituatie", "BgZ-3-0/Test/_reference/resources/zib-LivingSituation-medmij-bgz-test-patA-living1.xml", "NL-CM:7.8.3", 'c', "WOONB" },
	{ "Zorgaanbieder", "BgZ-3-0/Test/_reference/resources/-organization-medmij-bgz-test-2-16-840-1-113883-2-4-6-1-01000001.xml", "NL-CM:17.2.2", 'c', "PatA-HealthcareProvider1" },
	{ "Zorgverlener", "BgZ-3-0/Test/_reference/resources/nl-core-practitionerrole-medmij-bgz-test-0100000201-01501000001.xml", "NL-CM:17.1.4", 'c', "01.015" },
	{ NULL, NULL, NULL, 0, NULL }
};

static const struct zib_value *find_value(const struct zib_value *v, const char *id)
{
	for (; v; v = v->next) {
		const struct zib_value *c;
		if (strcmp(v->concept->id, id) == 0)
			return v;
		if ((c = find_value(v->children, id)) != NULL)
			return c;
	}
	return NULL;
}

static size_t collect_values(const struct zib_value *v, const char *id, const struct zib_value **out,
	size_t max, size_t n);

static int check_pick(const zib_ctx *ctx, const char *dir, const struct pick *p)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	zib_doc *doc = NULL;
	zib_error err;
	const struct zib_instance *inst;
	int ok = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, p->file);
	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		return 0;
	if (zib_doc_read(&doc, ctx, path, data, len, NULL, &err) == 0) {
		for (inst = doc->instances; inst && !ok; inst = inst->next) {
			const struct zib_value *v;
			const char *got;
			if (strcmp(inst->model->name_nl, p->zib) != 0)
				continue;
			v = find_value(inst->values, p->concept);
			if (!v)
				continue;
			got = p->kind == 'c' ? v->code : p->kind == 'v' ? v->number : p->kind == 'r' ? v->ref :
				p->kind == 'n' ? v->null_flavor : v->text;
			ok = got && strcmp(got, p->want) == 0;
		}
	}
	if (!ok)
		fprintf(stderr, "  %s: %s %s != '%s'\n", p->file, p->zib, p->concept, p->want);
	zib_doc_free(doc);
	free(data);
	return ok;
}

static int run_picks(const char *dir, const struct pick *picks)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	size_t i;
	int bad = 0;

	if (zib_ctx_new(&ctx, NULL, &err) < 0)
		return -1;
	for (i = 0; picks[i].zib; i++)
		if (!check_pick(ctx, dir, &picks[i]))
			bad++;
	zib_ctx_free(ctx);
	return bad;
}

/* run_picks on the files below the corpus folder sub. */
static int corpus_picks(const char *corpus, const char *sub, const struct pick *picks)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", corpus, sub);
	return run_picks(dir, picks);
}

/* zib2017 TreatmentDirective read as zib2020 BehandelAanwijzing2
 * (zib-models/generate.py ZIB2017_AS_ZIB2020): BehandelingToegestaan
 * JA_MAAR is BehandelBesluit 1 (Anders) with the Beperkingen as its
 * SpecificatieAnders, VerificatieDatum the MeestRecenteBespreekdatum,
 * GeverifieerdBij 'Patient' the AfspraakPartij Patient. */
#define TD_A "BgZ-3-0/Test/_reference/resources/zib-TreatmentDirective-medmij-bgz-test-patA-treatmentdir1.xml"
#define TD_C "BgZ-MSZ-2-0/Test/_reference/resources/zib-TreatmentDirective-msz-7619184a-6ade-11ec-0000-2.xml"
static const struct pick stu3_treatment_directive_picks[] = {
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.2", 'c', "1" },
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.3", 'c', "40617009" },
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.4", 't', "Enkel met zicht op volledig herstel" },
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.5", 't', "2022-11-28" },
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.6", 't', "2022-12-12" },
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.13", 't', "Geverifieerd voorafgaand aan plaatsing kunstknie" },
	{ "BehandelAanwijzing", TD_A, "NL-CM:2.2.10", 'r', "Patient/medmij-bgz-test-patA" },
	{ "BehandelAanwijzing", TD_C, "NL-CM:2.2.2", 'c', "0" },
	/* WilsverklaringDocument: the Attachment's contentType (its data read too). */
	{ "Wilsverklaring", "BgZ-3-0/Test/_reference/resources/zib-AdvanceDirective-medmij-bgz-test-patA-advdir1.xml",
	  "NL-CM:7.15.5", 'c', "application/pdf" },
	{ "Wilsverklaring", "BgZ-MSZ-2-0/Test/_reference/resources/zib-AdvanceDirective-msz-9f5bad75-6aea-11ec-0000-2.xml",
	  "NL-CM:7.15.5", 'c', "application/pdf" },
	/* A date given as data-absent-reason 'unknown'. */
	{ "Wilsverklaring", "BgZ-MSZ-2-0/Test/_reference/resources/zib-AdvanceDirective-msz-9e8f4ccf-6adc-11ec-0000-2.xml",
	  "NL-CM:7.15.7", 'n', "UNK" },
	/* A fixture date relative to the test day is kept as it is. */
	{ "Betaler", "BgZ-3-0/Test/_reference/resources/zib-Payer-medmij-bgz-test-patA-payer1-1.xml",
	  "NL-CM:1.1.13", 't', "${DATE, T, D, -1}" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, stu3_treatment_directive_as_zib2020)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-stu3-bgz", stu3_treatment_directive_picks));
}

/* Concepts the reference maps inside an extension profile only
 * (ext-Payer.BankInformation#Extension...): read where the zib's own
 * profile puts that extension (zib-models/generate.py). */
static const struct pick r4_extension_picks[] = {
	{ "Betaler", "nl-core-Payer.PayerPerson-01.xml", "NL-CM:1.1.9", 't', "ING" },
	{ "Betaler", "nl-core-Payer.PayerPerson-01.xml", "NL-CM:1.1.11", 't', "NL85INGB0001234567" },
	{ "BehandelAanwijzing", "nl-core-TreatmentDirective2-01.xml", "NL-CM:2.2.7", 't', "hersteld en ontslagen" },
	{ "BehandelAanwijzing", "nl-core-TreatmentDirective2-02.xml", "NL-CM:2.2.4", 't', "eerst overleg met echtgenote" },
	{ "Wilsverklaring", "nl-core-AdvanceDirective-01.xml", "NL-CM:5.1.1", 'r', "Condition/nl-core-AdvanceDirective-01-Condition-01" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, r4_extension_of_own_profile)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-r4-zib2020/examples", r4_extension_picks));
}

/* Betaler (lib/fhir/zib_read_payer.c).  A payor that points at nothing
 * names its payer only in its display: the BetalerNaam of BgZ 3.0 patB. */
#define PAYER_PATB "BgZ-3-0/Test/_reference/resources/zib-Payer-medmij-bgz-test-patB-payer1-1.xml"

static const struct pick payer_picks[] = {
	{ "Betaler", PAYER_PATB, "NL-CM:1.1.5", 't', "J. XXX_Hoff" },
	{ "Betaler", PAYER_PATB, "NL-CM:1.1.11", 't', "NL64ABNC0417164300" },
	{ NULL, NULL, NULL, 0, NULL }
};

/* The files (below dir) read as one set: a Coverage and its payor. */
static zib_doc *read_payer_set(const zib_ctx *ctx, const char *dir, const char *a, const char *b)
{
	char pa[4096], pb[4096];
	const char *files[2] = { pa, pb };
	char *data[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 };
	zib_doc *doc = NULL;
	zib_error err;

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	if (zib_read_file(&data[0], &lens[0], pa, ZIB_DEFAULT_MAX_SIZE, &err) == 0 &&
	    zib_read_file(&data[1], &lens[1], pb, ZIB_DEFAULT_MAX_SIZE, &err) == 0 &&
	    zib_doc_read_many(&doc, ctx, "set", 2, files, (const char *const *)data, lens, NULL, &err) < 0)
		doc = NULL;
	free(data[0]);
	free(data[1]);
	return doc;
}

/* The text of the first value of concept id in doc's Betaler, "" when none. */
static const char *payer_text(const zib_doc *doc, const char *id)
{
	const struct zib_instance *inst;
	const struct zib_value *v;

	for (inst = doc->instances; inst; inst = inst->next)
		if (strcmp(inst->model->name_nl, "Betaler") == 0 && (v = find_value(inst->values, id)) != NULL)
			return v->text ? v->text : "(group)";
	return "";
}

/* zib2017 maps BetalerPersoon and Verzekeraar both to Coverage.payor: a
 * payor pointing at the insurer Organization is the Verzekeraar only.  In
 * zib2020 the Payer.PayerPerson Coverage's payor Organization (a paying
 * foundation) is the BetalerPersoon, and no Verzekeraar. */
TEST(fhir_zib, payer_person_or_insurer)
{
	char dir[4096];
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-stu3-bgz", payer_picks));
	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	snprintf(dir, sizeof(dir), "%s/fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources", corpus);
	doc = read_payer_set(ctx, dir, "zib-Payer-msz-ea048981-6b36-11ec-0000-2-1.xml",
		"nl-core-organization-msz-2-16-840-1-113883-2-4-6-4-1906.xml");
	ASSERT(doc != NULL);
	ASSERT_STR_EQ("Consistente Verzekeraars N.V.", payer_text(doc, "NL-CM:1.1.16"));
	ASSERT_STR_EQ("", payer_text(doc, "NL-CM:1.1.2"));
	ASSERT_STR_EQ("", payer_text(doc, "NL-CM:1.1.5"));
	zib_doc_free(doc);
	snprintf(dir, sizeof(dir), "%s/fhir-r4-zib2020/examples", corpus);
	doc = read_payer_set(ctx, dir, "nl-core-Payer.PayerPerson-01.xml", "nl-core-Payer-Organization-01.xml");
	ASSERT(doc != NULL);
	ASSERT_STR_EQ("Stichting Het Goede Doel", payer_text(doc, "NL-CM:1.1.5"));
	ASSERT_STR_EQ("", payer_text(doc, "NL-CM:1.1.3"));
	zib_doc_free(doc);
	doc = read_payer_set(ctx, dir, "nl-core-Payer.InsuranceCompany-02.xml", "nl-core-Payer-Organization-02.xml");
	ASSERT(doc != NULL);
	ASSERT_STR_EQ("Menzis Zorgverzekeraar N.V.", payer_text(doc, "NL-CM:1.1.16"));
	ASSERT_STR_EQ("", payer_text(doc, "NL-CM:1.1.2"));
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* Planned variants: a planned vaccination is an ImmunizationRecommendation
 * (zib-Vaccination-request), read as Vaccinatie with its recommended date. */
static const struct pick r4_planned_picks[] = {
	{ "Vaccinatie", "nl-core-Vaccination-request-01.xml", "NL-CM:11.1.2", 'c', "J07CA06" },
	{ "Vaccinatie", "nl-core-Vaccination-request-01.xml", "NL-CM:11.1.3", 't', "2029-03-05" },
	{ "Vaccinatie", "nl-core-Vaccination-request-01.xml", "NL-CM:11.1.7", 't', "Volgens Rijksvaccinatieprogramma." },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, r4_planned_vaccination)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-r4-zib2020/examples", r4_planned_picks));
}

/* A contact person held as Patient.contact: zib2020's zib-Patient maps it
 * like a RelatedPerson, and a zib2017 Patient whose only version evidence
 * is an STU3 code system url (BgZ MSZ's BgZ-Patient profile) is zib2017. */
static const struct pick patient_contact_picks[] = {
	{ "Contactpersoon", "fhir-r4-zib2020/examples/nl-core-Patient-01.xml", "NL-CM:3.1.2", 'c', "01" },
	{ "Contactpersoon", "fhir-r4-zib2020/examples/nl-core-Patient-01.xml", "NL-CM:20.4.10", 't', "Putten" },
	{ "Contactpersoon", "fhir-r4-zib2020/examples/nl-core-Patient-01.xml", "NL-CM:20.5.3", 't', "Hoogmade" },
	{ "Contactpersoon", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/bgz-msz-patD.xml",
	  "NL-CM:3.1.3", 'c', "BROINLAW" },
	{ "Contactpersoon", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/bgz-msz-patD.xml",
	  "NL-CM:20.6.7", 't', "birsahis@postnl.nl" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, patient_contact_is_contactpersoon)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, run_picks(corpus, patient_contact_picks));
}

/* Concepts a zib's other R4 profile carries: the Organization profile of
 * Zorgaanbieder holds its address and telecom (the zib maps them on
 * Location), PractitionerRole holds a Zorgverlener's contact details. */
static const struct pick r4_other_profile_picks[] = {
	/* An extension profile's path under a group: the laterality on
	 * Procedure.bodySite (ext-AnatomicalLocation.Laterality). */
	{ "Verrichting", "nl-core-Procedure-event-01.xml", "NL-CM:20.7.3", 'c', "7771000" },
	{ "MedischHulpmiddel", "nl-core-MedicalDevice-02.xml", "NL-CM:20.7.3", 'c', "24028007" },
	/* An extension of the zib's own profile the models' reference leaves
	 * out: MedischHulpmiddel Locatie's Zorgaanbieder from
	 * DeviceUseStatement.extension:location (ext-MedicalDevice.Location). */
	{ "MedischHulpmiddel", "nl-core-MedicalDevice-02.xml", "NL-CM:17.2.1", 'r',
	  "Location/nl-core-MedicalDevice-02-Location-01" },
	{ "MedischHulpmiddel", "nl-core-MedicalDevice-03.xml", "NL-CM:17.2.1", 'r',
	  "Location/nl-core-MedicalDevice-03-Location-01" },
	/* WilsverklaringDocument from Consent.sourceAttachment: data and
	 * contentType (lib/fhir/zib_read.c fill_attachment). */
	{ "Wilsverklaring", "nl-core-TreatmentDirective2-01-Consent-01.xml", "NL-CM:7.15.5", 't', "volmacht" },
	{ "Wilsverklaring", "nl-core-TreatmentDirective2-01-Consent-01.xml", "NL-CM:7.15.5", 'c', "application/octet-stream" },
	{ "Zorgaanbieder", "nl-core-HealthcareProvider-Organization-01.xml", "NL-CM:20.5.3", 't', "Rotterdam" },
	{ "Zorgaanbieder", "nl-core-HealthcareProvider-Organization-01.xml", "NL-CM:20.6.7", 't', "info@erasmus.nl" },
	{ "Zorgverlener", "nl-core-HealthProfessional-PractitionerRole-01.xml", "NL-CM:20.6.7", 't', "j.peters@hospital.nl" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, r4_other_profile_of_zib)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-r4-zib2020/examples", r4_other_profile_picks));
}

/* How many pieces of file (below dir) the reader left unread at a path
 * starting with prefix; -1 when the file cannot be read. */
static int unread_at(const char *dir, const char *file, const char *prefix)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0, i;
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	int count = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (zib_ctx_new(&ctx, NULL, &err) < 0)
		return -1;
	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) == 0 &&
	    zib_doc_read(&doc, ctx, path, data, len, NULL, &err) == 0) {
		count = 0;
		for (i = 0; i < zib_doc_unmapped_count(doc); i++) {
			const char *at = NULL, *what = NULL;
			int line;
			zib_doc_unmapped_at(doc, i, &line, &at, &what);
			if (at && strncmp(at, prefix, strlen(prefix)) == 0)
				count++;
		}
	}
	zib_doc_free(doc);
	free(data);
	zib_ctx_free(ctx);
	return count;
}

/* zib2017 gives one zib concept several slices, one per code system
 * (BloodPressure: a SNOMED and a LOINC component for the mean pressure,
 * the cuff and the position; NutritionAdvice: Consistentie in three
 * places): the value is read from the first, and the others repeating it
 * are that value again, not unread content. */
#define STU3_BP "BgZ-3-0/Test/_reference/resources/zib-BloodPressure-medmij-bgz-test-patA-bloodpressure1.xml"
#define STU3_DIET "BgZ-3-0/Test/_reference/resources/zib-NutritionAdvice-medmij-bgz-test-patA-nutrition1.xml"

static const struct pick stu3_repeated_slice_picks[] = {
	{ "Bloeddruk", STU3_BP, "NL-CM:12.4.2", 'v', "123" },
	{ "Bloeddruk", STU3_BP, "NL-CM:12.4.4", 'v', "93" },
	{ "Bloeddruk", STU3_BP, "NL-CM:12.4.9", 'c', "STD" },
	{ "Bloeddruk", STU3_BP, "NL-CM:12.4.11", 'c', "33586001" },
	{ "Voedingsadvies", STU3_DIET, "NL-CM:7.11.3", 't', "Vast" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, stu3_repeated_slices)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-stu3-bgz", stu3_repeated_slice_picks));
	ASSERT_INT_EQ(0, unread_at(corpus, "fhir-stu3-bgz/" STU3_BP, "Observation.component"));
	ASSERT_INT_EQ(0, unread_at(corpus, "fhir-stu3-bgz/" STU3_DIET, "NutritionOrder.oralDiet"));
}

/* zib2017 lab results: InterpretatieVlaggen is the coding slice of the
 * zib's list; the HL7 v2 0078 coding beside it that the profile's
 * ConceptMap maps to the same flag ('I' for 11896004) is that flag again.
 * A fixture date relative to the test day is the zib date as written. */
#define STU3_LAB "BgZ-MSZ-2-0/Test/_reference/resources/b-LaboratoryTestResult-Observation-msz-"

static const struct pick stu3_lab_picks[] = {
	{ "LaboratoriumUitslag", STU3_LAB "feaac152-6ab4-11ec-0000-2.xml", "NL-CM:13.1.14", 'c', "11896004" },
	{ "LaboratoriumUitslag", STU3_LAB "b8bd0271-6aec-11ec-0000-2.xml", "NL-CM:13.1.13", 't',
	  "${DATE, T, D, -44}T14:22:10+02:00" },
	/* an interpretation in HL7 v2 0078 only: 'L', the ConceptMap's 281300000 */
	{ "LaboratoriumUitslag",
	  "BgZ-3-0/Test/_reference/resources/boratoryTestResult-Observation-medmij-bgz-test-patA-labresult1-1.xml",
	  "NL-CM:13.1.14", 'c', "281300000" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, stu3_lab_interpretation_and_test_date)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-stu3-bgz", stu3_lab_picks));
	ASSERT_INT_EQ(0, unread_at(corpus, "fhir-stu3-bgz/" STU3_LAB "feaac152-6ab4-11ec-0000-2.xml", "Observation.interpretation"));
}

/* The corpus files dir/prefix<name><suffix> read as one set; NULL on failure. */
static zib_doc *read_corpus_set(const zib_ctx *ctx, const char *dir, const char *prefix,
	const char *const *names, const char *suffix, size_t count)
{
	char paths[8][4096];
	const char *files[8];
	char *data[8] = { NULL };
	size_t lens[8] = { 0 }, i;
	zib_doc *doc = NULL;
	zib_error err;
	int ok = count <= 8;

	for (i = 0; ok && i < count; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s%s%s", dir, prefix, names[i], suffix);
		files[i] = paths[i];
		ok = zib_read_file(&data[i], &lens[i], paths[i], ZIB_DEFAULT_MAX_SIZE, &err) == 0;
	}
	if (ok && zib_doc_read_many(&doc, ctx, "set", count, files, (const char *const *)data, lens,
	    NULL, &err) != 0)
		doc = NULL;
	for (i = 0; i < count; i++)
		free(data[i]);
	return doc;
}

/* The only LaboratoriumUitslag of doc, or NULL when there are none or more. */
static const struct zib_instance *only_lab_result(const zib_doc *doc)
{
	const struct zib_instance *inst, *lab = NULL;

	for (inst = doc->instances; inst; inst = inst->next)
		if (strcmp(inst->model->name_nl, "LaboratoriumUitslag") == 0) {
			if (lab)
				return NULL;
			lab = inst;
		}
	return lab;
}

/* A zib2017 lab panel read as a set with its members (BgZ MSZ patient D's
 * blood count 58410-2: related has-member Hb, Ht, thrombocytes): one
 * LaboratoriumUitslag, the panel code its Onderzoek, one LaboratoriumTest
 * per member with the member's code, value, range, flag and date; the
 * panel's comment its Toelichting, no UitslagInterpretatie. */
static const char *const lab_panel_files[] = { "96c0321d-6b39", "f1996d90-6ae6", "2c088a52-6aa7",
	"feaac152-6ab4" };

TEST(fhir_zib, stu3_lab_panel_one_uitslag)
{
	char dir[4096];
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;
	const struct zib_instance *lab;
	const struct zib_value *got[8];
	NEED_CORPUS(corpus);

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	snprintf(dir, sizeof(dir), "%s/fhir-stu3-bgz", corpus);
	doc = read_corpus_set(ctx, dir, STU3_LAB, lab_panel_files, "-11ec-0000-2.xml", 4);
	ASSERT(doc != NULL);
	lab = only_lab_result(doc);
	ASSERT(lab != NULL);
	ASSERT_STR_EQ("58410-2", find_value(lab->values, "NL-CM:13.1.4")->code);
	ASSERT_STR_EQ("Bloedbeeld", find_value(lab->values, "NL-CM:13.1.5")->text);
	ASSERT(find_value(lab->values, "NL-CM:13.1.32") == NULL);
	ASSERT_INT_EQ(3, (long)collect_values(lab->values, "NL-CM:13.1.3", got, 8, 0));
	ASSERT_INT_EQ(3, (long)collect_values(lab->values, "NL-CM:13.1.8", got, 8, 0));
	ASSERT_STR_EQ("59260-0", got[0]->code);
	ASSERT_STR_EQ("4544-3", got[1]->code);
	ASSERT_STR_EQ("777-3", got[2]->code);
	ASSERT_INT_EQ(3, (long)collect_values(lab->values, "NL-CM:13.1.10", got, 8, 0));
	ASSERT_STR_EQ("9.20", got[0]->number);
	ASSERT_STR_EQ("mmol/L", got[0]->unit);
	ASSERT_STR_EQ("278", got[2]->number);
	ASSERT_INT_EQ(3, (long)collect_values(lab->values, "NL-CM:13.1.11", got, 8, 0));
	ASSERT_STR_EQ("0.50", got[1]->number);
	ASSERT_INT_EQ(3, (long)collect_values(lab->values, "NL-CM:13.1.14", got, 8, 0));
	ASSERT_STR_EQ("11896004", got[0]->code);
	ASSERT_INT_EQ(3, (long)collect_values(lab->values, "NL-CM:13.1.13", got, 8, 0));
	ASSERT_STR_EQ("2008-06-22T10:30:00+02:00", got[0]->text);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* zib2020 the same by Observation.hasMember: nl-core-LaboratoryTestResult-04
 * (24360-0) with its tests -05 (Hb) and -06 (Ht). */
static const char *const r4_lab_panel_files[] = { "-04", "-LaboratoryTest-05", "-LaboratoryTest-06" };

TEST(fhir_zib, r4_lab_panel_one_uitslag)
{
	char dir[4096];
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;
	const struct zib_instance *lab;
	const struct zib_value *got[8];
	NEED_CORPUS(corpus);

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	snprintf(dir, sizeof(dir), "%s/fhir-r4-zib2020/examples", corpus);
	doc = read_corpus_set(ctx, dir, "nl-core-LaboratoryTestResult", r4_lab_panel_files, ".xml", 3);
	ASSERT(doc != NULL);
	lab = only_lab_result(doc);
	ASSERT(lab != NULL);
	ASSERT_STR_EQ("24360-0", find_value(lab->values, "NL-CM:13.1.4")->code);
	ASSERT_INT_EQ(2, (long)collect_values(lab->values, "NL-CM:13.1.8", got, 8, 0));
	ASSERT_STR_EQ("718-7", got[0]->code);
	ASSERT_STR_EQ("20570-8", got[1]->code);
	ASSERT_INT_EQ(2, (long)collect_values(lab->values, "NL-CM:13.1.10", got, 8, 0));
	ASSERT_STR_EQ("11.5", got[0]->number);
	ASSERT_STR_EQ("45", got[1]->number);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* A lone lab Observation with an identifier and no related (BgZ 3.0 patA
 * labresult1-1 read alone) has no GerelateerdeUitslag: the resource itself
 * is no reference to a related uitslag, and what nobody read in it (its
 * identifier) stays unread, to be reported. */
#define STU3_LAB_ALONE "BgZ-3-0/Test/_reference/resources/boratoryTestResult-Observation-medmij-bgz-test-patA-labresult1-1.xml"

TEST(fhir_zib, stu3_lab_alone_no_related_result)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	NEED_CORPUS(corpus);

	snprintf(path, sizeof(path), "%s/fhir-stu3-bgz/%s", corpus, STU3_LAB_ALONE);
	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	ASSERT(zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) == 0);
	ASSERT(zib_doc_read(&doc, ctx, path, data, len, NULL, &err) == 0);
	ASSERT(only_lab_result(doc) != NULL);
	ASSERT(find_value(only_lab_result(doc)->values, "NL-CM:13.1.8") != NULL);
	ASSERT(find_value(only_lab_result(doc)->values, "NL-CM:13.1.33") == NULL);
	ASSERT_INT_EQ(2, unread_at(corpus, "fhir-stu3-bgz/" STU3_LAB_ALONE, "Observation.identifier"));
	zib_doc_free(doc);
	free(data);
	zib_ctx_free(ctx);
}

/* AllergieStatus is clinicalStatus, or verificationStatus 'entered-in-error'
 * (nullified, through the profiles' ConceptMap); a verificationStatus with
 * no zib counterpart (STU3 'confirmed') beside a clinicalStatus adds
 * nothing to the status read. */
#define STU3_ALLERGY "fhir-stu3-bgz/BgZ-3-0/Test/_reference/resources/zib-AllergyIntolerance-medmij-bgz-test-patA-allergy1.xml"

static const struct pick allergy_status_picks[] = {
	{ "AllergieIntolerantie", "fhir-r4-zib2020/examples/nl-core-AllergyIntolerance-01.xml", "NL-CM:8.2.5", 'c', "nullified" },
	{ "AllergieIntolerantie", STU3_ALLERGY, "NL-CM:8.2.5", 'c', "active" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, allergy_status_from_verification_status)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, run_picks(corpus, allergy_status_picks));
	ASSERT_INT_EQ(0, unread_at(corpus, "fhir-r4-zib2020/examples/nl-core-AllergyIntolerance-01.xml",
		"AllergyIntolerance.verificationStatus"));
	ASSERT_INT_EQ(0, unread_at(corpus, STU3_ALLERGY, "AllergyIntolerance.verificationStatus"));
}

/* zib2017 concepts zib2020 holds otherwise: Procedure(Request).bodySite and
 * its laterality extension are VerrichtingAnatomischeLocatie's Locatie and
 * Lateraliteit; the medication period of use extensions (a Period, a
 * Duration) and MedicationStatement's duration extension are the
 * Gebruiksperiode's start and duration.  Fixture dates relative to the test
 * day ("${DATE, T, D, -44}") are dates. */
#define STU3_RES "fhir-stu3-bgz/BgZ-3-0/Test/_reference/resources/"
static const struct pick stu3_zib2017_picks[] = {
	{ "Verrichting", STU3_RES "zib-ProcedureRequest-medmij-bgz-test-patA-plannedprocedure1.xml", "NL-CM:20.7.4", 'c', "49076000" },
	{ "Verrichting", STU3_RES "zib-ProcedureRequest-medmij-bgz-test-patA-plannedprocedure1.xml", "NL-CM:20.7.3", 'c', "7771000" },
	{ "Verrichting", STU3_RES "zib-Procedure-medmij-bgz-test-patA-procedure1.xml", "NL-CM:20.7.3", 'c', "24028007" },
	/* zib2017 MedischHulpmiddel's Lateraliteit (NL-CM:10.1.12) on the
	 * bodySite's BodySite-Qualifier: zib2020 AnatomischeLocatie's. */
	{ "MedischHulpmiddel", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/zib-MedicalDevice-msz-c6f4c86e-6ad3-11ec-0000-2.xml", "NL-CM:20.7.3", 'c', "7771000" },
	{ "MedischHulpmiddel", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/zib-MedicalDevice-msz-9ccc0819-6ac9-11ec-0000-2.xml", "NL-CM:20.7.3", 'c', "24028007" },
	{ "MedicatieAfspraak", STU3_RES "zib-MedicationAgreement-medmij-bgz-test-patA-medagr1.xml", "NL-CM:20.3.2", 't', "2022-11-28T00:00:00+02:00" },
	{ "MedicatieAfspraak", STU3_RES "zib-MedicationAgreement-medmij-bgz-test-patA-medagr1.xml", "NL-CM:20.3.4", 'v', "14" },
	{ "ToedieningsAfspraak", STU3_RES "zib-AdministrationAgreement-medmij-bgz-test-patA-admagr1.xml", "NL-CM:20.3.4", 'v', "14" },
	{ "MedicatieGebruik", STU3_RES "zib-MedicationUse-medmij-bgz-test-patA-meduse1.xml", "NL-CM:20.3.4", 'v', "14" },
	/* A zib2017 VaccinationRecommendation is a planned Vaccinatie; its
	 * DesiredDateForRevaccination the VaccinatieDatum. */
	{ "Vaccinatie", STU3_RES "zib-VaccinationRecommendation-medmij-bgz-test-patA-vaccin1.xml", "NL-CM:11.1.2", 'c', "92975" },
	{ "Vaccinatie", STU3_RES "zib-VaccinationRecommendation-medmij-bgz-test-patA-vaccin1.xml", "NL-CM:11.1.3", 't', "2022-10-26" },
	/* The role of a referenced Zorgverlener in this contact, vaccination
	 * or procedure: ZorgverlenerRol beside the reference. */
	{ "Contact", STU3_RES "zib-Encounter-medmij-bgz-test-patA-encounter1.xml", "NL-CM:17.1.5", 'c', "PRF" },
	{ "Vaccinatie", STU3_RES "zib-Vaccination-medmij-bgz-test-patA-vaccin1.xml", "NL-CM:17.1.5", 'c', "REF" },
	{ "Verrichting", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/zib-ProcedureRequest-msz-c333410e-6b2a-11ec-0000-2.xml", "NL-CM:17.1.5", 'c', "RESP" },
	/* A performer backbone's actor: Uitvoerder's Zorgverlener, Locatie's
	 * Zorgaanbieder (zib2017 maps both to Procedure.performer). */
	{ "Verrichting", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/zib-Procedure-msz-c333410e-6b2a-11ec-0000-2.xml", "NL-CM:17.1.1", 'r', "Practitioner/nl-core-practitioner-msz-2-16-840-1-113883-2-4-6-1-10000011" },
	{ "Verrichting", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/zib-Procedure-msz-c333410e-6b2a-11ec-0000-2.xml", "NL-CM:17.2.1", 'r', "Organization/nl-core-organization-msz-2-16-840-1-113883-2-4-6-1-20000011" },
	/* Fixture dates relative to the test day are kept as written. */
	{ "Verrichting", STU3_RES "zib-ProcedureRequest-medmij-bgz-test-patA-plannedprocedure1.xml", "NL-CM:14.1.2", 't', "${DATE, T, D, +11}" },
	{ "MedicatieAfspraak", "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/zib-MedicationAgreement-msz-7d82b10f-6aed-11ec-0000-2.xml", "NL-CM:9.6.19757", 't', "${DATE, T, D, -44}" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, stu3_zib2017_concepts)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, run_picks(corpus, stu3_zib2017_picks));
}

/* The product of an STU3 medication zib: medicationReference is the
 * FarmaceutischProduct reference below Afgesprokengeneesmiddel,
 * GeneesmiddelBijToedieningsAfspraak and Gebruiksproduct (zib-Product maps
 * the referenced Medication itself, not an element beside the reference). */
#define MSZ_RES "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/"
static const struct pick stu3_product_picks[] = {
	{ "MedicatieAfspraak", MSZ_RES "zib-MedicationAgreement-msz-7d82b10f-6aed-11ec-0000-2.xml", "NL-CM:9.7.19926", 'r', "Medication/zib-Product-msz-2-16-840-1-113883-2-4-4-10-67903" },
	{ "ToedieningsAfspraak", MSZ_RES "zib-AdministrationAgreement-msz-4c3c0d4f-6b00-11ec-0000-2.xml", "NL-CM:9.7.19926", 'r', "Medication/zib-Product-msz-2-16-840-1-113883-2-4-4-7-2456451" },
	{ "MedicatieGebruik", MSZ_RES "zib-MedicationUse-msz-313fb431-6ae4-11ec-0000-2.xml", "NL-CM:9.7.19926", 'r', "Medication/zib-Product-msz-2-16-840-1-113883-2-4-4-10-67903" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, stu3_medication_product)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, run_picks(corpus, stu3_product_picks));
}

/* files (below the corpus folder sub, NULL-ended) read as one set, as
 * `@LIST` reads them. */
static zib_doc *read_set(zib_ctx *ctx, const char *corpus, const char *sub, const char *const *files)
{
	char paths[8][4096];
	const char *names[8] = { NULL }, *datas[8] = { NULL };
	char *bufs[8] = { NULL };
	size_t lens[8] = { 0 }, n;
	zib_doc *doc = NULL;
	zib_error err;
	int ok = 1;

	for (n = 0; files[n] && n < 8 && ok; n++) {
		snprintf(paths[n], sizeof(paths[n]), "%s/%s%s", corpus, sub, files[n]);
		names[n] = paths[n];
		ok = zib_read_file(&bufs[n], &lens[n], paths[n], ZIB_DEFAULT_MAX_SIZE, &err) == 0;
		datas[n] = bufs[n];
	}
	if (ok && zib_doc_read_many(&doc, ctx, "set", n, names, datas, lens, NULL, &err) < 0)
		doc = NULL;
	while (n--)
		free(bufs[n]);
	return doc;
}

/* The id of the instance the first concept id value of zib's first
 * instance references, "" when it does not resolve, NULL when absent. */
static const char *ref_target(const zib_doc *doc, const char *zib, const char *id)
{
	const struct zib_instance *inst;

	for (inst = doc->instances; inst; inst = inst->next) {
		const struct zib_value *v;
		if (strcmp(inst->model->name_nl, zib) != 0 || !(v = find_value(inst->values, id)))
			continue;
		return v->target ? v->target->id : "";
	}
	return NULL;
}

/* An STU3 MedicationRequest.requester is a backbone: its agent is the
 * Voorschrijver's Zorgverlener.  Read with the Practitioner and its
 * PractitionerRole it resolves to their Zorgverlener instance. */
static const struct pick stu3_prescriber_picks[] = {
	{ "MedicatieAfspraak", MSZ_RES "zib-MedicationAgreement-msz-7d82b10f-6aed-11ec-0000-2.xml", "NL-CM:17.1.1", 'r', "Practitioner/nl-core-practitioner-msz-2-16-840-1-113883-2-4-6-1-10000017" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, stu3_prescriber_is_requester_agent)
{
	static const char *const set[] = {
		"zib-MedicationAgreement-msz-7d82b10f-6aed-11ec-0000-2.xml",
		"nl-core-practitionerrole-msz-10000017.xml",
		"nl-core-practitioner-msz-2-16-840-1-113883-2-4-6-1-10000017.xml", NULL
	};
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;
	const char *got;

	NEED_CORPUS(corpus);
	ASSERT_INT_EQ(0, run_picks(corpus, stu3_prescriber_picks));
	ASSERT_INT_EQ(0, zib_ctx_new(&ctx, NULL, &err));
	doc = read_set(ctx, corpus, MSZ_RES, set);
	ASSERT(doc != NULL);
	got = ref_target(doc, "MedicatieAfspraak", "NL-CM:17.1.1");
	ASSERT_STR_EQ("nl-core-practitionerrole-msz-10000017", got ? got : "(absent)");
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* The code and system of the first value of concept id in zib's first
 * instance that has one, as "code system", or "(absent)". */
static const char *code_in(const zib_doc *doc, const char *zib, const char *id, char *buf, size_t size)
{
	const struct zib_instance *inst;

	snprintf(buf, size, "(absent)");
	for (inst = doc->instances; inst; inst = inst->next) {
		const struct zib_value *v;
		if (strcmp(inst->model->name_nl, zib) != 0 || !(v = find_value(inst->values, id)))
			continue;
		snprintf(buf, size, "%s %s", v->code ? v->code : "", v->system ? v->system : "");
		break;
	}
	return buf;
}

/* Instances of zib in doc. */
static int count_instances(const zib_doc *doc, const char *zib)
{
	const struct zib_instance *inst;
	int n = 0;

	for (inst = doc->instances; inst; inst = inst->next)
		n += strcmp(inst->model->name_nl, zib) == 0;
	return n;
}

/* The ref of the Zorgverlener below group in zib's first instance that
 * has one, or "(absent)". */
static const char *ref_in(const zib_doc *doc, const char *zib, const char *group)
{
	const struct zib_instance *inst;

	for (inst = doc->instances; inst; inst = inst->next) {
		const struct zib_value *g, *v;
		if (strcmp(inst->model->name_nl, zib) == 0 && (g = find_value(inst->values, group)) &&
		    (v = find_value(g->children, "NL-CM:17.1.1")) && v->ref)
			return v->ref;
	}
	return "(absent)";
}

/* The STU3 ProcedureRequest a Procedure or a lab Observation is basedOn is
 * the order it fulfils, read through it: no Verrichting of its own, and
 * its requester's agent is the Aanvrager's Zorgverlener (zib2017 maps
 * Aanvrager to basedOn). */
TEST(fhir_zib, stu3_order_requester_is_aanvrager)
{
	static const char *const procedure[] = {
		"zib-Procedure-msz-c333410e-6b2a-11ec-0000-2.xml",
		"zib-ProcedureRequest-msz-c333410e-6b2a-11ec-0000-2.xml", NULL
	};
	static const char *const lab[] = {
		"b-LaboratoryTestResult-Observation-msz-96c0321d-6b39-11ec-0000-2.xml",
		"zib-ProcedureRequest-msz-96c0321d-6b39-11ec-0000-2.xml", NULL
	};
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;

	NEED_CORPUS(corpus);
	ASSERT_INT_EQ(0, zib_ctx_new(&ctx, NULL, &err));
	doc = read_set(ctx, corpus, MSZ_RES, procedure);
	ASSERT(doc != NULL);
	ASSERT_INT_EQ(1, count_instances(doc, "Verrichting"));
	ASSERT_STR_EQ("Practitioner/nl-core-practitioner-msz-2-16-840-1-113883-2-4-6-1-10000012",
		ref_in(doc, "Verrichting", "NL-CM:14.1.10"));
	zib_doc_free(doc);
	doc = read_set(ctx, corpus, MSZ_RES, lab);
	ASSERT(doc != NULL);
	ASSERT_INT_EQ(0, count_instances(doc, "Verrichting"));
	ASSERT_STR_EQ("Practitioner/nl-core-practitioner-msz-2-16-840-1-113883-2-4-6-1-10000014",
		ref_in(doc, "LaboratoriumUitslag", "NL-CM:13.1.34"));
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* zib2017 MedischHulpmiddel ProductID: the referenced Device's identifier,
 * a code in its system; of two, the one its udi.carrierHRF repeats (the
 * other identifies the resource: zib2017's basis IdentificatieNummer). */
TEST(fhir_zib, stu3_device_product_id)
{
	static const char *const msz[] = {
		"zib-MedicalDevice-msz-6647560f-6b3b-11ec-0000-2.xml",
		"zib-MedicalDeviceProduct-msz-6647560f-6b3b-11ec-0000-2.xml", NULL
	};
	static const char *const pat_a[] = {
		"zib-MedicalDevice-medmij-bgz-test-patA-medDevice1.xml",
		"zib-MedicalDeviceProduct-medmij-bgz-test-patA-medDevice1.xml", NULL
	};
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;
	char buf[256];

	NEED_CORPUS(corpus);
	ASSERT_INT_EQ(0, zib_ctx_new(&ctx, NULL, &err));
	doc = read_set(ctx, corpus, MSZ_RES, msz);
	ASSERT(doc != NULL);
	ASSERT_STR_EQ("TESTPVC999900 urn:oid:2.16.840.1.113883.6.40",
		code_in(doc, "MedischHulpmiddel", "NL-CM:10.1.4", buf, sizeof(buf)));
	zib_doc_free(doc);
	doc = read_set(ctx, corpus, STU3_RES, pat_a);
	ASSERT(doc != NULL);
	ASSERT_STR_EQ("8720663634511 urn:oid:1.3.160",
		code_in(doc, "MedischHulpmiddel", "NL-CM:10.1.4", buf, sizeof(buf)));
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* zib2017 Gebruiksinstructie on an STU3 Dosage (zib-InstructionsForUse,
 * its timing a zib-AdministrationSchedule): Omschrijving is Dosage.text,
 * AanvullendeInstructie additionalInstruction, Keerdosis dose[x] with
 * doseQuantity its nominaleWaarde and doseRange low/high its minimum and
 * maximum (G-Standaard unit codes).  timing.repeat frequency/period/
 * periodUnit (Frequentie or Interval) stay unread and are reported;
 * MedicationStatement's effectivePeriod is Gebruiksperiode only, not a
 * Toedieningsduur of the Dosering. */
#define STU3_MSZ "fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/"
#define STU3_MA1 STU3_RES "zib-MedicationAgreement-medmij-bgz-test-patA-medagr1.xml"
#define STU3_MA2 STU3_RES "zib-MedicationAgreement-medmij-bgz-test-patA-medagr2.xml"
#define STU3_MU1 STU3_RES "zib-MedicationUse-medmij-bgz-test-patA-meduse1.xml"
static const struct pick stu3_dosage_picks[] = {
	{ "MedicatieAfspraak", STU3_MA1, "NL-CM:9.12.9581", 't', "Vanaf 28 november, gedurende 14 dagen, 2 maal per dag 1T, oraal" },
	{ "MedicatieAfspraak", STU3_MA1, "NL-CM:20.1.4", 'v', "2.5" },
	{ "MedicatieAfspraak", STU3_MA2, "NL-CM:9.12.19944", 't', "Na 7 dagen één dag niet gebruiken" },
	{ "MedicatieAfspraak", STU3_MA2, "NL-CM:20.1.3", 'v', "600" },
	{ "ToedieningsAfspraak", STU3_RES "zib-AdministrationAgreement-medmij-bgz-test-patA-admagr1.xml", "NL-CM:20.1.4", 'v', "2.5" },
	{ "MedicatieGebruik", STU3_MU1, "NL-CM:9.12.9581", 't', "Vanaf 28 november, gedurende 14 dagen, 2 maal per dag 1T, oraal" },
	{ "MedicatieAfspraak", STU3_MSZ "zib-MedicationAgreement-msz-8079c3be-6af9-11ec-0000-2.xml", "NL-CM:20.1.2", 'v', "0" },
	{ "MedicatieAfspraak", STU3_MSZ "zib-MedicationAgreement-msz-8079c3be-6af9-11ec-0000-2.xml", "NL-CM:20.1.3", 'v', "1" },
	{ "MedicatieGebruik", STU3_MSZ "zib-MedicationUse-msz-ce81fbbe-6b56-11ec-0000-2.xml", "NL-CM:9.12.9581", 't', "3 keer per dag 0 of 1 stuk" },
	{ "ToedieningsAfspraak", STU3_MSZ "zib-AdministrationAgreement-msz-fd4fefe9-6b31-11ec-0000-2.xml", "NL-CM:9.12.9581", 't', "Oraal" },
	{ NULL, NULL, NULL, 0, NULL }
};

/* How many values of concept the instances of file (below dir) hold. */
static int values_of(const char *dir, const char *file, const char *concept)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	const struct zib_instance *inst;
	int count = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (zib_ctx_new(&ctx, NULL, &err) < 0)
		return -1;
	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) == 0 &&
	    zib_doc_read(&doc, ctx, path, data, len, NULL, &err) == 0) {
		count = 0;
		for (inst = doc->instances; inst; inst = inst->next)
			count += find_value(inst->values, concept) != NULL;
	}
	zib_doc_free(doc);
	free(data);
	zib_ctx_free(ctx);
	return count;
}

TEST(fhir_zib, stu3_dosage)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, run_picks(corpus, stu3_dosage_picks));
	ASSERT_INT_EQ(0, unread_at(corpus, STU3_MA1, "MedicationRequest.dosageInstruction"));
	/* period and periodUnit ("elke 4 uur") are the Interval */
	ASSERT_INT_EQ(0, unread_at(corpus, STU3_MA2, "MedicationRequest.dosageInstruction[0].timing.repeat.period"));
	ASSERT_INT_EQ(0, unread_at(corpus, STU3_MA2, "MedicationRequest.dosageInstruction[0].doseQuantity"));
	/* a G-Standaard numerator (229 mg) per 1 d: read as a rate */
	ASSERT_INT_EQ(0, unread_at(corpus, STU3_MA2, "MedicationRequest.dosageInstruction[1].maxDosePerPeriod"));
	ASSERT_INT_EQ(0, values_of(corpus, STU3_MU1, "NL-CM:9.12.23141"));
}

/* The value of concept id in the first instance of zib holding one, as
 * "number unit (system) display per X" in buf (the parts set); "" when
 * none. */
static const char *schedule_value(const zib_doc *doc, const char *zib, const char *id, char *buf, size_t size)
{
	const struct zib_instance *inst;

	buf[0] = '\0';
	for (inst = doc->instances; inst; inst = inst->next) {
		const struct zib_value *v;
		if (strcmp(inst->model->name_nl, zib) != 0 || !(v = find_value(inst->values, id)))
			continue;
		snprintf(buf, size, "%s %s%s%s%s%s%s%s", v->number ? v->number : "-", v->unit ? v->unit : "-",
			v->system ? " (" : "", v->system ? v->system : "", v->system ? ")" : "",
			v->display ? " " : "", v->display ? v->display : "", v->per ? " per " : "");
		if (v->per)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s", v->per);
		break;
	}
	return buf;
}

static zib_doc *read_path(zib_ctx *ctx, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	zib_doc *doc = NULL;
	zib_error err;

	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) == 0)
		zib_doc_read(&doc, ctx, path, data, len, NULL, &err);
	free(data);
	return doc;
}

/* Toedieningsschema from Timing.repeat (lib/fhir/zib_read.c
 * fhir_read_schedule_part): a period without frequency is the Interval, a
 * frequency per period the Frequentie. */
TEST(fhir_zib, stu3_schedule)
{
	char path[4096], buf[128];
	zib_ctx *ctx = NULL;
	zib_doc *doc;
	zib_error err;
	NEED_CORPUS(corpus);

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	snprintf(path, sizeof(path), "%s/%s", corpus, STU3_MA2);
	ASSERT((doc = read_path(ctx, path)) != NULL);
	ASSERT_STR_EQ("4 h", schedule_value(doc, "MedicatieAfspraak", "NL-CM:9.12.19950", buf, sizeof(buf)));
	/* G-Standaard units keep their system: 229 is mg, not the number 229 */
	ASSERT_STR_EQ("600 229 (2.16.840.1.113883.2.4.4.1.900.2) mg",
		schedule_value(doc, "MedicatieAfspraak", "NL-CM:20.1.4", buf, sizeof(buf)));
	ASSERT_STR_EQ("600 229 (2.16.840.1.113883.2.4.4.1.900.2) mg per d",
		schedule_value(doc, "MedicatieAfspraak", "NL-CM:9.12.19946", buf, sizeof(buf)));
	ASSERT_STR_EQ("", schedule_value(doc, "MedicatieAfspraak", "NL-CM:9.12.19949", buf, sizeof(buf)));
	zib_doc_free(doc);
	snprintf(path, sizeof(path), "%s/%s", corpus, STU3_MSZ "zib-MedicationUse-msz-ce81fbbe-6b56-11ec-0000-2.xml");
	ASSERT((doc = read_path(ctx, path)) != NULL);
	ASSERT_STR_EQ("- -", schedule_value(doc, "MedicatieGebruik", "NL-CM:9.12.19949", buf, sizeof(buf)));
	/* (its Keerdosis is a Range without nominaleWaarde) */
	ASSERT_STR_EQ("3 /d", schedule_value(doc, "MedicatieGebruik", "NL-CM:20.1.4", buf, sizeof(buf)));
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* A frequency range per 8 hours with a maximum dose in UCUM units, an MP9
 * interval (frequency 1 with timing-exact), and an administration that
 * takes 30 min once a day, in R4 MedicationStatements of our own. */
static const char schedule_json[] =
	"{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
	"{\"fullUrl\":\"urn:uuid:0c6f7e1a-5b2d-4e3f-8a9b-1c2d3e4f5a01\",\"resource\":"
	"{\"resourceType\":\"MedicationStatement\",\"id\":\"freq\",\"meta\":{\"profile\":"
	"[\"http://nictiz.nl/fhir/StructureDefinition/mp-MedicationUse2\"]},\"status\":\"active\","
	"\"subject\":{\"display\":\"P\"},\"medicationCodeableConcept\":{\"text\":\"x\"},"
	"\"dosage\":[{\"sequence\":1,\"timing\":{\"repeat\":{\"frequency\":2,\"frequencyMax\":3,"
	"\"period\":8,\"periodUnit\":\"h\"}},\"maxDosePerPeriod\":{\"numerator\":{\"value\":4000,"
	"\"unit\":\"mg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg\"},\"denominator\":"
	"{\"value\":2,\"unit\":\"d\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"d\"}}}]}},"
	"{\"fullUrl\":\"urn:uuid:0c6f7e1a-5b2d-4e3f-8a9b-1c2d3e4f5a02\",\"resource\":"
	"{\"resourceType\":\"MedicationStatement\",\"id\":\"intv\",\"meta\":{\"profile\":"
	"[\"http://nictiz.nl/fhir/StructureDefinition/mp-MedicationUse2\"]},\"status\":\"active\","
	"\"subject\":{\"display\":\"P\"},\"medicationCodeableConcept\":{\"text\":\"x\"},"
	"\"dosage\":[{\"sequence\":1,\"timing\":{\"repeat\":{\"extension\":[{\"url\":"
	"\"http://hl7.org/fhir/StructureDefinition/timing-exact\",\"valueBoolean\":true}],"
	"\"frequency\":1,\"period\":6,\"periodUnit\":\"h\"}}}]}},"
	"{\"fullUrl\":\"urn:uuid:0c6f7e1a-5b2d-4e3f-8a9b-1c2d3e4f5a03\",\"resource\":"
	"{\"resourceType\":\"MedicationStatement\",\"id\":\"dur\",\"meta\":{\"profile\":"
	"[\"http://nictiz.nl/fhir/StructureDefinition/mp-MedicationUse2\"]},\"status\":\"active\","
	"\"subject\":{\"display\":\"P\"},\"medicationCodeableConcept\":{\"text\":\"x\"},"
	"\"dosage\":[{\"sequence\":1,\"timing\":{\"repeat\":{\"duration\":30,\"durationUnit\":\"min\","
	"\"frequency\":1,\"period\":1,\"periodUnit\":\"d\"}}}]}}]}";

/* Does doc written as R4 JSON (compact) hold text? */
static int written_has(const zib_doc *doc, const char *text)
{
	zib_fhir *f = NULL;
	zib_error err;
	char *out = NULL;
	size_t len = 0;
	int found;

	if (zib_doc_to_fhir_r4(&f, doc, NULL, NULL, &err) != ZIB_OK)
		return 0;
	found = zib_fhir_write_json(&out, &len, f, 0, &err) == ZIB_OK && strstr(out, text) != NULL;
	free(out);
	zib_fhir_free(f);
	return found;
}

TEST(fhir_zib, r4_schedule)
{
	char buf[64];
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	size_t i;
	int unread = 0;

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	ASSERT(zib_doc_read(&doc, ctx, "schedule.json", schedule_json, strlen(schedule_json), NULL, &err) == 0);
	ASSERT_STR_EQ("2 /(8.h)", schedule_value(doc, "MedicatieGebruik", "NL-CM:20.1.2", buf, sizeof(buf)));
	ASSERT_STR_EQ("3 /(8.h)", schedule_value(doc, "MedicatieGebruik", "NL-CM:20.1.3", buf, sizeof(buf)));
	ASSERT_STR_EQ("6 h", schedule_value(doc, "MedicatieGebruik", "NL-CM:9.12.19950", buf, sizeof(buf)));
	/* MaximaleDosering: a Ratio is a rate, 4000 mg per 2 d (fill_ratio) */
	ASSERT_STR_EQ("4000 mg per 2.d", schedule_value(doc, "MedicatieGebruik", "NL-CM:9.12.19946", buf, sizeof(buf)));
	/* Toedieningsduur's tijdsDuur from duration and durationUnit */
	ASSERT_STR_EQ("30 min", schedule_value(doc, "MedicatieGebruik", "NL-CM:20.3.4", buf, sizeof(buf)));
	for (i = 0; i < zib_doc_unmapped_count(doc); i++) {
		const char *at = NULL, *what = NULL;
		int line;
		zib_doc_unmapped_at(doc, i, &line, &at, &what);
		unread += at && (strstr(at, "timing") || strstr(at, "maxDosePerPeriod"));
	}
	ASSERT_INT_EQ(0, unread);
	ASSERT(written_has(doc, "\"duration\":30,\"durationUnit\":\"min\""));
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* Each participant's own role: BgZ MSZ patient D's third encounter has two
 * participants, a type (RESP) on the first only. */
static int roles_per_contact_met(const char *file, int *groups)
{
	char *data = NULL;
	size_t len = 0;
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	const struct zib_value *v;
	int roles = -1;

	*groups = 0;
	if (zib_ctx_new(&ctx, NULL, &err) < 0 || zib_read_file(&data, &len, file, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		goto done;
	if (zib_doc_read(&doc, ctx, file, data, len, NULL, &err) < 0 || !doc->instances)
		goto done;
	roles = 0;
	for (v = doc->instances->values; v; v = v->next) {
		if (strcmp(v->concept->id, "NL-CM:15.1.7") != 0)
			continue;
		(*groups)++;
		roles += find_value(v->children, "NL-CM:17.1.5") != NULL;
	}
done:
	zib_doc_free(doc);
	zib_ctx_free(ctx);
	free(data);
	return roles;
}

TEST(fhir_zib, stu3_role_beside_each_participant)
{
	char file[4096];
	int groups;
	NEED_CORPUS(corpus);

	snprintf(file, sizeof(file), "%s/fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/"
		"zib-Encounter-msz-BGZ-MSZ-PATD-ENCOUNTER31999-06-11.xml", corpus);
	ASSERT_INT_EQ(1, roles_per_contact_met(file, &groups));
	ASSERT_INT_EQ(2, groups);
}

/* BehandelAanwijzing2's AfspraakPartij Patient, Vertegenwoordiger and
 * Zorgverlener share one element (provision.actor.reference): the
 * reference's target type tells which it is. */
static const struct pick agreement_party_picks[] = {
	{ "BehandelAanwijzing", "nl-core-TreatmentDirective2-01.xml", "NL-CM:2.2.11", 'r',
	  "RelatedPerson/nl-core-TreatmentDirective2-01-RelatedPerson-01" },
	{ "BehandelAanwijzing", "nl-core-TreatmentDirective2-01.xml", "NL-CM:2.2.12", 'r',
	  "PractitionerRole/nl-core-TreatmentDirective2-01-PractitionerRole-01" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, r4_agreement_party_by_target_type)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-r4-zib2020/examples", agreement_party_picks));
}

TEST(fhir_zib, r4_examples_each_zib)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-r4-zib2020/examples", r4_picks));
}

TEST(fhir_zib, stu3_fixtures_each_zib)
{
	NEED_CORPUS(corpus);

	ASSERT_INT_EQ(0, corpus_picks(corpus, "fhir-stu3-bgz", stu3_picks));
}

TEST(fhir_zib, r4_examples_have_no_medication)
{
	char cmd[4200];
	NEED_CORPUS(corpus);

	snprintf(cmd, sizeof(cmd), "grep -lq '<MedicationRequest\\|<MedicationDispense\\|<MedicationStatement' "
		"%s/fhir-r4-zib2020/examples/*.xml", corpus);
	ASSERT_INT_EQ(1, WEXITSTATUS(system(cmd)) ? 1 : 0);
}

/*
 * R4 medication (mp9 profiles, not in the corpus): testdata/fhir-medication
 * holds a MedicationRequest (mp-MedicationAgreement), a MedicationDispense
 * (mp-AdministrationAgreement) and a MedicationStatement (mp-MedicationUse2)
 * written for these tests.
 */
#define MP9_R4 "testdata/fhir-medication/mp9-r4-medication.json"

static const struct pick r4_medication_picks[] = {
	{ "MedicatieAfspraak", MP9_R4, "NL-CM:9.6.19757", 't', "2021-05-10T10:00:00+02:00" },
	{ "ToedieningsAfspraak", MP9_R4, "NL-CM:9.8.20133", 't', "2021-05-11T09:00:00+02:00" },
	{ "MedicatieGebruik", MP9_R4, "NL-CM:9.11.22398", 't', "2021-06-01T14:00:00+02:00" },
	{ NULL, NULL, NULL, 0, NULL }
};

static zib_doc *read_mp9(zib_ctx **ctx)
{
	char *data = NULL;
	size_t len = 0;
	zib_doc *doc = NULL;
	zib_error err;

	*ctx = NULL;
	if (zib_ctx_new(ctx, NULL, &err) < 0 || zib_read_file(&data, &len, MP9_R4, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		return NULL;
	if (zib_doc_read(&doc, *ctx, MP9_R4, data, len, NULL, &err) < 0)
		doc = NULL;
	free(data);
	return doc;
}

/* The reader tells the three medication zibs apart by meta.profile. */
TEST(fhir_zib, r4_own_medication_zibs_identified)
{
	zib_ctx *ctx;
	zib_doc *doc = read_mp9(&ctx);
	const struct zib_instance *inst;
	size_t i, found = 0;

	ASSERT(doc != NULL);
	for (i = 0; r4_medication_picks[i].zib; i++)
		for (inst = doc->instances; inst; inst = inst->next)
			if (strcmp(inst->model->name_nl, r4_medication_picks[i].zib) == 0) {
				found++;
				break;
			}
	zib_doc_free(doc);
	zib_ctx_free(ctx);
	ASSERT_INT_EQ(3, found);
}

/* R4 medication documents of our own (testdata/fhir-medication, MP9
 * profiles, paths from zib-models/mp9-r4-mappings.tsv): the agreement,
 * its product, period of use and dosing instructions; an administration
 * agreement with an as-needed dose range; a medication use by weekday. */
#define MP9_MA "testdata/fhir-medication/mp-medicationagreement-01.xml"
#define MP9_TA "testdata/fhir-medication/mp-administrationagreement-01.json"
#define MP9_MGB "testdata/fhir-medication/mp-medicationuse-01.xml"

static const struct pick r4_own_medication_picks[] = {
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:9.6.19757", 't', "2026-03-02T09:41:00+01:00" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:9.7.19926", 'r', "urn:uuid:6f1c2a30-4b5d-4e6f-8a7b-9c0d1e2f3a02" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:20.3.2", 't', "2026-03-02T00:00:00+01:00" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:20.3.3", 't', "2026-03-09T23:59:59+01:00" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:9.12.19941", 'c', "9" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:9.12.22506", 'v', "3" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:20.1.4", 'v', "6" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:9.12.19953", 'c', "73775008" },
	{ "MedicatieAfspraak", MP9_MA, "NL-CM:9.6.22273", 't', "Stootkuur bij exacerbatie COPD; bij koorts opnieuw contact opnemen." },
	{ "ToedieningsAfspraak", MP9_TA, "NL-CM:9.8.20133", 't', "2026-01-15T11:20:00+01:00" },
	{ "ToedieningsAfspraak", MP9_TA, "NL-CM:20.3.2", 't', "2026-01-16T00:00:00+01:00" },
	{ "ToedieningsAfspraak", MP9_TA, "NL-CM:9.12.19945", 'c', "1028" },
	{ "ToedieningsAfspraak", MP9_TA, "NL-CM:20.1.2", 'v', "1" },
	{ "ToedieningsAfspraak", MP9_TA, "NL-CM:20.1.3", 'v', "2" },
	{ "ToedieningsAfspraak", MP9_TA, "NL-CM:17.2.1", 'r', "urn:uuid:8d2e4f60-1a3b-4c5d-9e7f-0a1b2c3d4e04" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:9.11.22398", 't', "2026-02-20T10:15:00+01:00" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:20.3.2", 't', "2025-09-01T00:00:00+02:00" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:9.12.19952", 'c', "307145004" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:9.12.19951", 't', "08:00:00" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:20.1.4", 'v', "4" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:9.11.22492", 't', "true" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:9.11.22399", 't', "true" },
	{ "MedicatieGebruik", MP9_MGB, "NL-CM:9.11.22491", 't', "Reumatoïde artritis" },
	{ NULL, NULL, NULL, 0, NULL }
};

TEST(fhir_zib, r4_own_medication_values)
{
	ASSERT_INT_EQ(0, run_picks(".", r4_medication_picks));
	ASSERT_INT_EQ(0, run_picks(".", r4_own_medication_picks));
}

/* The values of one concept, depth first (find_value's order). */
static size_t collect_values(const struct zib_value *v, const char *id, const struct zib_value **out,
	size_t max, size_t n)
{
	for (; v; v = v->next) {
		if (strcmp(v->concept->id, id) == 0 && n < max)
			out[n++] = v;
		n = collect_values(v->children, id, out, max, n);
	}
	return n;
}

/* Two sequential Dosages are two Doseerinstructies, each with its own
 * dose; the route MP9 copies into both is one Toedieningsweg. */
TEST(fhir_zib, r4_own_medication_dosages)
{
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	char *data = NULL;
	size_t len = 0;
	const struct zib_instance *inst;
	const struct zib_value *got[4];

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	ASSERT(zib_read_file(&data, &len, MP9_MA, ZIB_DEFAULT_MAX_SIZE, &err) == 0);
	ASSERT(zib_doc_read(&doc, ctx, MP9_MA, data, len, NULL, &err) == 0);
	for (inst = doc->instances; inst; inst = inst->next)
		if (strcmp(inst->model->name_nl, "MedicatieAfspraak") == 0)
			break;
	ASSERT(inst != NULL);
	ASSERT_INT_EQ(2, (int)collect_values(inst->values, "NL-CM:9.12.22095", got, 4, 0));
	ASSERT_INT_EQ(1, (int)collect_values(inst->values, "NL-CM:9.12.19941", got, 4, 0));
	ASSERT_INT_EQ(2, (int)collect_values(inst->values, "NL-CM:9.12.19940", got, 4, 0));
	ASSERT_INT_EQ(2, (int)collect_values(inst->values, "NL-CM:9.12.22503", got, 4, 0));
	ASSERT_STR_EQ("2", got[1]->number);
	/* nominaleWaarde of the Keerdosis and of the Frequentie (1 /d) */
	ASSERT_INT_EQ(4, (int)collect_values(inst->values, "NL-CM:20.1.4", got, 4, 0));
	ASSERT_INT_EQ(2, (int)collect_values(inst->values, "NL-CM:9.12.19940", got, 4, 0));
	ASSERT_STR_EQ("6", got[0]->children->number);
	ASSERT_STR_EQ("4", got[1]->children->number);
	ASSERT_INT_EQ(2, (int)collect_values(inst->values, "NL-CM:9.12.19949", got, 4, 0));
	ASSERT_STR_EQ("1", got[1]->children->number);
	ASSERT_STR_EQ("/d", got[1]->children->unit);
	zib_doc_free(doc);
	free(data);
	zib_ctx_free(ctx);
}

/* A zib2017 Patient.contact with a role coding only (RolCodelijst 22.472):
 * Rol, not also Relatie through RelatedPerson.relationship, a path of
 * another resource (no datatype's, so not relative to the contact). */
TEST(fhir_zib, stu3_contact_role_is_no_relation)
{
	static const char patient[] =
		"{\"resourceType\":\"Patient\",\"id\":\"p\",\"meta\":{\"profile\":"
		"[\"http://fhir.nl/fhir/StructureDefinition/nl-core-patient\"]},\"contact\":[{\"relationship\":"
		"[{\"coding\":[{\"system\":\"urn:oid:2.16.840.1.113883.2.4.3.11.22.472\",\"code\":\"2\"}]}],"
		"\"name\":{\"family\":\"X\"}}]}";
	zib_ctx *ctx = NULL;
	zib_doc *doc = NULL;
	zib_error err;
	const struct zib_instance *inst;
	int roles = 0, relations = 0;

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	ASSERT(zib_doc_read(&doc, ctx, "p.json", patient, strlen(patient), NULL, &err) == 0);
	for (inst = doc->instances; inst; inst = inst->next) {
		if (strcmp(inst->model->name_nl, "Contactpersoon") != 0)
			continue;
		roles += find_value(inst->values, "NL-CM:3.1.2") != NULL;
		relations += find_value(inst->values, "NL-CM:3.1.3") != NULL;
	}
	ASSERT_INT_EQ(1, roles);
	ASSERT_INT_EQ(0, relations);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}

/* A medication resource's status "unknown" (what R4 asks when nothing is
 * known) says neither used (GebruikIndicator) nor cancelled
 * (GeannuleerdIndicator); "not-taken" is GebruikIndicator false. */
TEST(fhir_zib, r4_status_unknown_is_no_indicator)
{
	static const char use[] =
		"{\"resourceType\":\"MedicationStatement\",\"id\":\"u\",\"meta\":{\"profile\":"
		"[\"http://nictiz.nl/fhir/StructureDefinition/mp-MedicationUse2\"]},\"status\":\"%s\","
		"\"subject\":{\"display\":\"P\"},\"medicationCodeableConcept\":{\"text\":\"x\"}}";
	const char *statuses[] = { "unknown", "not-taken" };
	int want[] = { 0, 1 };
	zib_ctx *ctx = NULL;
	zib_error err;
	size_t i;

	ASSERT(zib_ctx_new(&ctx, NULL, &err) == 0);
	for (i = 0; i < 2; i++) {
		char json[1024];
		zib_doc *doc = NULL;
		snprintf(json, sizeof(json), use, statuses[i]);
		ASSERT(zib_doc_read(&doc, ctx, "u.json", json, strlen(json), NULL, &err) == 0);
		ASSERT(doc->instances != NULL);
		ASSERT_INT_EQ(want[i], find_value(doc->instances->values, "NL-CM:9.11.22399") != NULL);
		zib_doc_free(doc);
	}
	zib_ctx_free(ctx);
}
