/*
 * libFuzzer target: the input is an XPath 2.0 expression; it is compiled
 * as an expression and as a match pattern, and what compiles is evaluated
 * over a small document (the parser, the compiler and the evaluator).
 */
#include <libxml/parser.h>

#include "fuzz_util.h"
#include "xpath2/xpath2.h"

static const char xml[] =
	"<a xmlns=\"urn:hl7-org:v3\" x=\"1\"><b y=\"2020-01-01\">text</b><b>12.5</b>"
	"<c><d z=\"P1D\"/><d z=\"-3\">x y z</d></c><!-- c --><?pi v?></a>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ns[] = { "hl7", "urn:hl7-org:v3", "xs",
		"http://www.w3.org/2001/XMLSchema", NULL };
	static xmlDoc *doc;
	struct arena arena = ARENA_INIT;
	struct xp_docs docs;
	struct xp_static st;
	struct xp_run run;
	struct xp_expr *e, *p;
	char msg[512], *src;

	if (size > 4096)
		return 0;
	if (!doc && !(doc = xmlReadMemory(xml, sizeof(xml) - 1, "a.xml", NULL, XML_PARSE_NONET)))
		abort();
	src = fuzz_str(data, size);
	xp_docs_init(&docs, &arena);
	memset(&st, 0, sizeof(st));
	st.ns = ns;
	st.base_dir = fuzz_dir();  /* doc() finds nothing there */
	st.docs = &docs;
	st.arena = &arena;
	e = xp_compile(src, &st, msg, sizeof(msg));
	p = xp_compile_pattern(src, &st, msg, sizeof(msg));
	xp_run_init(&run, &docs);
	if (e) {
		struct xp_seq out;
		xp_eval_bool(e, &run, xmlDocGetRootElement(doc), NULL);
		xp_eval_string(e, &run, xmlDocGetRootElement(doc)->children, NULL);
		xp_eval(e, &run, NULL, NULL, &out);
		xp_expr_free(e);
	}
	if (p) {
		xp_pattern_matches(p, &run, xmlDocGetRootElement(doc), NULL);
		xp_expr_free(p);
	}
	xp_run_release(&run);
	xp_docs_release(&docs);
	arena_release(&arena);
	free(src);
	return 0;
}
