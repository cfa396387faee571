/*
 * Unit tests of the model registry: the compiled-in model set, lookups,
 * loading from a directory with clear errors, and value set codes checked
 * against the R4 zib2020 ValueSets in ../shared/corpus.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "harness.h"
#include "zib.h"

static zib_ctx *load_builtin(void)
{
	zib_ctx *ctx = NULL;
	zib_error err;

	if (zib_ctx_new(&ctx, NULL, &err) != ZIB_OK) {
		printf("    cannot load models: %s\n", err.message);
		return NULL;
	}
	return ctx;
}

TEST(models, builtin_has_26_bgz_zibs_in_18_sections)
{
	zib_ctx *ctx = load_builtin();
	const char *sections[32];
	size_t i, j, nbgz = 0, nsections = 0;

	ASSERT(ctx != NULL);
	for (i = 0; i < zib_model_count(ctx); i++) {
		const zib_model *m = zib_model_at(ctx, i);
		int seen = 0;
		if (!zib_model_is_bgz(m))
			continue;
		nbgz++;
		ASSERT_INT_EQ(nbgz, atoi(zib_model_number(m)));
		ASSERT(zib_model_concept_count(m) > 0);
		ASSERT_STR_EQ(zib_model_root_concept(m), zib_concept_id(zib_model_concept_at(m, 0)));
		for (j = 0; j < nsections; j++)
			seen |= strcmp(sections[j], zib_model_section(m)) == 0;
		if (!seen && nsections < 32)
			sections[nsections++] = zib_model_section(m);
	}
	ASSERT_INT_EQ(26, nbgz);
	/* 18 BgZ sections; Zorgplan has no zib of its own among the 26. */
	ASSERT_INT_EQ(17, nsections);
	ASSERT(zib_model_find(ctx, "Zorgaanbieder") != NULL);
	ASSERT(!zib_model_is_bgz(zib_model_find(ctx, "HealthcareProvider")));
	zib_ctx_free(ctx);
}

TEST(models, dutch_and_english_names_find_the_same_zib)
{
	zib_ctx *ctx = load_builtin();
	const zib_model *m;
	const zib_concept *c;

	ASSERT(ctx != NULL);
	m = zib_model_find(ctx, "AlcoholGebruik");
	ASSERT(m != NULL);
	ASSERT(m == zib_model_find(ctx, "alcoholuse"));
	ASSERT(m == zib_model_find(ctx, "ALCOHOLGEBRUIK"));
	ASSERT(zib_model_find(ctx, "Alcohol") == NULL);
	c = zib_model_concept_find(m, "NL-CM:7.3.2");
	ASSERT(c != NULL);
	ASSERT_STR_EQ("AlcoholGebruikStatus", zib_concept_name_nl(c));
	ASSERT_STR_EQ("CD", zib_concept_datatype(c));
	ASSERT_INT_EQ(1, zib_concept_min(c));
	ASSERT_INT_EQ(1, zib_concept_max(c));
	ASSERT_STR_EQ("NL-CM:7.3.1", zib_concept_parent_id(c));
	ASSERT(zib_concept_find(ctx, "NL-CM:7.3.2") == c);
	ASSERT(zib_concept_model(c) == m);
	zib_ctx_free(ctx);
}

TEST(models, valueset_lookup_by_oid_and_uri)
{
	zib_ctx *ctx = load_builtin();
	const zib_valueset *vs;

	ASSERT(ctx != NULL);
	vs = zib_valueset_find(ctx, "2.16.840.1.113883.2.4.3.11.60.40.2.7.3.2");
	ASSERT(vs != NULL);
	ASSERT(zib_valueset_contains(vs, "2.16.840.1.113883.6.96", "219006"));
	ASSERT(zib_valueset_contains(vs, "urn:oid:2.16.840.1.113883.6.96", "219006"));
	ASSERT(!zib_valueset_contains(vs, "2.16.840.1.113883.6.96", "228276006"));
	ASSERT(!zib_valueset_contains(vs, "2.16.840.1.113883.6.1", "219006"));
	ASSERT_STR_EQ("http://snomed.info/sct", zib_codesystem_uri(ctx, "2.16.840.1.113883.6.96"));
	ASSERT_STR_EQ("2.16.840.1.113883.6.1", zib_codesystem_oid(ctx, "http://loinc.org"));
	ASSERT_STR_EQ("1.2.3", zib_codesystem_oid(ctx, "urn:oid:1.2.3"));
	zib_ctx_free(ctx);
}

