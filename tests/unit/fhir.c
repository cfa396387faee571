/*
 * FHIR format layer: round trips and findings.
 *
 * Round trip, defined precisely:
 *   XML:  X0 (a source document) -> J1 = json(parse(X0)) -> X2 = xml(parse(J1));
 *         X2 equals X0 after canonicalisation: same elements (namespace +
 *         name) in the same order, same attributes (any order), same text
 *         nodes, where comments, processing instructions and text nodes of
 *         only whitespace are left out on both sides.
 *   JSON: J1 -> X2 -> J3 = json(parse(X2)); J3 is byte-identical to J1,
 *         both compact and with ZIB_FHIR_PRETTY.
 * Checked over testdata/convert/ always and the corpus examples when present.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "harness.h"
#include "zib.h"

static int blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static const xmlNode *significant(const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			return n;
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && !blank(n->content))
			return n;
	}
	return NULL;
}

static const char *ns_of(const xmlNode *n)
{
	return n->ns ? (const char *)n->ns->href : "";
}

/* 0 when equal; else writes where they differ into why. */
static int canon_cmp(const xmlNode *a, const xmlNode *b, char *why, size_t size)
{
	const xmlAttr *x, *y;
	int na = 0, nb = 0;

	if (a->type != b->type && !((a->type == XML_TEXT_NODE || a->type == XML_CDATA_SECTION_NODE) &&
	    (b->type == XML_TEXT_NODE || b->type == XML_CDATA_SECTION_NODE))) {
		snprintf(why, size, "line %ld/%ld: node type %d vs %d", xmlGetLineNo(a), xmlGetLineNo(b),
			a->type, b->type);
		return 1;
	}
	if (a->type != XML_ELEMENT_NODE) {
		if (strcmp((const char *)a->content, (const char *)b->content) != 0) {
			snprintf(why, size, "line %ld: text '%.60s' vs '%.60s'", xmlGetLineNo(a),
				a->content, b->content);
			return 1;
		}
		return 0;
	}
	if (strcmp((const char *)a->name, (const char *)b->name) || strcmp(ns_of(a), ns_of(b))) {
		snprintf(why, size, "line %ld: element %s vs %s", xmlGetLineNo(a), a->name, b->name);
		return 1;
	}
	for (x = a->properties; x; x = x->next) {
		xmlChar *va = xmlGetNsProp(a, x->name, x->ns ? x->ns->href : NULL);
		xmlChar *vb = x->ns ? xmlGetNsProp(b, x->name, x->ns->href) : xmlGetNoNsProp(b, x->name);
		int diff = !vb || strcmp((char *)va, (char *)vb) != 0;
		if (diff)
			snprintf(why, size, "line %ld: attribute %s='%.60s' vs '%.60s'", xmlGetLineNo(a),
				x->name, va, vb ? (char *)vb : "(none)");
		xmlFree(va);
		xmlFree(vb);
		if (diff)
			return 1;
		na++;
	}
	for (y = b->properties; y; y = y->next)
		nb++;
	if (na != nb) {
		snprintf(why, size, "line %ld: %d vs %d attributes on %s", xmlGetLineNo(a), na, nb, a->name);
		return 1;
	}
	{
		const xmlNode *ca = significant(a->children), *cb = significant(b->children);
		while (ca && cb) {
			if (canon_cmp(ca, cb, why, size))
				return 1;
			ca = significant(ca->next);
			cb = significant(cb->next);
		}
		if (ca || cb) {
			snprintf(why, size, "line %ld: %s has %s children", xmlGetLineNo(a), a->name,
				ca ? "fewer" : "more");
			return 1;
		}
	}
	return 0;
}

