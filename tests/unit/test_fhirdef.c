/*
 * fhirdef: loading, snapshots, the compiled cache and value-set expansion,
 * on definitions written for the tests (testdata/fhirdef/), without the
 * compiled defaults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fhirdef/fhirdef.h"
#include "fhirdef/internal.h"
#include "harness.h"

static const char *const test_sources[] = {
	"testdata/fhirdef/base.json", "testdata/fhirdef/profile.json",
	"testdata/fhirdef/bad-profile.xml", "testdata/fhirdef/valueset.xml"
};

static struct fhirdef_set *open_test(const char *cache, const char *const *src, size_t n,
	zib_error *err)
{
	struct fhirdef_opts o = FHIRDEF_OPTS_INIT;
	struct fhirdef_set *set = NULL;

	o.sources = src;
	o.nsources = n;
	o.no_defaults = 1;
	o.cache_dir = cache;
	o.no_cache = cache == NULL;
	zib_error_clear(err);
	return fhirdef_set_open(&set, &o, err) == 0 ? set : NULL;
}

static int elem(const struct fhirdef_sd *sd, const char *id)
{
	return fhirdef_elem_by_id(sd, id);
}

TEST(fhirdef, loads_json_xml_and_bundles)
{
	zib_error err;
	struct fhirdef_set *set = open_test(NULL, test_sources, 4, &err);
	struct fhirdef_stats st;
	const struct fhirdef_cs *cs;

	ASSERT(set != NULL);
	fhirdef_set_stats(set, &st);
	ASSERT_INT_EQ(6, st.nsd);
	ASSERT_INT_EQ(5, st.nvs);
	ASSERT_INT_EQ(1, st.ncs);
	ASSERT_INT_EQ(0, st.cache_hit);
	ASSERT(fhirdef_vs(set, "http://example.org/fhir/ValueSet/b-only") != NULL);
	ASSERT(fhirdef_vs(set, "http://example.org/fhir/ValueSet/b-only|3") != NULL);
	ASSERT(fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/color|1.0.0") != NULL);
	ASSERT(fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/none") == NULL);
	ASSERT_STR_EQ("Coding", fhirdef_sd_type(set, "Coding")->type);
	cs = fhirdef_cs(set, "http://example.org/fhir/CodeSystem/letters");
	ASSERT(cs != NULL);
	ASSERT_INT_EQ(5, cs->nconcepts);
	ASSERT_STR_EQ("A11", cs->concepts[2].code);
	ASSERT_INT_EQ(1, cs->concepts[2].parent);
	ASSERT_INT_EQ(1, st.ncm);
	ASSERT(fhirdef_cm_at(set, 0) == fhirdef_cm(set, "http://example.org/fhir/ConceptMap/letters-to-words"));
	ASSERT(fhirdef_cm_at(set, 1) == NULL);
	ASSERT_INT_EQ(3, (long long)fhirdef_cm_at(set, 0)->nrows);
	ASSERT_STR_EQ("bat", fhirdef_cm_at(set, 0)->rows[2].target_code);
	ASSERT_STR_EQ("http://example.org/words", fhirdef_cm_at(set, 0)->rows[2].target_system);
	ASSERT_STR_EQ("http://example.org/fhir/ValueSet/letters", fhirdef_cm_at(set, 0)->source_vs);
	ASSERT(strstr(fhirdef_sd(set, "http://hl7.org/fhir/StructureDefinition/Coding")->source,
		"base.json (entry 0)") != NULL);
	fhirdef_set_free(set);
}

TEST(fhirdef, missing_source_and_not_fhir)
{
	zib_error err;
	const char *none[] = { "testdata/fhirdef/no-such.json" };
	const char *bad[] = { "Makefile" };

	ASSERT(open_test(NULL, none, 1, &err) == NULL);
	ASSERT_INT_EQ(ZIB_ENOTFOUND, err.status);
	ASSERT(strstr(err.message, "no-such.json") != NULL);
	ASSERT(open_test(NULL, bad, 1, &err) == NULL);
	ASSERT_INT_EQ(ZIB_EPARSE, err.status);
	ASSERT(strstr(err.message, "'Makefile' is neither FHIR JSON nor FHIR XML") != NULL);
}

TEST(fhirdef, snapshot_from_differential)
{
	zib_error err;
	struct fhirdef_set *set = open_test(NULL, test_sources, 4, &err);
	const struct fhirdef_sd *sd;
	const struct fhirdef_elem *e;
	const char *tc = NULL;
	int i, color, value, part, a, ax, sub;

	ASSERT(set != NULL);
	sd = fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/thing-profile");
	ASSERT(sd != NULL);
	ASSERT(sd->error == NULL);
	/* Constraints added to the base's. */
	ASSERT_INT_EQ(2, sd->elems[0].nconstraints);
	ASSERT_STR_EQ("tp-1", sd->elems[0].constraints[1].key);
	/* An extension slice with a profile: its value[x] from the extension. */
	color = elem(sd, "Thing.extension:color");
	ASSERT(color > 0);
	ASSERT_STR_EQ("color", sd->elems[color].slice_name);
	ASSERT_INT_EQ(1, sd->elems[color].min);
	ASSERT_INT_EQ(elem(sd, "Thing.extension"), sd->elems[color].slice_of);
	ASSERT_INT_EQ(color, sd->elems[elem(sd, "Thing.extension")].first_slice);
	value = elem(sd, "Thing.extension:color.value[x]");
	ASSERT(value > color);
	e = &sd->elems[value];
	ASSERT_INT_EQ(1, e->min);
	ASSERT_INT_EQ(1, (long long)e->ntypes);
	ASSERT_STR_EQ("string", e->types[0].code);
	ASSERT_INT_EQ(10, e->max_length);
	ASSERT_STR_EQ("Thing.extension.value[x]", e->path);
	ASSERT_INT_EQ(color, e->parent);
	i = elem(sd, "Thing.extension:color.url");
	ASSERT(i > 0 && sd->elems[i].fixed != NULL);
	ASSERT_STR_EQ("Uri", sd->elems[i].fixed_type);
	ASSERT_STR_EQ("http://example.org/fhir/StructureDefinition/color", sd->elems[i].fixed->value);
	ASSERT_INT_EQ(0, sd->elems[elem(sd, "Thing.extension:color.extension")].max);
	/* A datatype's children, from its definition. */
	i = elem(sd, "Thing.code.system");
	ASSERT(i > 0);
	ASSERT_INT_EQ(1, sd->elems[i].min);
	ASSERT_STR_EQ("http://example.org/fhir/CodeSystem/letters", sd->elems[i].fixed->value);
	ASSERT_INT_EQ(i, fhirdef_elem_child(sd, elem(sd, "Thing.code"), "system", 6, &tc));
	/* A choice named by type: value[x] narrowed. */
	i = elem(sd, "Thing.value[x]");
	ASSERT_INT_EQ(1, sd->elems[i].min);
	ASSERT_INT_EQ(1, (long long)sd->elems[i].ntypes);
	ASSERT_STR_EQ("Coding", sd->elems[i].types[0].code);
	ASSERT_INT_EQ(i, fhirdef_elem_child(sd, 0, "valueCoding", 11, &tc));
	ASSERT_STR_EQ("Coding", tc);
	ASSERT_INT_EQ(-1, fhirdef_elem_child(sd, 0, "valueString", 11, &tc));
	/* valueCoding.code: a child of value[x], from Coding. */
	ASSERT_INT_EQ(1, sd->elems[elem(sd, "Thing.value[x].code")].min);
	ASSERT_INT_EQ(i, sd->elems[elem(sd, "Thing.value[x].code")].parent);
	/* Slices and a re-slice, in order after their base. */
	part = elem(sd, "Thing.part");
	a = elem(sd, "Thing.part:a");
	ax = elem(sd, "Thing.part:a/x");
	ASSERT(part > 0 && a > part && ax > a);
	ASSERT_STR_EQ("closed", sd->elems[part].slicing->rules);
	ASSERT_INT_EQ(1, sd->elems[part].slicing->ordered);
	ASSERT_STR_EQ("name", sd->elems[part].slicing->discriminators[0].path);
	ASSERT_INT_EQ(a, sd->elems[part].first_slice);
	ASSERT_INT_EQ(-1, sd->elems[a].next_slice);
	ASSERT_INT_EQ(ax, sd->elems[a].first_slice);
	ASSERT_STR_EQ("a/x", sd->elems[ax].slice_name);
	ASSERT_INT_EQ(1, sd->elems[a].min);
	ASSERT_INT_EQ(0, sd->elems[ax].min);
	ASSERT_INT_EQ(1, sd->elems[ax].max);
	i = elem(sd, "Thing.part:a.name");
	ASSERT_INT_EQ(a, sd->elems[i].parent);
	ASSERT_STR_EQ("a", sd->elems[i].pattern->value);
	ASSERT_INT_EQ(i, fhirdef_elem_child(sd, a, "name", 4, &tc));
	/* contentReference: the referenced element's children, constrained. */
	sub = elem(sd, "Thing.part.sub");
	ASSERT_INT_EQ(part, sd->elems[sub].content_ref);
	i = elem(sd, "Thing.part.sub.name");
	ASSERT(i > sub);
	ASSERT_INT_EQ(0, sd->elems[i].max);
	ASSERT_INT_EQ(-1, elem(sd, "Thing.part:a.sub.name"));
	/* The binding stays. */
	ASSERT_STR_EQ("required", sd->elems[elem(sd, "Thing.code")].binding->strength);
	fhirdef_set_free(set);
}

