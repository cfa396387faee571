/*
 * regex: the PCRE2 patterns of matches(), matchesFull() and
 * replaceMatches(), with '.' matching new lines as the specification asks.
 *
 * Invariants write their patterns as string literals, and a validator
 * evaluates one compiled expression on many resources, so a literal
 * pattern is compiled once, by fhirpath_compile, and kept in the call's
 * syntax node.  No lock is needed: a compiled expression does not change
 * after fhirpath_compile and is shared between threads only to be read,
 * and pcre2_match() only reads a compiled pattern (the match data is each
 * call's own).  A pattern computed at evaluation time is compiled per
 * call; so is a literal that does not compile, so that the error comes
 * from the evaluation, as for a computed one.
 */
#include <string.h>

#include "fhirpath/fp_int.h"

pcre2_code *fp_regex_compile(const char *pat, size_t len, int full)
{
	int code;
	PCRE2_SIZE at;

	return pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_DOTALL | PCRE2_UTF |
		(full ? PCRE2_ANCHORED | PCRE2_ENDANCHORED : 0), &code, &at, NULL);
}

int fp_regex_full(const struct fp_ast *call)
{
	return strcmp(call->name, "matchesFull") == 0;
}

void fp_regex_precompile(struct fhirpath_expr *e, struct fp_ast *call)
{
	const struct fp_ast *pat;

	if (call->kind != A_FUNC || call->nargs < 1 || (strcmp(call->name, "matches") != 0 &&
		strcmp(call->name, "matchesFull") != 0 && strcmp(call->name, "replaceMatches") != 0))
		return;
	pat = call->args[0];
	/* replaceMatches('', x) leaves its input as it is: no pattern to keep. */
	if (pat->kind != A_LITERAL || pat->lit.kind != FHIRPATH_STRING || pat->lit.len == 0)
		return;
	call->regex = fp_regex_compile(pat->lit.s, pat->lit.len, fp_regex_full(call));
	if (call->regex) {
		call->next_regex = e->regexes;
		e->regexes = call;
	}
}

void fp_regex_release(struct fhirpath_expr *e)
{
	struct fp_ast *n;

	for (n = e->regexes; n; n = n->next_regex)
		pcre2_code_free(n->regex);
	e->regexes = NULL;
}