/* The releases are a table: found by id and FHIR version, each with its
 * own model columns, zib2017 empty where it lists nothing of its own. */
TEST(models, releases_by_id_and_fhir_version_with_their_columns)
{
	zib_ctx *ctx = load_builtin();
	const zib_model *m;
	const zib_concept *c;

	ASSERT(ctx != NULL);
	ASSERT_INT_EQ(2, (int)zib_release_count());
	ASSERT_STR_EQ("zib2020", zib_release_id(0));
	ASSERT_STR_EQ("zib2017", zib_release_id(1));
	ASSERT(zib_release_id(2) == NULL);
	ASSERT_STR_EQ("4.0.1", zib_release_fhir_version("zib2020"));
	ASSERT_STR_EQ("3.0.2", zib_release_fhir_version("zib2017"));
	ASSERT_STR_EQ("3.0.2", zib_release_fhir_version("3.0"));
	ASSERT(zib_release_fhir_version("3") == NULL || strcmp(zib_release_fhir_version("3"), "3.0.2") == 0);
	ASSERT(zib_release_fhir_version("zib2024") == NULL);
	ASSERT(zib_release_fhir_version("4.0.10") == NULL);
	m = zib_model_find(ctx, "LaboratoriumUitslag");
	ASSERT(m != NULL);
	ASSERT(strstr(zib_model_fhir_profiles(m, "zib2020"), "/nl-core-LaboratoryTestResult") != NULL);
	ASSERT(strstr(zib_model_fhir_profiles(m, "zib2017"), "/zib-LaboratoryTestResult-Observation") != NULL);
	ASSERT(zib_model_fhir_profiles(m, "zib2024") == NULL);
	ASSERT(zib_model_fhir_profiles(m, "4.0.1") == zib_model_fhir_r4_profiles(m));
	c = zib_model_concept_at(m, 0);
	ASSERT_STR_EQ("zib-LaboratoryTestResult#Observation", zib_concept_fhir(c, "zib2020"));
	ASSERT_STR_EQ("zib-LaboratoryTestResult-Observation#Observation", zib_concept_fhir(c, "zib2017"));
	ASSERT(zib_concept_fhir(c, "zib2017") == zib_concept_fhir_stu3(c));
	/* EmailSoort: zib2017 names the same element of another profile. */
	c = zib_concept_find(ctx, "NL-CM:20.6.8");
	ASSERT(c != NULL);
	ASSERT_STR_EQ("nl-core-contactpoint#ContactPoint.use", zib_concept_fhir(c, "zib2017"));
	zib_ctx_free(ctx);
}