TEST(fhirdef, differential_that_does_not_fit)
{
	zib_error err;
	struct fhirdef_set *set = open_test(NULL, test_sources, 4, &err);
	const struct fhirdef_sd *sd;

	ASSERT(set != NULL);
	sd = fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/bad-profile");
	ASSERT(sd != NULL);
	ASSERT(sd->error != NULL);
	ASSERT_INT_EQ(0, (long long)sd->nelems);
	ASSERT(strstr(sd->error, "bad-profile.xml") != NULL);
	ASSERT(strstr(sd->error, "profile 'http://example.org/fhir/StructureDefinition/bad-profile'"));
	ASSERT(strstr(sd->error, "'Thing.nothere' matches no element") != NULL);
	ASSERT_INT_EQ(1, (long long)fhirdef_set_problem_count(set));
	ASSERT_STR_EQ(sd->error, fhirdef_set_problem(set, 0));
	fhirdef_set_free(set);
}

TEST(fhirdef, value_set_membership)
{
	zib_error err;
	struct fhirdef_set *set = open_test(NULL, test_sources, 4, &err);
	const char *cs = "http://example.org/fhir/CodeSystem/letters", *why, *disp;
	const struct fhirdef_code *codes;

	ASSERT(set != NULL);
	/* is-a: A and what is under it. */
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/a-family",
		cs, "A11", &disp, &why));
	ASSERT_STR_EQ("A one one", disp);
	ASSERT_INT_EQ(FHIRDEF_NO, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/a-family",
		cs, "B", NULL, &why));
	ASSERT_INT_EQ(3, fhirdef_vs_expand(set, "http://example.org/fhir/ValueSet/a-family", &codes, &why));
	/* descendent-of through a "child" property: B, not C itself. */
	ASSERT_INT_EQ(1, fhirdef_vs_expand(set, "http://example.org/fhir/ValueSet/c-family", &codes, &why));
	ASSERT_STR_EQ("B", codes[0].code);
	/* A whole code system less an exclude. */
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/letters",
		cs, "A1", NULL, NULL));
	ASSERT_INT_EQ(FHIRDEF_NO, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/letters",
		cs, "A11", NULL, NULL));
	ASSERT_INT_EQ(FHIRDEF_NO, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/letters",
		"http://other", "A1", NULL, NULL));
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/letters",
		NULL, "B", NULL, NULL));
	/* From XML, by concept list. */
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/b-only|3",
		cs, "B", &disp, NULL));
	ASSERT_STR_EQ("Letter B", disp);
	/* Imported set, a listed SNOMED code, and LOINC not here: unknown. */
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/mixed",
		cs, "A", NULL, NULL));
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/mixed",
		"http://snomed.info/sct", "22298006", NULL, NULL));
	ASSERT_INT_EQ(FHIRDEF_UNKNOWN, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/mixed",
		"http://loinc.org", "1234-5", NULL, &why));
	ASSERT_STR_EQ("code system 'http://loinc.org' is not available locally", why);
	ASSERT_INT_EQ(-1, fhirdef_vs_expand(set, "http://example.org/fhir/ValueSet/mixed", &codes, &why));
	ASSERT_INT_EQ(FHIRDEF_UNKNOWN, fhirdef_vs_contains(set, "http://example.org/fhir/ValueSet/nope",
		cs, "A", NULL, &why));
	ASSERT(strstr(why, "not available locally") != NULL);
	ASSERT_INT_EQ(FHIRDEF_YES, fhirdef_cs_contains(set, cs, "A1", &disp));
	ASSERT_INT_EQ(FHIRDEF_NO, fhirdef_cs_contains(set, cs, "D", &disp));
	ASSERT_INT_EQ(FHIRDEF_UNKNOWN, fhirdef_cs_contains(set, "http://loinc.org", "1234-5", &disp));
	fhirdef_set_free(set);
}