static int xml_equal(const char *x0, size_t l0, const char *x2, size_t l2, char *why, size_t size)
{
	xmlDocPtr a = xmlReadMemory(x0, (int)l0, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlDocPtr b = xmlReadMemory(x2, (int)l2, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int rc;

	if (!a || !b) {
		snprintf(why, size, "%s does not parse", a ? "output" : "input");
		rc = 1;
	} else {
		rc = canon_cmp(xmlDocGetRootElement(a), xmlDocGetRootElement(b), why, size);
	}
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	return rc;
}

static char *parse_write(const char *data, size_t len, const char *name, int json, int flags,
	size_t *outlen)
{
	zib_fhir *f = NULL;
	zib_error err;
	char *out = NULL;

	if (zib_fhir_parse(&f, data, len, name, NULL, &err) < 0)
		return NULL;
	if ((json ? zib_fhir_write_json(&out, outlen, f, flags, &err) :
	     zib_fhir_write_xml(&out, outlen, f, flags, &err)) < 0)
		out = NULL;
	zib_fhir_free(f);
	return out;
}

/* Checks the round trips of one file; returns a message or NULL. */
static const char *roundtrip_file(const char *path, char *why, size_t size)
{
	char *x0 = NULL, *j1 = NULL, *x2 = NULL, *j3 = NULL;
	size_t l0, l1, l2, l3;
	zib_error err;
	int flags;
	const char *res = NULL;

	if (zib_read_file(&x0, &l0, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
		return "cannot read";
	for (flags = 0; flags <= ZIB_FHIR_PRETTY && !res; flags++) {
		int src_json = strstr(path, ".json") != NULL;
		free(j1); free(x2); free(j3);
		j1 = x2 = j3 = NULL;
		/* A JSON source is first normalised by our writer. */
		j1 = parse_write(x0, l0, path, 1, flags, &l1);
		x2 = j1 ? parse_write(j1, l1, path, 0, flags, &l2) : NULL;
		j3 = x2 ? parse_write(x2, l2, path, 1, flags, &l3) : NULL;
		if (!j1 || !x2 || !j3) {
			res = !j1 ? "source does not convert" : !x2 ? "JSON does not read back" :
				"XML does not read back";
		} else if (l1 != l3 || memcmp(j1, j3, l1) != 0) {
			snprintf(why, size, "JSON -> XML -> JSON not byte-identical (pretty=%d)", flags);
			res = why;
		} else if (!src_json && xml_equal(x0, l0, x2, l2, why, size)) {
			res = why;
		}
	}
	free(x0); free(j1); free(x2); free(j3);
	return res;
}

static int roundtrip_dir(const char *dir, const char *skip_prefix, int *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int bad = 0;
	char path[4096], why[512];

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		const char *res;
		size_t n = strlen(e->d_name);
		if (n < 5 || (strcmp(e->d_name + n - 4, ".xml") && strcmp(e->d_name + n - 5, ".json")))
			continue;
		if (skip_prefix && strncmp(e->d_name, skip_prefix, strlen(skip_prefix)) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(*files)++;
		if ((res = roundtrip_file(path, why, sizeof(why))) != NULL) {
			printf("    %s: %s\n", path, res);
			bad++;
		}
	}
	closedir(d);
	return bad;
}

TEST(fhir, roundtrip_testdata)
{
	int files = 0;
	/* bad-* are the invalid documents of the golden tests. */
	ASSERT_INT_EQ(0, roundtrip_dir("testdata/convert", "bad-", &files));
	ASSERT(files >= 3);
}

TEST(fhir, roundtrip_corpus_r4_examples)
{
	char dir[4096];
	int files = 0;
	NEED_CORPUS(corpus);

	snprintf(dir, sizeof(dir), "%s/fhir-r4-zib2020/examples", corpus);
	ASSERT_INT_EQ(0, roundtrip_dir(dir, NULL, &files));
	ASSERT(files >= 200);
}

static char *json_of(const char *src, int flags)
{
	size_t len;
	return parse_write(src, strlen(src), "t", 1, flags, &len);
}

TEST(fhir, decimal_precision_kept)
{
	char *j = json_of("<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>"
		"<code><text value=\"x\"/></code><valueQuantity><value value=\"12.0\"/></valueQuantity>"
		"<component><code><text value=\"y\"/></code><valueQuantity><value value=\"1.50\"/>"
		"</valueQuantity></component></Observation>", 0);
	ASSERT(j != NULL);
	ASSERT(strstr(j, "\"value\":12.0}") != NULL);
	ASSERT(strstr(j, "\"value\":1.50}") != NULL);
	free(j);
}

TEST(fhir, repeating_primitive_null_padding)
{
	char *j = json_of("<Patient xmlns=\"http://hl7.org/fhir\"><name><given value=\"A\"/>"
		"<given value=\"B\"><extension url=\"u\"><valueString value=\"v\"/></extension></given>"
		"<given><extension url=\"w\"><valueBoolean value=\"true\"/></extension></given>"
		"</name></Patient>", 0);
	ASSERT(j != NULL);
	ASSERT_STR_EQ("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"A\",\"B\",null],"
		"\"_given\":[null,{\"extension\":[{\"url\":\"u\",\"valueString\":\"v\"}]},"
		"{\"extension\":[{\"url\":\"w\",\"valueBoolean\":true}]}]}]}\n", j);
	free(j);
}

/* The first finding of parsing src, as "line:col code". */
static void first_finding(const char *src, char *out, size_t size)
{
	zib_report *r = NULL;
	zib_fhir *f = NULL;
	zib_error err;
	const zib_diag *d;

	zib_report_new(&r);
	zib_fhir_parse(&f, src, strlen(src), "t.json", r, &err);
	zib_fhir_free(f);
	d = zib_report_count(r) ? zib_report_at(r, 0) : NULL;
	if (d)
		snprintf(out, size, "%d:%d %s %s", d->line, d->column, d->code, d->path ? d->path : "");
	else
		snprintf(out, size, "none");
	zib_report_free(r);
}

TEST(fhir, json_findings_have_line_column_path)
{
	char got[256];

	first_finding("{\"resourceType\":\"Patient\",\n \"active\":true,\n \"active\":false}", got, sizeof(got));
	ASSERT_STR_EQ("3:2 ZIB-FHIR-002 Patient.active", got);
	first_finding("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\n"
		"\"valueQuantity\":{\"value\":\"12\"}}", got, sizeof(got));
	ASSERT_STR_EQ("2:26 ZIB-FHIR-004 Observation.valueQuantity.value", got);
	first_finding("{\"resourceType\":\"Patient\",\"nmae\":[]}", got, sizeof(got));
	ASSERT_STR_EQ("1:27 ZIB-FHIR-003 Patient.nmae", got);
	first_finding("{\"resourceType\":\"Patient\",\n  \"active\": tru}", got, sizeof(got));
	ASSERT_STR_EQ("2:13 ZIB-FHIR-001 ", got);
	first_finding("{\"resourceType\":\"Patient\",\"name\":{\"family\":\"x\"}}", got, sizeof(got));
	ASSERT_STR_EQ("1:34 ZIB-FHIR-007 Patient.name", got);
}

/* fuzz_fhir: a non-repeating element given twice in XML (here apart,
 * so the tree sorts them together) was kept, and the JSON written for it
 * had a duplicate key ("meta") or lost a value ("active") and did not
 * parse again.  Now ZIB-FHIR-007, as for an array in JSON. */
TEST(fhir, xml_non_repeating_element_twice)
{
	static const char src[] = "<Patient xmlns=\"http://hl7.org/fhir\">"
		"<meta><versionId value=\"1\"/></meta><active value=\"true\"/>\n"
		"<meta><versionId value=\"2\"/></meta><gender value=\"male\"/>"
		"<name><family value=\"a\"/><given value=\"b\"/><family value=\"c\"/></name></Patient>";
	zib_report *r = NULL;
	zib_fhir *f = NULL;
	zib_error err;

	zib_report_new(&r);
	zib_fhir_parse(&f, src, strlen(src), "t.xml", r, &err);
	ASSERT_INT_EQ(2, zib_report_count(r));
	ASSERT_STR_EQ("ZIB-FHIR-007", zib_report_at(r, 0)->code);
	ASSERT_INT_EQ(2, zib_report_at(r, 0)->line);
	ASSERT_STR_EQ("Patient.meta", zib_report_at(r, 0)->path);
	ASSERT_STR_EQ("Patient.name[0].family", zib_report_at(r, 1)->path);
	zib_report_free(r);
	zib_fhir_free(f);
	/* Without a report too: a parse error, not a tree JSON cannot hold. */
	f = NULL;
	ASSERT_INT_EQ(ZIB_EPARSE, zib_fhir_parse(&f, src, strlen(src), "t.xml", NULL, &err));
	ASSERT(f == NULL);
	zib_fhir_free(f);
}
