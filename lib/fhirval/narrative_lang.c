/*
 * narrative_lang: the narrative-language-control extension a profile puts
 * on a Narrative element.  Language sections are the narrative div's
 * element children with a lang or xml:lang attribute.  The control says:
 *   _no        no language sections
 *   _yes       at least one language section
 *   _resource  a section in the resource's language (Resource.language)
 *   a code     a section in that language (one finding per missing code)
 * Only profiles that carry the extension pay for parsing the div.
 */
#include <libxml/parser.h>
#include <string.h>

#include "core/buf.h"
#include "fhir/tree.h"
#include "fhirdef/fhirdef.h"
#include "fhirval/fhirval.h"

#define MAX_LANGS 32

struct langs {
	char *code[MAX_LANGS];
	size_t n;
};

static void add_lang(struct langs *l, xmlChar *v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->code[i], (const char *)v) == 0) {
			xmlFree(v);
			return;
		}
	if (l->n < MAX_LANGS)
		l->code[l->n++] = (char *)v;
	else
		xmlFree(v);
}

/* The languages of the div's sections; -1 when the markup does not parse
 * (the structure rules report that). */
static int section_langs(const struct fhir_node *div, struct langs *l)
{
	xmlDoc *doc = xmlReadMemory(div->value, (int)div->value_len, NULL, NULL,
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL, *c;

	if (!root) {
		xmlFreeDoc(doc);
		return -1;
	}
	for (c = root->children; c; c = c->next) {
		xmlChar *v;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		v = xmlGetNsProp(c, (const xmlChar *)"lang", XML_XML_NAMESPACE);
		if (!v)
			v = xmlGetNoNsProp(c, (const xmlChar *)"lang");
		if (v)
			add_lang(l, v);
	}
	xmlFreeDoc(doc);
	return 0;
}

static int has_lang(const struct langs *l, const char *code)
{
	size_t i;

	for (i = 0; code && i < l->n; i++)
		if (strcmp(l->code[i], code) == 0)
			return 1;
	return 0;
}

static const struct fhir_node *resource_of(const struct fhir_node *n)
{
	while (n && n->kind != FHIR_K_RESOURCE)
		n = n->parent;
	return n;
}

static void list_langs(struct buf *b, const struct langs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, l->code[i]);
	}
	if (!l->n)
		buf_puts(b, "none");
}

void fv_check_narrative_lang(struct fv_run *run, const struct fhirdef_elem *e, const char *sd_url,
	const struct fhir_node *narrative)
{
	const struct fhir_node *div = fv_child(narrative, "div");
	struct langs l = { { NULL }, 0 };
	struct buf found = BUF_INIT;
	size_t i;

	if (!e->nlang_controls || !div || div->kind != FHIR_K_XHTML || !div->value ||
	    section_langs(div, &l) < 0)
		return;
	list_langs(&found, &l);
	for (i = 0; i < e->nlang_controls; i++) {
		const char *ctl = e->lang_controls[i], *want = ctl;

		if (strcmp(ctl, "_no") == 0) {
			if (l.n)
				fv_report(run, narrative, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the "
					"narrative has language sections (%s), which the profile prohibits "
					"(narrative-language-control, from %s)", e->id,
					found.data ? found.data : "", sd_url);
			continue;
		}
		if (strcmp(ctl, "_yes") == 0) {
			if (!l.n)
				fv_report(run, narrative, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the "
					"narrative has no language sections, which the profile requires "
					"(narrative-language-control, from %s)", e->id, sd_url);
			continue;
		}
		if (strcmp(ctl, "_resource") == 0) {
			want = fv_child_value(resource_of(narrative), "language");
			if (!want)
				continue;
		}
		if (!has_lang(&l, want))
			fv_report(run, narrative, ZIB_SEV_ERROR, FV_CODE_PROF_VALUE, "%s: the narrative "
				"has no section in language '%s' (found %s), which the profile requires "
				"(narrative-language-control, from %s)", e->id, want,
				found.data ? found.data : "", sd_url);
	}
	for (i = 0; i < l.n; i++)
		xmlFree(l.code[i]);
	buf_release(&found);
}
