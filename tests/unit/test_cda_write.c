/*
 * Unit tests of the CDA writer: building elements along mapping XPaths
 * (lib/cda/xpath_build.c), and zib_doc_write_cda on a document made in
 * memory: entries read back, losses reported, strict makes them errors,
 * the same input gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cda/xpath_build.h"
#include "harness.h"
#include "model/doc.h"
#include "zib.h"

struct tree {
	xmlDoc *doc;
	xmlNode *root;
	xmlNs *hl7, *sdtc;
};

static void tree_new(struct tree *t)
{
	t->doc = xmlNewDoc((const xmlChar *)"1.0");
	t->root = xmlNewNode(NULL, (const xmlChar *)"observation");
	xmlDocSetRootElement(t->doc, t->root);
	t->hl7 = xmlNewNs(t->root, (const xmlChar *)"urn:hl7-org:v3", NULL);
	t->sdtc = xmlNewNs(t->root, (const xmlChar *)"urn:hl7-org:sdtc", (const xmlChar *)"sdtc");
	xmlSetNs(t->root, t->hl7);
}

static int count(const xmlNode *n, const char *name)
{
	const xmlNode *c;
	int k = 0;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			k++;
	return k;
}

TEST(cda_write, xpath_build_predicates_and_attribute)
{
	struct tree t;
	struct xb_target out;
	char buf[64];
	xmlChar *v;

	tree_new(&t);
	ASSERT_INT_EQ(0, cda_xpath_build(t.root, t.hl7, t.sdtc,
		"hl7:entryRelationship/hl7:observation[hl7:code/@code='ASSERTION']/hl7:value", 0, &out, buf, sizeof(buf)));
	ASSERT_STR_EQ("value", (const char *)out.node->name);
	v = xmlGetProp(out.node->parent->children, (const xmlChar *)"code");
	ASSERT_STR_EQ("ASSERTION", (const char *)v);
	xmlFree(v);
	ASSERT_INT_EQ(0, cda_xpath_build(t.root, t.hl7, t.sdtc,
		"hl7:effectiveTime/hl7:low/@value", 0, &out, buf, sizeof(buf)));
	ASSERT_STR_EQ("value", out.attr);
	ASSERT_STR_EQ("low", (const char *)out.node->name);
	/* high goes into the same effectiveTime */
	ASSERT_INT_EQ(0, cda_xpath_build(t.root, t.hl7, t.sdtc,
		"hl7:effectiveTime/hl7:high/@value", 0, &out, buf, sizeof(buf)));
	ASSERT_INT_EQ(1, count(t.root, "effectiveTime"));
	/* a second statement gets its own entryRelationship (one act per wrapper) */
	ASSERT_INT_EQ(0, cda_xpath_build(t.root, t.hl7, t.sdtc,
		"hl7:entryRelationship/hl7:observation[hl7:code/@code='410675002']/hl7:value", 0, &out, buf, sizeof(buf)));
	ASSERT_INT_EQ(2, count(t.root, "entryRelationship"));
	ASSERT_INT_EQ(-1, cda_xpath_build(t.root, t.hl7, t.sdtc, "hl7:code[false()]", 0, &out, buf, sizeof(buf)));
	ASSERT_INT_EQ(0, cda_xpath_build(t.root, t.hl7, t.sdtc, "hl7:telecom[starts-with(@value,'tel:')]/@value", 0, &out,
		buf, sizeof(buf)));
	ASSERT_STR_EQ("tel:", out.prefix);
	xmlFreeDoc(t.doc);
}

TEST(cda_write, xpath_relative)
{
	ASSERT_STR_EQ("hl7:given", cda_xpath_relative("hl7:name/hl7:given", "hl7:name"));
	ASSERT_STR_EQ(".", cda_xpath_relative("hl7:name", "hl7:name"));
	ASSERT(cda_xpath_relative("hl7:addr/hl7:city", "hl7:name") == NULL);
}

/* A document with a patient, a body height (entry template) and a problem
 * (narrative only in BgZ 2020 CDA). */
static struct zib_doc *make_doc(const zib_ctx *ctx)
{
	struct zib_doc *doc = doc_new(ctx, "mem.json", ZIB_FORMAT_FHIR_JSON);
	const struct zib_model *pm = zib_model_find(ctx, "Patient");
	const struct zib_model *hm = zib_model_find(ctx, "Lichaamslengte");
	const struct zib_model *prm = zib_model_find(ctx, "Probleem");
	struct zib_instance *p, *h, *pr;
	struct zib_value *v;

	if (!doc || !pm || !hm || !prm)
		return doc;
	p = doc_add_instance(doc, pm, "p1", 1, "Patient");
	v = doc_add_value(doc, p, NULL, zib_concept_find(ctx, "NL-CM:0.1.7"), 2, "Patient.identifier");
	v->system = "http://fhir.nl/fhir/NamingSystem/bsn";
	v->code = "999911120";
	v = doc_add_value(doc, p, NULL, zib_concept_find(ctx, "NL-CM:0.1.10"), 3, "Patient.birthDate");
	v->text = "1950-03-02";
	h = doc_add_instance(doc, hm, "h1", 10, "Observation");
	v = doc_add_value(doc, h, NULL, zib_concept_find(ctx, "NL-CM:12.2.2"), 11, "Observation.valueQuantity");
	v->number = "182";
	v->unit = "cm";
	v = doc_add_value(doc, h, NULL, zib_concept_find(ctx, "NL-CM:12.2.4"), 12, "Observation.effectiveDateTime");
	v->text = "2023-11-20";
	pr = doc_add_instance(doc, prm, "c1", 20, "Condition");
	v = doc_add_value(doc, pr, NULL, zib_concept_find(ctx, "NL-CM:5.1.3"), 21, "Condition.code");
	v->code = "38341003";
	v->system = "2.16.840.1.113883.6.96";
	return doc;
}