static int copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	zib_error err;
	int rc = zib_read_file(&data, &len, from, 1 << 20, &err);

	if (rc == 0)
		rc = zib_write_file_atomic(to, data, len, 1, &err);
	free(data);
	return rc;
}

static int cache_state(const char *cache, const char *src, int *rebuilt, char *file, size_t size)
{
	zib_error err;
	const char *s[] = { src };
	struct fhirdef_set *set = open_test(cache, s, 1, &err);
	struct fhirdef_stats st;
	int hit;

	if (!set)
		return -1;
	fhirdef_set_stats(set, &st);
	hit = st.cache_hit;
	*rebuilt = st.cache_rebuilt;
	snprintf(file, size, "%s", st.cache_file ? st.cache_file : "");
	/* The set works whichever way it was opened. */
	if (!fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/Thing"))
		hit = -1;
	fhirdef_set_free(set);
	return hit;
}

TEST(fhirdef, cache_hit_stale_corrupt)
{
	char dir[] = "/tmp/zibtest-XXXXXX", cache[300], src[300], file[600];
	int rebuilt;
	FILE *f;
	long size;

	ASSERT(mkdtemp(dir) != NULL);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	snprintf(src, sizeof(src), "%s/base.json", dir);
	ASSERT_INT_EQ(0, copy_file("testdata/fhirdef/base.json", src));
	ASSERT_INT_EQ(0, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	ASSERT_INT_EQ(0, rebuilt);
	ASSERT(strncmp(file, cache, strlen(cache)) == 0);
	ASSERT_INT_EQ(1, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	/* Stale: the source's content changed (same name). */
	f = fopen(src, "a");
	ASSERT(f != NULL);
	fputs("\n", f);
	fclose(f);
	ASSERT_INT_EQ(0, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	ASSERT_INT_EQ(1, rebuilt);
	ASSERT_INT_EQ(1, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	/* Corrupt: one byte of the body changed. */
	f = fopen(file, "r+b");
	ASSERT(f != NULL);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size - 20, SEEK_SET);
	fputc('#', f);
	fclose(f);
	ASSERT_INT_EQ(0, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	ASSERT_INT_EQ(1, rebuilt);
	ASSERT_INT_EQ(1, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	/* Truncated. */
	ASSERT_INT_EQ(0, truncate(file, 50));
	ASSERT_INT_EQ(0, cache_state(cache, src, &rebuilt, file, sizeof(file)));
	ASSERT_INT_EQ(1, rebuilt);
	unlink(file);
	unlink(src);
	rmdir(cache);
	rmdir(dir);
}

TEST(fhirdef, folder_skips_an_unreadable_file)
{
	char dir[] = "/tmp/zibtest-XXXXXX", good[300], bad[300];
	const char *src[] = { dir };
	struct fhirdef_set *set;
	zib_error err;

	ASSERT(mkdtemp(dir) != NULL);
	snprintf(good, sizeof(good), "%s/a.json", dir);
	snprintf(bad, sizeof(bad), "%s/b.json", dir);
	ASSERT_INT_EQ(0, copy_file("testdata/fhirdef/base.json", good));
	ASSERT_INT_EQ(0, zib_write_file_atomic(bad, "{\n\"resourceType\": \n", 19, 1, &err));
	set = open_test(NULL, src, 1, &err);
	ASSERT(set != NULL);
	ASSERT(fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/Thing") != NULL);
	ASSERT_INT_EQ(1, (long long)fhirdef_set_problem_count(set));
	ASSERT(strstr(fhirdef_set_problem(set, 0), "b.json':") != NULL);
	ASSERT(strstr(fhirdef_set_problem(set, 0), "not well-formed JSON; skipped") != NULL);
	fhirdef_set_free(set);
	/* Given by itself, the same file fails the set and is named. */
	src[0] = bad;
	ASSERT(open_test(NULL, src, 1, &err) == NULL);
	ASSERT_INT_EQ(ZIB_EPARSE, err.status);
	ASSERT(strstr(err.message, "b.json':2: not well-formed JSON") != NULL);
	unlink(good);
	unlink(bad);
	rmdir(dir);
}

TEST(fhirdef, widening_is_a_problem_not_a_failure)
{
	const char *src[] = { "testdata/fhirdef/base.json", "testdata/fhirdef/wide-profile.json" };
	struct fhirdef_set *set;
	const struct fhirdef_sd *sd;
	zib_error err;
	int i;

	set = open_test(NULL, src, 2, &err);
	ASSERT(set != NULL);
	sd = fhirdef_sd(set, "http://example.org/fhir/StructureDefinition/wide-profile");
	ASSERT(sd != NULL && sd->error == NULL);
	i = fhirdef_elem_by_id(sd, "Thing.code");
	ASSERT_INT_EQ(-1, sd->elems[i].max);
	ASSERT_INT_EQ(1, sd->elems[i].base_max);
	ASSERT_INT_EQ(1, sd->elems[fhirdef_elem_by_id(sd, "Thing.part.name")].min);
	/* The first child of part is name: the links follow the order. */
	ASSERT_INT_EQ(fhirdef_elem_by_id(sd, "Thing.part.name"),
		sd->elems[fhirdef_elem_by_id(sd, "Thing.part")].first_child);
	ASSERT_INT_EQ(fhirdef_elem_by_id(sd, "Thing.part.sub"),
		sd->elems[fhirdef_elem_by_id(sd, "Thing.part.name")].next_sibling);
	ASSERT_INT_EQ(2, (long long)fhirdef_set_problem_count(set));
	ASSERT(strstr(fhirdef_set_problem(set, 0), "element 'Thing.code': max * is above the base's 1"));
	ASSERT(strstr(fhirdef_set_problem(set, 1), "element 'Thing.code': type 'string' is not one "
		"the base allows"));
	fhirdef_set_free(set);
}

/* The arena JSON parser (jarena.c) reads what cJSON_PrintUnformatted
 * writes: escapes, surrogate pairs, numbers, nesting; and refuses
 * malformed text instead of reading past it. */
TEST(fhirdef, arena_json_parser)
{
	static const char text[] = "{\"a\":\"x\\\"y\\\\z\\n\",\"u\":\"\\u00e9\\ud83d\\ude00\","
		"\"n\":[1,-2.5,3e2],\"t\":true,\"f\":false,\"z\":null,\"o\":{}}";
	static const char *const bad[] = { "{\"a\":", "{\"a\" 1}", "[1,]", "\"abc", "{\"a\":1}x",
		"[\"\\u12\"]", "tru", NULL };
	struct arena a;
	const cJSON *j, *n;
	size_t i;

	arena_init(&a);
	j = fhirdef_json_parse_arena(&a, text, sizeof(text));
	ASSERT(j != NULL && cJSON_IsObject(j));
	ASSERT_STR_EQ("x\"y\\z\n", cJSON_GetObjectItemCaseSensitive(j, "a")->valuestring);
	ASSERT_STR_EQ("\xc3\xa9\xf0\x9f\x98\x80", cJSON_GetObjectItemCaseSensitive(j, "u")->valuestring);
	n = cJSON_GetObjectItemCaseSensitive(j, "n");
	ASSERT_INT_EQ(3, cJSON_GetArraySize(n));
	ASSERT_INT_EQ(1, cJSON_GetArrayItem(n, 0)->valueint);
	ASSERT(cJSON_GetArrayItem(n, 1)->valuedouble == -2.5);
	ASSERT_INT_EQ(300, cJSON_GetArrayItem(n, 2)->valueint);
	ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "t")));
	ASSERT(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "f")));
	ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "z")));
	ASSERT(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "o")));
	for (i = 0; bad[i]; i++)
		ASSERT(fhirdef_json_parse_arena(&a, bad[i], strlen(bad[i])) == NULL);
	arena_release(&a);
}