/* Writes a file under dir, creating zibs/ as needed. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/zibs", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char bgz_head[] = "n\tsection\tzib_nl\tzib_en\troot_concept\tzib_version\t"
	"fhir_r4_resource\tfhir_r4_profiles\tfhir_stu3_profiles\tcda_templates\n";
static const char zib_head[] = "depth\tconcept_id\tname_nl\tname_en\tdatatype\tcard\tvaluesets\t"
	"fhir_r4\tfhir_stu3\tcda_template\tcda_xpath\n";

static const char cda_map_head[] = "kind\ttemplates\tzib\tconcept_id\txpath\tfrom\tnested\t"
	"prefix_from\tprefix_to\n";

static void write_minimal_set(const char *dir)
{
	char zib[1024];

	write_file(dir, "VERSION", "test 1\n");
	write_file(dir, "codesystems.tsv", "oid\turi\tname\n");
	write_file(dir, "valuesets.tsv", "valueset_oid\tvalueset_name\tcode\tcodesystem_oid\tdisplay\n");
	snprintf(zib, sizeof(zib), "%s1\tS\tA\tB\tNL-CM:1.1\t\t\t\t\t\n", bgz_head);
	write_file(dir, "bgz.tsv", zib);
	snprintf(zib, sizeof(zib), "%s0\tNL-CM:1.1\tA\tB\tGROUP\t0..*\t\t\t\t\t\n"
		"1\tNL-CM:1.2\tC\tD\tST\t0..1\t\t\t\t\t\n", zib_head);
	write_file(dir, "zibs/A.tsv", zib);
	snprintf(zib, sizeof(zib), "%sroot\t1.9\tA\t\t\t\t\t\t\nconcept\t1.9\tA\tNL-CM:1.2\thl7:value\t\t\t\t\n",
		cda_map_head);
	write_file(dir, "cda-map.tsv", zib);
	write_file(dir, "cda-sections.tsv", "template\tloinc_code\tloinc_display\ttitle\n1.8\t1-1\tX\tS\n");
	write_file(dir, "roles.tsv", "concept_id\trole\nNL-CM:1.2\tschedule-interval\n");
	write_file(dir, "fhir-codes.tsv", "fhir_type\telement\tsystem\tcode\tzib\twrite\tcategory\n"
		"Observation\tcode\thttp://loinc.org\t1-1\tA\t1\t\n");
}

static int load_error(const char *dir, char *msg, size_t size)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	int rc = zib_ctx_new(&ctx, dir, &err);

	if (rc == ZIB_OK)
		snprintf(msg, size, "(loaded)");
	else
		snprintf(msg, size, "%s", err.message);
	zib_ctx_free(ctx);
	return rc;
}

TEST(models, directory_load_and_broken_files_name_file_and_line)
{
	char dir[] = "/tmp/zibmodels-XXXXXX", msg[600], zib[1024];

	ASSERT(mkdtemp(dir) != NULL);
	write_minimal_set(dir);
	ASSERT_INT_EQ(ZIB_OK, load_error(dir, msg, sizeof(msg)));

	snprintf(zib, sizeof(zib), "%s0\tNL-CM:1.1\tA\tB\tGROUP\t0..*\t\t\t\t\t\n"
		"1\tNL-CM:1.2\tC\tD\tXX\t0..1\t\t\t\t\t\n", zib_head);
	write_file(dir, "zibs/A.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "zibs/A.tsv:3: unknown datatype 'XX'") != NULL);

	snprintf(zib, sizeof(zib), "%s0\tNL-CM:1.1\tA\tB\tGROUP\t0..*\t\t\t\t\t\n"
		"2\tNL-CM:1.2\tC\tD\tST\t0..1\t\t\t\t\t\n", zib_head);
	write_file(dir, "zibs/A.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "zibs/A.tsv:3: depth '2'") != NULL);

	snprintf(zib, sizeof(zib), "%s0\tNL-CM:1.1\tA\tB\tGROUP\t0..x\t\t\t\t\t\n", zib_head);
	write_file(dir, "zibs/A.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "bad cardinality '0..x'") != NULL);

	snprintf(zib, sizeof(zib), "%s0\tNL-CM:1.1\tA\n", zib_head);
	write_file(dir, "zibs/A.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "zibs/A.tsv:2: 3 fields, expected 11") != NULL);

	write_file(dir, "zibs/A.tsv", "depth\tid\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "header column 2 is 'id', expected 'concept_id'") != NULL);
	ASSERT(strncmp(msg, dir, strlen(dir)) == 0);

	write_minimal_set(dir);
	write_file(dir, "valuesets.tsv", "valueset_oid\tvalueset_name\tcode\tcodesystem_oid\tdisplay\n"
		"1.2\tX\ta\t9.9\t\n1.3\tY\tb\t9.9\t\n1.2\tX\tc\t9.9\t\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "valuesets.tsv:4: rows of value set '1.2' are not together") != NULL);

	write_minimal_set(dir);
	snprintf(zib, sizeof(zib), "%s1\tS\tA\tB\tNL-CM:1.1\t\t\t\t\t\n2\tS\tA\tB\tNL-CM:1.1\t\t\t\t\t\n",
		bgz_head);
	write_file(dir, "bgz.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "bgz.tsv:3: zib 'A' is listed twice") != NULL);

	/* cda-map.tsv rows name known zibs and their concepts. */
	write_minimal_set(dir);
	snprintf(zib, sizeof(zib), "%sconcept\t1.9\tA\tNL-CM:1.3\thl7:value\t\t\t\t\n", cda_map_head);
	write_file(dir, "cda-map.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "cda-map.tsv:2: the zib has no such concept") != NULL);
	snprintf(zib, sizeof(zib), "%sroot\t1.9\tZ\t\t\t\t\t\t\n", cda_map_head);
	write_file(dir, "cda-map.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "cda-map.tsv:2: unknown zib") != NULL);
	snprintf(zib, sizeof(zib), "%sentry\t1.9\tA\t\t\t\t\t\t\n", cda_map_head);
	write_file(dir, "cda-map.tsv", zib);
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "cda-map.tsv:2: unknown kind 'entry'") != NULL);
	write_minimal_set(dir);
	write_file(dir, "cda-sections.tsv", "template\tloinc_code\tloinc_display\ttitle\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "cda-sections.tsv: no sections") != NULL);

	/* The engines' tables name only what is known. */
	write_minimal_set(dir);
	write_file(dir, "roles.tsv", "concept_id\trole\nNL-CM:1.9\tschedule-interval\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "roles.tsv:2: 'NL-CM:1.9' is no concept of a zib") != NULL);
	write_file(dir, "roles.tsv", "concept_id\trole\nNL-CM:1.2\tschedule-period\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "roles.tsv:2: unknown role 'schedule-period'") != NULL);
	write_minimal_set(dir);
	write_file(dir, "fhir-codes.tsv", "fhir_type\telement\tsystem\tcode\tzib\twrite\tcategory\n"
		"Observation\tcode\thttp://loinc.org\t1-1\tZ\t1\t\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "fhir-codes.tsv:2: a row needs a FHIR type and a zib of bgz.tsv (got 'Z')") != NULL);
	write_file(dir, "fhir-codes.tsv", "fhir_type\telement\tsystem\tcode\tzib\twrite\tcategory\n"
		"Observation\tcode\t\t\tA\t\t\n");
	ASSERT_INT_EQ(ZIB_EPARSE, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "fhir-codes.tsv:2: an element needs a code") != NULL);

	write_minimal_set(dir);
	snprintf(msg, sizeof(msg), "%s/zibs/A.tsv", dir);
	unlink(msg);
	ASSERT_INT_EQ(ZIB_EIO, load_error(dir, msg, sizeof(msg)));
	ASSERT(strstr(msg, "cannot open") != NULL && strstr(msg, "zibs/A.tsv") != NULL);

	snprintf(msg, sizeof(msg), "rm -rf '%s'", dir);
	ASSERT_INT_EQ(0, system(msg));
}

/* ---- value sets against the corpus ------------------------------------ */

/* Finds the R4 ValueSet file for an OID; writes its path into out. */
static int find_r4_valueset(const char *corpus, const char *oid, char *out, size_t size)
{
	char dir[512], needle[300];
	DIR *d;
	struct dirent *e;
	int found = 0;

	snprintf(dir, sizeof(dir), "%s/fhir-r4-zib2020/profiles/zib/terminology", corpus);
	snprintf(needle, sizeof(needle), "-%s--", oid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		if (strstr(e->d_name, needle) && strncmp(e->d_name, "ValueSet-", 9) == 0) {
			snprintf(out, size, "%s/%s", dir, e->d_name);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

/*
 * Compares the model's codes of one value set with the R4 ValueSet's
 * compose.include codes: same number, and every R4 system|code in the model.
 */
static int valueset_matches_r4(const zib_ctx *ctx, const zib_valueset *vs, const char *file)
{
	/* Not xmlReadFile: once xml_init() has run (another test may have
	 * called it), libxml2's entity loader refuses every file. */
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	xmlXPathObjectPtr codes;
	int i, ok = 1, n = 0;
	char *data;
	size_t len;

	if (zib_read_file(&data, &len, file, ZIB_DEFAULT_MAX_SIZE, NULL) < 0)
		return 0;
	doc = xmlReadMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET);
	free(data);
	if (!doc)
		return 0;
	xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, BAD_CAST "f", BAD_CAST "http://hl7.org/fhir");
	codes = xmlXPathEvalExpression(BAD_CAST "//f:compose/f:include/f:concept/f:code", xp);
	for (i = 0; codes && codes->nodesetval && i < codes->nodesetval->nodeNr; i++) {
		xmlNodePtr code = codes->nodesetval->nodeTab[i];
		xmlNodePtr include = code->parent->parent, s;
		xmlChar *cv = xmlGetProp(code, BAD_CAST "value"), *sv = NULL;
		const char *oid;

		for (s = include->children; s; s = s->next)
			if (s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, "system") == 0)
				sv = xmlGetProp(s, BAD_CAST "value");
		oid = zib_codesystem_oid(ctx, (const char *)sv);
		if (!oid || !zib_valueset_contains(vs, oid, (const char *)cv)) {
			printf("    %s: %s|%s from R4 not in model set %s\n", file, sv, cv, zib_valueset_oid(vs));
			ok = 0;
		}
		n++;
		xmlFree(cv);
		xmlFree(sv);
	}
	if ((size_t)n != zib_valueset_code_count(vs)) {
		printf("    %s: R4 has %d codes, model %zu\n", file, n, zib_valueset_code_count(vs));
		ok = 0;
	}
	xmlXPathFreeObject(codes);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	return ok;
}

TEST(models, valuesets_agree_with_r4_profiles_for_five_zibs)
{
	static const char *const zibs[] = {
		"AlcoholGebruik", "TabakGebruik", "Probleem", "AllergieIntolerantie", "Bloeddruk", NULL
	};
	zib_ctx *ctx;
	int z, checked = 0;
	NEED_CORPUS(corpus);

	ctx = load_builtin();
	ASSERT(ctx != NULL);
	for (z = 0; zibs[z]; z++) {
		const zib_model *m = zib_model_find(ctx, zibs[z]);
		size_t i;
		int per_zib = 0;

		ASSERT(m != NULL);
		for (i = 0; i < zib_model_concept_count(m); i++) {
			const char *p = zib_concept_valuesets(zib_model_concept_at(m, i));
			while (*p) {
				char oid[256], file[1024];
				size_t n = strcspn(p, " ");
				const zib_valueset *vs;

				snprintf(oid, sizeof(oid), "%.*s", (int)n, p);
				p += n;
				while (*p == ' ')
					p++;
				vs = zib_valueset_find(ctx, oid);
				if (!vs || !find_r4_valueset(corpus, oid, file, sizeof(file)))
					continue;
				ASSERT(valueset_matches_r4(ctx, vs, file));
				per_zib++;
			}
		}
		if (per_zib == 0)
			printf("    %s: no enumerable value set found in R4\n", zibs[z]);
		ASSERT(per_zib > 0);
		checked += per_zib;
	}
	ASSERT(checked >= 10);
	zib_ctx_free(ctx);
}

TEST(models, generator_output_is_up_to_date)
{
	int rc;
	NEED_CORPUS(corpus);
	(void)corpus;

	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		harness_skip("python3 not installed");
		return;
	}
	rc = system("python3 zib-models/generate.py --check >/dev/null 2>&1");
	ASSERT(WIFEXITED(rc));
	if (WEXITSTATUS(rc) == 77) {
		harness_skip("generator cannot find ../shared");
		return;
	}
	ASSERT_INT_EQ(0, WEXITSTATUS(rc));
}
