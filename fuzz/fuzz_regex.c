/*
 * libFuzzer target: XPath/XSD regular expressions translated to PCRE2.
 * The input is FLAGS '\n' PATTERN ['\n' SUBJECT]: the pattern is compiled
 * directly and used through matches(), replace() and tokenize().
 */
#include <libxml/parser.h>

#include "fuzz_util.h"
#include "xpath2/ast.h"
#include "xpath2/xpath2.h"

/* s as an XPath string literal into b (quotes doubled). */
static void literal(char *b, size_t cap, const char *s)
{
	size_t n = 0;

	b[n++] = '\'';
	for (; *s && n + 3 < cap; s++) {
		if (*s == '\'')
			b[n++] = '\'';
		b[n++] = *s;
	}
	b[n++] = '\'';
	b[n] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ns[] = { NULL };
	struct arena arena = ARENA_INIT;
	struct xp_docs docs;
	struct xp_static st;
	struct xp_run run;
	char msg[512], *in, *flags, *pattern, *subject, *nl;
	static char f[64], p[2200], s[2200], expr[3 * (64 + 2200 + 2200) + 100];
	void *re;

	if (size > 2048)
		return 0;
	in = fuzz_str(data, size);
	flags = in;
	nl = strchr(in, '\n');
	pattern = nl ? (*nl = '\0', nl + 1) : (char *)"";
	nl = strchr(pattern, '\n');
	subject = nl ? (*nl = '\0', nl + 1) : (char *)"abc 123 d\xc3\xa9" "f";
	if (strlen(flags) > 8)
		flags[8] = '\0';
	re = xp_regex_compile(pattern, flags, msg, sizeof(msg));
	if (re)
		xp_regex_free(re);
	literal(f, sizeof(f), flags);
	literal(p, sizeof(p), pattern);
	literal(s, sizeof(s), subject);
	if ((size_t)snprintf(expr, sizeof(expr), "(matches(%s, %s, %s), replace(%s, %s, 'x', %s), "
	    "tokenize(%s, %s, %s))", s, p, f, s, p, f, s, p, f) >= sizeof(expr))
		abort();  /* cannot be: the buffer holds three of each */
	xp_docs_init(&docs, &arena);
	memset(&st, 0, sizeof(st));
	st.ns = ns;
	st.docs = &docs;
	st.arena = &arena;
	xp_run_init(&run, &docs);
	{
		struct xp_expr *e = xp_compile(expr, &st, msg, sizeof(msg));
		if (e) {
			struct xp_seq out;
			xp_eval(e, &run, NULL, NULL, &out);
			xp_expr_free(e);
		}
	}
	xp_run_release(&run);
	xp_docs_release(&docs);
	arena_release(&arena);
	free(in);
	return 0;
}