/* The defaults are checked lazily: the index part at opening, each record
 * when first used.  A damaged record is absent, the others still serve; a
 * damaged index refuses the file. */
TEST(fhirdef, defaults_records_checked_on_use)
{
	char dir[] = "/tmp/zibtest-XXXXXX", file[300];
	const char *src[] = { "testdata/fhirdef/base.json" };
	const char *url = "http://example.org/fhir/StructureDefinition/color";
	struct fhirdef_opts o = FHIRDEF_OPTS_INIT;
	struct fhirdef_set *set = NULL;
	char *data, *rec;
	size_t len;
	zib_error err;
	FILE *f;

	ASSERT(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/defs.zdefs", dir);
	zib_error_clear(&err);
	ASSERT_INT_EQ(0, fhirdef_compile_to_file(file, src, 1, NULL, &err));
	o.defaults_file = file;
	o.no_cache = 1;
	ASSERT_INT_EQ(0, fhirdef_set_open(&set, &o, &err));
	ASSERT(fhirdef_sd(set, url) != NULL);
	fhirdef_set_free(set);
	/* One byte of the color record changed: that record is gone. */
	ASSERT_INT_EQ(0, fhirdef_map(file, &data, &len));
	/* The record (NUL-separated, so no strstr over the file) quotes the url. */
	for (rec = data; rec < data + len; rec += strlen(rec) + 1)
		if (strstr(rec, "\"http://example.org/fhir/StructureDefinition/color\""))
			break;
	ASSERT(rec < data + len);
	{
		long at = (long)(rec - data) + 2;
		fhirdef_unmap(data, len);
		f = fopen(file, "r+b");
		ASSERT(f != NULL);
		fseek(f, at, SEEK_SET);
		fputc('U', f);
		fclose(f);
	}
	set = NULL;
	ASSERT_INT_EQ(0, fhirdef_set_open(&set, &o, &err));
	ASSERT(fhirdef_sd(set, url) == NULL);
	ASSERT(fhirdef_sd(set, "http://hl7.org/fhir/StructureDefinition/Coding") != NULL);
	fhirdef_set_free(set);
	/* One byte of the index changed: the file is refused. */
	f = fopen(file, "r+b");
	ASSERT(f != NULL);
	fseek(f, 130, SEEK_SET);
	fputc('#', f);
	fclose(f);
	set = NULL;
	ASSERT(fhirdef_set_open(&set, &o, &err) < 0);
	ASSERT(strstr(err.message, "damaged") != NULL);
	unlink(file);
	rmdir(dir);
}