TEST(cda_write, writes_reads_back_and_reports)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	zib_report *r1 = NULL, *r2 = NULL, *rr = NULL;
	struct zib_doc *doc;
	zib_doc *back = NULL;
	zib_cda_write_options o = ZIB_CDA_WRITE_OPTIONS_INIT;
	char *a = NULL, *b = NULL;
	size_t la, lb, i;
	int heights = 0, problems = 0;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	doc = make_doc(ctx);
	ASSERT(doc && doc->ninstances == 3);
	zib_report_new(&r1);
	zib_report_new(&r2);
	zib_report_new(&rr);
	ASSERT_INT_EQ(ZIB_OK, zib_doc_write_cda(&a, &la, doc, &o, r1, &err));
	ASSERT(strstr(a, "<birthTime value=\"19500302\"/>") != NULL);
	ASSERT(strstr(a, "root=\"2.16.840.1.113883.2.4.6.3\" extension=\"999911120\"") != NULL);
	ASSERT_INT_EQ(1, zib_report_count_severity(r1, ZIB_SEV_WARNING));
	ASSERT_STR_EQ("ZIB-CDAW-001", zib_report_at(r1, zib_report_count(r1) - 1)->code);
	/* same input, same bytes; strict turns the loss into an error */
	o.strict = 1;
	ASSERT_INT_EQ(ZIB_OK, zib_doc_write_cda(&b, &lb, doc, &o, r2, &err));
	ASSERT(la == lb && memcmp(a, b, la) == 0);
	ASSERT_INT_EQ(1, zib_report_count_severity(r2, ZIB_SEV_ERROR));
	ASSERT_INT_EQ(ZIB_OK, zib_doc_read(&back, ctx, "out.xml", a, la, rr, &err));
	for (i = 0; i < zib_doc_instance_count(back); i++) {
		const char *name = zib_model_name_nl(zib_instance_model(zib_doc_instance_at(back, i)));
		heights += strcmp(name, "Lichaamslengte") == 0;
		problems += strcmp(name, "Probleem") == 0;
	}
	ASSERT_INT_EQ(1, heights);
	ASSERT_INT_EQ(0, problems);
	free(a);
	free(b);
	zib_doc_free(back);
	zib_doc_free(doc);
	zib_report_free(r1);
	zib_report_free(r2);
	zib_report_free(rr);
	zib_ctx_free(ctx);
}

/* A quantity in a unit of its own code system (a G-Standaard unit) is
 * written as unit "1" with a translation naming the unit, and read back
 * with its system: not as the UCUM unit "1". */
TEST(cda_write, unit_of_another_code_system_as_translation)
{
	zib_ctx *ctx = NULL;
	zib_error err;
	struct zib_doc *doc;
	zib_doc *back = NULL;
	zib_cda_write_options o = ZIB_CDA_WRITE_OPTIONS_INIT;
	char *a = NULL;
	size_t la, i;
	const struct zib_value *v = NULL;
	struct zib_value *h;

	ASSERT_INT_EQ(ZIB_OK, zib_ctx_new(&ctx, NULL, &err));
	doc = make_doc(ctx);
	ASSERT(doc && doc->ninstances == 3);
	h = doc->instances->next->values;   /* Lichaamslengte's LengteWaarde */
	ASSERT_STR_EQ("NL-CM:12.2.2", h->concept->id);
	h->unit = "229";
	h->system = "2.16.840.1.113883.2.4.4.1.900.2";
	h->display = "mg";
	ASSERT_INT_EQ(ZIB_OK, zib_doc_write_cda(&a, &la, doc, &o, NULL, &err));
	ASSERT(strstr(a, "value=\"182\" unit=\"1\"") != NULL);
	ASSERT(strstr(a, "<translation value=\"182\" code=\"229\" codeSystem=\"2.16.840.1.113883.2.4.4.1.900.2\" "
		"displayName=\"mg\"/>") != NULL);
	ASSERT_INT_EQ(ZIB_OK, zib_doc_read(&back, ctx, "out.xml", a, la, NULL, &err));
	for (i = 0; i < zib_doc_instance_count(back) && !v; i++) {
		const zib_instance *inst = zib_doc_instance_at(back, i);
		if (strcmp(zib_model_name_nl(zib_instance_model(inst)), "Lichaamslengte") == 0)
			for (v = zib_instance_values(inst); v && strcmp(v->concept->id, "NL-CM:12.2.2") != 0; v = v->next)
				;
	}
	ASSERT(v != NULL);
	ASSERT_STR_EQ("182", v->number);
	ASSERT_STR_EQ("229", v->unit);
	ASSERT_STR_EQ("2.16.840.1.113883.2.4.4.1.900.2", v->system);
	ASSERT_STR_EQ("mg", v->display);
	free(a);
	zib_doc_free(back);
	zib_doc_free(doc);
	zib_ctx_free(ctx);
}
