/*
 * parse: XPath 2.0 text to an expression tree.  A tokenizer that follows
 * the XPath lexical rule for '*' and operator names (after an operand they
 * are operators), then recursive descent over the XPath 2.0 grammar.
 * Prefixes are resolved here, so evaluation compares namespace URIs only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xpath2/ast.h"

#define XS_NS "http://www.w3.org/2001/XMLSchema"
#define FN_NS "http://www.w3.org/2005/xpath-functions"

enum tok_kind { K_EOF, K_NAME, K_STAR, K_STRING, K_INT, K_DEC, K_DBL, K_VAR, K_SYM };

struct tok {
	enum tok_kind kind;
	const char *text;   /* NAME: the QName (may contain '*'); STRING: unescaped */
	char sym[3];
	size_t off;
};

struct parser {
	const char *src;
	struct tok *toks;
	size_t ntok, pos;
	const struct xp_static *st;
	char *err;
	size_t errsize;
	int failed;
};

static int name_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int name_char(unsigned char c)
{
	return name_start(c) || isdigit(c) || c == '-' || c == '.';
}

static void perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errsize, fmt, ap);
	va_end(ap);
	n = strlen(p->err);
	if (p->pos < p->ntok && n + 20 < p->errsize)
		snprintf(p->err + n, p->errsize - n, " at offset %zu", p->toks[p->pos].off);
}

/* After these tokens an operand is expected, so '*' is a wildcard and a
 * name is a name (XPath 1.0 section 3.7, kept by XPath 2.0). */
static int operand_expected(const struct tok *prev)
{
	static const char *const syms[] = { "@", "::", "(", "[", ",", "/", "//", "|", "+", "-",
		"=", "!=", "<", "<=", ">", ">=", "<<", ">>", NULL };
	size_t i;

	if (!prev)
		return 1;
	if (prev->kind == K_SYM) {
		for (i = 0; syms[i]; i++)
			if (strcmp(prev->sym, syms[i]) == 0)
				return 1;
		return 0;
	}
	if (prev->kind == K_STAR)
		return prev->text != NULL;   /* a multiplication operator */
	if (prev->kind == K_NAME && prev->sym[0] == 'o')
		return 1;                    /* an operator name */
	return 0;
}

static int tokenize(struct parser *p)
{
	const char *s = p->src;
	size_t i = 0, cap = 32;
	struct arena *a = p->st->arena;

	p->toks = malloc(cap * sizeof(*p->toks));
	if (!p->toks)
		return -1;
	for (;;) {
		struct tok t;
		const struct tok *prev = p->ntok ? &p->toks[p->ntok - 1] : NULL;

		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			i++;
		if (s[i] == '(' && s[i + 1] == ':') {   /* (: comment :), nesting */
			int depth = 0;
			do {
				if (s[i] == '(' && s[i + 1] == ':') {
					depth++;
					i += 2;
				} else if (s[i] == ':' && s[i + 1] == ')') {
					depth--;
					i += 2;
				} else if (!s[i]) {
					perr(p, "unterminated comment");
					return -1;
				} else {
					i++;
				}
			} while (depth > 0);
			continue;
		}
		memset(&t, 0, sizeof(t));
		t.off = i;
		if (!s[i]) {
			t.kind = K_EOF;
		} else if (s[i] == '"' || s[i] == '\'') {
			char q = s[i++];
			size_t start = i, n = 0;
			char *out;
			for (;;) {
				if (!s[i]) {
					perr(p, "unterminated string literal");
					return -1;
				}
				if (s[i] == q) {
					if (s[i + 1] == q) {
						i += 2;
						continue;
					}
					break;
				}
				i++;
			}
			out = arena_alloc(a, i - start + 1);
			if (!out)
				return -1;
			for (size_t j = start; j < i; j++) {
				out[n++] = s[j];
				if (s[j] == q)
					j++;
			}
			out[n] = '\0';
			i++;
			t.kind = K_STRING;
			t.text = out;
		} else if (isdigit((unsigned char)s[i]) || (s[i] == '.' && isdigit((unsigned char)s[i + 1]))) {
			size_t start = i;
			int dot = 0, exp = 0;
			while (isdigit((unsigned char)s[i]))
				i++;
			if (s[i] == '.') {
				dot = 1;
				i++;
				while (isdigit((unsigned char)s[i]))
					i++;
			}
			if (s[i] == 'e' || s[i] == 'E') {
				size_t j = i + 1;
				if (s[j] == '+' || s[j] == '-')
					j++;
				if (isdigit((unsigned char)s[j])) {
					exp = 1;
					i = j;
					while (isdigit((unsigned char)s[i]))
						i++;
				}
			}
			t.kind = exp ? K_DBL : dot ? K_DEC : K_INT;
			t.text = arena_strndup(a, s + start, i - start);
		} else if (s[i] == '$') {
			size_t start;
			i++;
			while (s[i] == ' ')
				i++;
			start = i;
			while (name_char((unsigned char)s[i]) || (s[i] == ':' && name_start((unsigned char)s[i + 1])))
				i++;
			if (i == start) {
				perr(p, "expected a variable name after '$'");
				return -1;
			}
			t.kind = K_VAR;
			t.text = arena_strndup(a, s + start, i - start);
		} else if (s[i] == '*' && !(s[i + 1] == ':' && name_start((unsigned char)s[i + 2]))) {
			i++;
			t.kind = K_STAR;
			/* text non-NULL marks the multiplication operator */
			t.text = operand_expected(prev) ? NULL : "*";
		} else if (name_start((unsigned char)s[i]) || s[i] == '*') {
			size_t start = i;
			if (s[i] == '*') {
				i += 2;   /* "*:" */
			}
			while (name_char((unsigned char)s[i]))
				i++;
			if (s[i] == ':' && s[i + 1] != ':' && start == i - (i - start) && s[start] != '*') {
				if (s[i + 1] == '*') {
					i += 2;
				} else if (name_start((unsigned char)s[i + 1])) {
					i++;
					while (name_char((unsigned char)s[i]))
						i++;
				}
			}
			t.kind = K_NAME;
			t.text = arena_strndup(a, s + start, i - start);
			if (!operand_expected(prev))
				t.sym[0] = 'o';   /* operator name: and, or, div, eq, ... */
		} else {
			static const char *const two[] = { "::", "//", "!=", "<=", ">=", "<<", ">>", "..", NULL };
			size_t k;
			for (k = 0; two[k]; k++)
				if (s[i] == two[k][0] && s[i + 1] == two[k][1])
					break;
			t.kind = K_SYM;
			if (two[k]) {
				memcpy(t.sym, two[k], 2);
				i += 2;
			} else if (strchr("()[],/@|=<>+-.?", s[i])) {
				t.sym[0] = s[i++];
			} else {
				p->pos = p->ntok;
				perr(p, "unexpected character '%c'", s[i]);
				return -1;
			}
		}
		if (p->ntok == cap) {
			struct tok *nt;
			cap *= 2;
			nt = realloc(p->toks, cap * sizeof(*nt));
			if (!nt)
				return -1;
			p->toks = nt;
		}
		p->toks[p->ntok++] = t;
		if (t.kind == K_EOF)
			return 0;
		if ((t.kind == K_NAME || t.kind == K_STRING || t.kind == K_INT || t.kind == K_DEC ||
			t.kind == K_DBL || t.kind == K_VAR) && !t.text)
			return -1;
	}
}

/* ---- token helpers ---- */

static const struct tok *peek(struct parser *p, size_t k)
{
	size_t i = p->pos + k;
	return i < p->ntok ? &p->toks[i] : &p->toks[p->ntok - 1];
}

/* sym is one or two characters: compared in place, as the parser asks
 * this of most tokens at every precedence level */
static int is_sym(const struct tok *t, const char *s)
{
	return t->kind == K_SYM && t->sym[0] == s[0] && t->sym[1] == s[1] &&
		(s[1] == '\0' || t->sym[2] == '\0');
}

static int is_word(const struct tok *t, const char *w)
{
	return t->kind == K_NAME && strcmp(t->text, w) == 0;
}

static int accept_sym(struct parser *p, const char *s)
{
	if (is_sym(peek(p, 0), s)) {
		p->pos++;
		return 1;
	}
	return 0;
}

static int expect_sym(struct parser *p, const char *s)
{
	if (accept_sym(p, s))
		return 1;
	perr(p, "expected '%s'", s);
	return 0;
}

/* An operator keyword, only where an operator may stand. */
static int accept_opword(struct parser *p, const char *w)
{
	const struct tok *t = peek(p, 0);
	if (t->kind == K_NAME && t->sym[0] == 'o' && strcmp(t->text, w) == 0) {
		p->pos++;
		return 1;
	}
	return 0;
}

static struct xp_expr *node_new(struct parser *p, enum xp_op op)
{
	struct xp_expr *e = arena_alloc(p->st->arena, sizeof(*e));
	if (!e) {
		perr(p, "out of memory");
		return NULL;
	}
	e->op = op;
	return e;
}

static struct xp_expr *binary(struct parser *p, enum xp_op op, struct xp_expr *a, struct xp_expr *b)
{
	struct xp_expr *e;

	if (!a || !b)
		return NULL;
	e = node_new(p, op);
	if (e) {
		e->a = a;
		e->b = b;
	}
	return e;
}

static int push_arg(struct parser *p, struct xp_expr *e, struct xp_expr *arg, size_t *cap)
{
	if (!arg)
		return -1;
	if (e->nargs == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct xp_expr **na = arena_alloc(p->st->arena, nc * sizeof(*na));
		if (!na) {
			perr(p, "out of memory");
			return -1;
		}
		if (e->nargs)
			memcpy(na, e->args, e->nargs * sizeof(*na));
		e->args = na;
		*cap = nc;
	}
	e->args[e->nargs++] = arg;
	return 0;
}

static const char *ns_lookup(struct parser *p, const char *prefix, size_t n)
{
	const char *const *ns = p->st->ns;

	if (n == 3 && strncmp(prefix, "xml", 3) == 0)
		return "http://www.w3.org/XML/1998/namespace";
	for (; ns && ns[0]; ns += 2)
		if (strlen(ns[0]) == n && strncmp(ns[0], prefix, n) == 0)
			return ns[1];
	if (n == 2 && strncmp(prefix, "xs", 2) == 0)
		return XS_NS;
	if (n == 2 && strncmp(prefix, "fn", 2) == 0)
		return FN_NS;
	return NULL;
}

/* Splits a QName into namespace URI and local name. */
static int resolve_qname(struct parser *p, const char *qname, const char **uri, const char **local)
{
	const char *colon = strchr(qname, ':');

	if (!colon) {
		*uri = NULL;
		*local = qname;
		return 0;
	}
	if (qname[0] == '*') {
		*uri = "*";
		*local = colon + 1;
		return 0;
	}
	*uri = ns_lookup(p, qname, (size_t)(colon - qname));
	if (!*uri) {
		perr(p, "undeclared namespace prefix in '%s'", qname);
		return -1;
	}
	*local = colon + 1;
	return 0;
}

/* ---- grammar ---- */

static struct xp_expr *parse_expr(struct parser *p);
static struct xp_expr *parse_single(struct parser *p);
static struct xp_expr *parse_path(struct parser *p);

static int kind_test_name(const char *n, enum xp_test *k)
{
	static const struct { const char *n; enum xp_test k; } kinds[] = {
		{ "node", T_NODE }, { "text", T_TEXT }, { "comment", T_COMMENT },
		{ "processing-instruction", T_PI }, { "element", T_ELEMENT },
		{ "attribute", T_ATTRIBUTE }, { "document-node", T_DOCUMENT },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(n, kinds[i].n) == 0) {
			*k = kinds[i].k;
			return 1;
		}
	return 0;
}

/* kind test after its name: "(" [name [, type]] ")" */
static int parse_kind_args(struct parser *p, struct xp_node_test *t)
{
	if (!expect_sym(p, "("))
		return -1;
	if (peek(p, 0)->kind == K_NAME || peek(p, 0)->kind == K_STAR || peek(p, 0)->kind == K_STRING) {
		const struct tok *nt = peek(p, 0);
		p->pos++;
		if (nt->kind == K_NAME && (t->kind == T_ELEMENT || t->kind == T_ATTRIBUTE)) {
			if (resolve_qname(p, nt->text, &t->uri, &t->local) < 0)
				return -1;
			t->kind = T_NAME;   /* element(x) behaves as a name test here */
		}
		if (accept_sym(p, ",")) {
			if (peek(p, 0)->kind == K_NAME)
				p->pos++;
			accept_sym(p, "?");
		}
	}
	return expect_sym(p, ")") ? 0 : -1;
}

static int parse_node_test(struct parser *p, struct xp_expr *step, int attr_axis)
{
	const struct tok *t = peek(p, 0);

	if (t->kind == K_STAR) {
		p->pos++;
		step->test.kind = T_NAME;
		step->test.uri = "*";
		step->test.local = "*";
		return 0;
	}
	if (t->kind != K_NAME) {
		perr(p, "expected a node test");
		return -1;
	}
	if (is_sym(peek(p, 1), "(") && kind_test_name(t->text, &step->test.kind)) {
		p->pos++;
		return parse_kind_args(p, &step->test);
	}
	p->pos++;
	step->test.kind = T_NAME;
	if (strchr(t->text, ':')) {
		size_t n = strlen(t->text);
		if (t->text[n - 1] == '*') {
			step->test.uri = ns_lookup(p, t->text, n - 2);
			step->test.local = "*";
			if (!step->test.uri) {
				perr(p, "undeclared namespace prefix in '%s'", t->text);
				return -1;
			}
			return 0;
		}
		return resolve_qname(p, t->text, &step->test.uri, &step->test.local);
	}
	(void)attr_axis;
	step->test.uri = NULL;   /* unprefixed: no namespace (no default element ns) */
	step->test.local = t->text;
	return 0;
}

static int axis_by_name(const char *n, enum xp_axis *ax)
{
	static const struct { const char *n; enum xp_axis a; } axes[] = {
		{ "child", AX_CHILD }, { "descendant", AX_DESC }, { "descendant-or-self", AX_DESC_SELF },
		{ "self", AX_SELF }, { "attribute", AX_ATTR }, { "parent", AX_PARENT },
		{ "ancestor", AX_ANC }, { "ancestor-or-self", AX_ANC_SELF },
		{ "following-sibling", AX_FOLL_SIB }, { "preceding-sibling", AX_PREC_SIB },
		{ "following", AX_FOLL }, { "preceding", AX_PREC },
	};
	size_t i;

	for (i = 0; i < sizeof(axes) / sizeof(axes[0]); i++)
		if (strcmp(n, axes[i].n) == 0) {
			*ax = axes[i].a;
			return 1;
		}
	return 0;
}

static int parse_predicates(struct parser *p, struct xp_expr *e)
{
	size_t cap = 0;

	while (accept_sym(p, "[")) {
		struct xp_expr *pred = parse_expr(p);
		if (!pred || push_arg(p, e, pred, &cap) < 0 || !expect_sym(p, "]"))
			return -1;
	}
	return 0;
}

static struct xp_expr *make_const_str(struct parser *p, const char *s)
{
	struct xp_expr *e = node_new(p, X_CONST);
	struct xp_item *it;

	if (!e)
		return NULL;
	it = arena_alloc(p->st->arena, sizeof(*it));
	if (!it)
		return NULL;
	it->type = XP_STRING;
	it->v.str = s;
	e->cval.n = 1;
	e->cval.items = it;
	return e;
}

static struct xp_expr *make_const_num(struct parser *p, const struct tok *t)
{
	struct xp_expr *e = node_new(p, X_CONST);
	struct xp_item *it;

	if (!e)
		return NULL;
	it = arena_alloc(p->st->arena, sizeof(*it));
	if (!it)
		return NULL;
	if (t->kind == K_INT) {
		errno = 0;
		it->type = XP_INTEGER;
		it->v.i = strtoll(t->text, NULL, 10);
		if (errno) {
			it->type = XP_DECIMAL;
			it->v.d = strtod(t->text, NULL);
		}
	} else {
		it->type = t->kind == K_DEC ? XP_DECIMAL : XP_DOUBLE;
		it->v.d = strtod(t->text, NULL);
	}
	e->cval.n = 1;
	e->cval.items = it;
	return e;
}

/* Parses a SingleType / SequenceType after "instance of", "cast as" ... */
static int parse_seq_type(struct parser *p, struct xp_expr *e, int allow_occ)
{
	const struct tok *t = peek(p, 0);

	if (t->kind != K_NAME) {
		perr(p, "expected a type name");
		return -1;
	}
	p->pos++;
	if (is_sym(peek(p, 0), "(")) {
		enum xp_test k;
		if (strcmp(t->text, "item") == 0) {
			e->stype_node = -1;
			if (!expect_sym(p, "(") || !expect_sym(p, ")"))
				return -1;
		} else if (strcmp(t->text, "empty-sequence") == 0) {
			e->stype_node = -2;
			if (!expect_sym(p, "(") || !expect_sym(p, ")"))
				return -1;
			return 0;
		} else if (kind_test_name(t->text, &k)) {
			e->test.kind = k;
			e->stype_node = 1;
			if (parse_kind_args(p, &e->test) < 0)
				return -1;
		} else {
			perr(p, "unknown sequence type '%s()'", t->text);
			return -1;
		}
	} else {
		const char *uri, *local;
		if (resolve_qname(p, t->text, &uri, &local) < 0)
			return -1;
		if (!uri || strcmp(uri, XS_NS) != 0 || xp_type_by_name(local, &e->stype) < 0) {
			perr(p, "unsupported type '%s'", t->text);
			return -1;
		}
	}
	{
		const struct tok *o = peek(p, 0);
		if (is_sym(o, "?") || (allow_occ && o->kind == K_STAR) ||
			(allow_occ && is_sym(o, "+"))) {
			e->occ = o->kind == K_STAR ? '*' : o->sym[0];
			p->pos++;
		}
	}
	return 0;
}

static struct xp_expr *parse_call(struct parser *p, const struct tok *name)
{
	struct xp_expr *e;
	size_t cap = 0;
	const char *fname = name->text;
	const char *colon = strchr(fname, ':');
	int arity_error = 0;

	e = node_new(p, X_CALL);
	if (!e)
		return NULL;
	p->pos += 2;   /* name ( */
	if (!accept_sym(p, ")")) {
		do {
			if (push_arg(p, e, parse_single(p), &cap) < 0)
				return NULL;
		} while (accept_sym(p, ","));
		if (!expect_sym(p, ")"))
			return NULL;
	}
	if (colon) {
		const char *uri = ns_lookup(p, fname, (size_t)(colon - fname));
		if (uri && strcmp(uri, XS_NS) == 0) {
			/* A constructor function: xs:T(x) is (x cast as xs:T?). */
			if (e->nargs != 1) {
				perr(p, "constructor function '%s' takes one argument", fname);
				return NULL;
			}
			e->op = X_CAST;
			e->a = e->args[0];
			e->occ = '?';
			if (xp_type_by_name(colon + 1, &e->stype) < 0) {
				perr(p, "unknown function '%s'", fname);
				return NULL;
			}
			return e;
		}
		if (!uri || strcmp(uri, FN_NS) != 0) {
			perr(p, "unknown function '%s'", fname);
			return NULL;
		}
		fname = colon + 1;
	}
	e->name = fname;
	e->fn = xp_func_find(fname, e->nargs, &arity_error);
	if (!e->fn) {
		if (arity_error)
			perr(p, "function '%s' does not take %zu argument%s", fname, e->nargs,
				e->nargs == 1 ? "" : "s");
		else
			perr(p, "unknown function '%s'", fname);
		return NULL;
	}
	e->base_dir = p->st->base_dir;
	e->docs = p->st->docs;
	return e;
}

static struct xp_expr *parse_primary(struct parser *p)
{
	const struct tok *t = peek(p, 0);
	struct xp_expr *e;

	switch (t->kind) {
	case K_STRING:
		p->pos++;
		return make_const_str(p, t->text);
	case K_INT:
	case K_DEC:
	case K_DBL:
		p->pos++;
		return make_const_num(p, t);
	case K_VAR:
		p->pos++;
		e = node_new(p, X_VAR);
		if (e)
			e->name = t->text;
		return e;
	case K_SYM:
		if (is_sym(t, "(")) {
			p->pos++;
			if (accept_sym(p, ")"))
				return node_new(p, X_SEQ);
			e = parse_expr(p);
			if (!e || !expect_sym(p, ")"))
				return NULL;
			return e;
		}
		if (is_sym(t, ".")) {
			p->pos++;
			return node_new(p, X_CONTEXT);
		}
		break;
	case K_NAME:
		if (is_sym(peek(p, 1), "("))
			return parse_call(p, t);
		break;
	default:
		break;
	}
	return NULL;
}

/* StepExpr: FilterExpr | AxisStep */
static struct xp_expr *parse_step(struct parser *p)
{
	const struct tok *t = peek(p, 0);
	struct xp_expr *e;
	enum xp_axis ax = AX_CHILD;
	enum xp_test k;

	if (is_sym(t, "..")) {
		p->pos++;
		e = node_new(p, X_STEP);
		if (!e)
			return NULL;
		e->axis = AX_PARENT;
		e->test.kind = T_NODE;
		return parse_predicates(p, e) < 0 ? NULL : e;
	}
	if (is_sym(t, "@")) {
		p->pos++;
		ax = AX_ATTR;
	} else if (t->kind == K_NAME && is_sym(peek(p, 1), "::")) {
		if (!axis_by_name(t->text, &ax)) {
			perr(p, "unknown axis '%s'", t->text);
			return NULL;
		}
		p->pos += 2;
	} else if (t->kind == K_NAME && is_sym(peek(p, 1), "(") && !kind_test_name(t->text, &k)) {
		/* a function call, or if(...) handled by the caller */
		goto filter;
	} else if (t->kind != K_NAME && t->kind != K_STAR) {
		goto filter;
	}
	e = node_new(p, X_STEP);
	if (!e)
		return NULL;
	e->axis = ax;
	if (parse_node_test(p, e, ax == AX_ATTR) < 0)
		return NULL;
	if (e->test.kind == T_ATTRIBUTE && ax == AX_CHILD)
		e->axis = AX_ATTR;
	return parse_predicates(p, e) < 0 ? NULL : e;
filter:
	e = parse_primary(p);
	if (!e) {
		perr(p, "expected an expression");
		return NULL;
	}
	if (is_sym(peek(p, 0), "[")) {
		struct xp_expr *f = node_new(p, X_FILTER);
		if (!f)
			return NULL;
		f->a = e;
		if (parse_predicates(p, f) < 0)
			return NULL;
		return f;
	}
	return e;
}

static struct xp_expr *desc_or_self(struct parser *p)
{
	struct xp_expr *e = node_new(p, X_STEP);
	if (e) {
		e->axis = AX_DESC_SELF;
		e->test.kind = T_NODE;
	}
	return e;
}

static struct xp_expr *parse_relative(struct parser *p, struct xp_expr *left)
{
	struct xp_expr *e = left;

	if (!e)
		return NULL;
	for (;;) {
		if (accept_sym(p, "/")) {
			e = binary(p, X_SLASH, e, parse_step(p));
		} else if (accept_sym(p, "//")) {
			e = binary(p, X_SLASH, e, binary(p, X_SLASH, desc_or_self(p), parse_step(p)));
		} else {
			return e;
		}
		if (!e)
			return NULL;
	}
}

static int starts_step(const struct tok *t)
{
	return t->kind == K_NAME || t->kind == K_STAR || is_sym(t, "@") || is_sym(t, ".") ||
		is_sym(t, "..") || is_sym(t, "(") || t->kind == K_STRING || t->kind == K_VAR ||
		t->kind == K_INT || t->kind == K_DEC || t->kind == K_DBL;
}

static struct xp_expr *parse_path(struct parser *p)
{
	if (accept_sym(p, "/")) {
		struct xp_expr *root = node_new(p, X_ROOT);
		if (!starts_step(peek(p, 0)) || (peek(p, 0)->kind == K_NAME && peek(p, 0)->sym[0] == 'o'))
			return root;
		return parse_relative(p, binary(p, X_SLASH, root, parse_step(p)));
	}
	if (accept_sym(p, "//")) {
		struct xp_expr *root = node_new(p, X_ROOT);
		return parse_relative(p, binary(p, X_SLASH, root,
			binary(p, X_SLASH, desc_or_self(p), parse_step(p))));
	}
	return parse_relative(p, parse_step(p));
}

static struct xp_expr *parse_unary(struct parser *p)
{
	if (accept_sym(p, "-")) {
		struct xp_expr *e = node_new(p, X_NEG);
		if (e && !(e->a = parse_unary(p)))
			return NULL;
		return e;
	}
	if (accept_sym(p, "+"))
		return parse_unary(p);
	return parse_path(p);
}

static struct xp_expr *parse_cast(struct parser *p)
{
	struct xp_expr *e = parse_unary(p);
	enum xp_op op;

	if (!e || peek(p, 0)->kind != K_NAME)
		return e;
	if (is_word(peek(p, 0), "cast") && is_word(peek(p, 1), "as"))
		op = X_CAST;
	else if (is_word(peek(p, 0), "castable") && is_word(peek(p, 1), "as"))
		op = X_CASTABLE;
	else if (is_word(peek(p, 0), "treat") && is_word(peek(p, 1), "as"))
		op = X_TREAT;
	else if (is_word(peek(p, 0), "instance") && is_word(peek(p, 1), "of"))
		op = X_INSTANCE;
	else
		return e;
	p->pos += 2;
	{
		struct xp_expr *c = node_new(p, op);
		if (!c)
			return NULL;
		c->a = e;
		if (parse_seq_type(p, c, op == X_INSTANCE || op == X_TREAT) < 0)
			return NULL;
		return c;
	}
}

static struct xp_expr *parse_intersect(struct parser *p)
{
	struct xp_expr *e = parse_cast(p);

	while (e) {
		if (accept_opword(p, "intersect"))
			e = binary(p, X_INTERSECT, e, parse_cast(p));
		else if (accept_opword(p, "except"))
			e = binary(p, X_EXCEPT, e, parse_cast(p));
		else
			break;
	}
	return e;
}

static struct xp_expr *parse_union(struct parser *p)
{
	struct xp_expr *e = parse_intersect(p);

	while (e && (accept_sym(p, "|") || accept_opword(p, "union")))
		e = binary(p, X_UNION, e, parse_intersect(p));
	return e;
}

static struct xp_expr *parse_mul(struct parser *p)
{
	struct xp_expr *e = parse_union(p);

	while (e) {
		const struct tok *t = peek(p, 0);
		if (t->kind == K_STAR && t->text) {
			p->pos++;
			e = binary(p, X_MUL, e, parse_union(p));
		} else if (accept_opword(p, "div")) {
			e = binary(p, X_DIV, e, parse_union(p));
		} else if (accept_opword(p, "idiv")) {
			e = binary(p, X_IDIV, e, parse_union(p));
		} else if (accept_opword(p, "mod")) {
			e = binary(p, X_MOD, e, parse_union(p));
		} else {
			break;
		}
	}
	return e;
}

static struct xp_expr *parse_add(struct parser *p)
{
	struct xp_expr *e = parse_mul(p);

	while (e) {
		if (accept_sym(p, "+"))
			e = binary(p, X_ADD, e, parse_mul(p));
		else if (accept_sym(p, "-"))
			e = binary(p, X_SUB, e, parse_mul(p));
		else
			break;
	}
	return e;
}

static struct xp_expr *parse_range(struct parser *p)
{
	struct xp_expr *e = parse_add(p);

	if (e && accept_opword(p, "to"))
		e = binary(p, X_RANGE, e, parse_add(p));
	return e;
}

static struct xp_expr *parse_comparison(struct parser *p)
{
	static const struct { const char *s; int word; enum xp_op op; int cmp; } ops[] = {
		{ "=", 0, X_GCMP, '=' }, { "!=", 0, X_GCMP, '!' }, { "<=", 0, X_GCMP, 'l' },
		{ ">=", 0, X_GCMP, 'g' }, { "<<", 0, X_PRECEDES, 0 }, { ">>", 0, X_FOLLOWS, 0 },
		{ "<", 0, X_GCMP, '<' }, { ">", 0, X_GCMP, '>' },
		{ "eq", 1, X_VCMP, '=' }, { "ne", 1, X_VCMP, '!' }, { "lt", 1, X_VCMP, '<' },
		{ "le", 1, X_VCMP, 'l' }, { "gt", 1, X_VCMP, '>' }, { "ge", 1, X_VCMP, 'g' },
		{ "is", 1, X_IS, 0 },
	};
	struct xp_expr *e = parse_range(p);
	const struct tok *t;
	size_t i;

	if (!e)
		return NULL;
	/* most operands are followed by no comparison: say so at a glance */
	t = peek(p, 0);
	if (t->kind == K_SYM ? !strchr("=!<>", t->sym[0]) : t->kind != K_NAME || t->sym[0] != 'o')
		return e;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (ops[i].word ? accept_opword(p, ops[i].s) : accept_sym(p, ops[i].s)) {
			e = binary(p, ops[i].op, e, parse_range(p));
			if (e)
				e->cmp = ops[i].cmp;
			return e;
		}
	}
	return e;
}

static struct xp_expr *parse_and(struct parser *p)
{
	struct xp_expr *e = parse_comparison(p);

	while (e && accept_opword(p, "and"))
		e = binary(p, X_AND, e, parse_comparison(p));
	return e;
}

static struct xp_expr *parse_or(struct parser *p)
{
	struct xp_expr *e = parse_and(p);

	while (e && accept_opword(p, "or"))
		e = binary(p, X_OR, e, parse_and(p));
	return e;
}

/* for $a in X, $b in Y return Z  (nested X_FOR nodes) */
static struct xp_expr *parse_binding(struct parser *p, enum xp_op op)
{
	const struct tok *v = peek(p, 0);
	struct xp_expr *e;

	if (v->kind != K_VAR) {
		perr(p, "expected a variable");
		return NULL;
	}
	p->pos++;
	if (!accept_opword(p, "in")) {
		perr(p, "expected 'in'");
		return NULL;
	}
	e = node_new(p, op);
	if (!e || !(e->a = parse_single(p)))
		return NULL;
	e->name = v->text;
	if (accept_sym(p, ",")) {
		e->b = parse_binding(p, op);
	} else if (accept_opword(p, op == X_FOR ? "return" : "satisfies")) {
		e->b = parse_single(p);
	} else {
		perr(p, "expected '%s'", op == X_FOR ? "return" : "satisfies");
		return NULL;
	}
	return e->b ? e : NULL;
}

static struct xp_expr *parse_single(struct parser *p)
{
	const struct tok *t = peek(p, 0), *t1 = peek(p, 1);

	if (t->kind == K_NAME && t->sym[0] != 'o') {
		if (strcmp(t->text, "if") == 0 && is_sym(t1, "(")) {
			struct xp_expr *e = node_new(p, X_IF);
			p->pos += 2;
			if (!e || !(e->a = parse_expr(p)) || !expect_sym(p, ")"))
				return NULL;
			if (!accept_opword(p, "then")) {
				perr(p, "expected 'then'");
				return NULL;
			}
			if (!(e->b = parse_single(p)))
				return NULL;
			if (!accept_opword(p, "else")) {
				perr(p, "expected 'else'");
				return NULL;
			}
			if (!(e->c = parse_single(p)))
				return NULL;
			return e;
		}
		if (t1->kind == K_VAR) {
			if (strcmp(t->text, "for") == 0) {
				p->pos++;
				return parse_binding(p, X_FOR);
			}
			if (strcmp(t->text, "some") == 0) {
				p->pos++;
				return parse_binding(p, X_SOME);
			}
			if (strcmp(t->text, "every") == 0) {
				p->pos++;
				return parse_binding(p, X_EVERY);
			}
		}
	}
	return parse_or(p);
}

static struct xp_expr *parse_expr(struct parser *p)
{
	struct xp_expr *e = parse_single(p), *seq;
	size_t cap = 0;

	if (!e || !is_sym(peek(p, 0), ","))
		return e;
	seq = node_new(p, X_SEQ);
	if (!seq || push_arg(p, seq, e, &cap) < 0)
		return NULL;
	while (accept_sym(p, ","))
		if (push_arg(p, seq, parse_single(p), &cap) < 0)
			return NULL;
	return seq;
}

struct xp_expr *xp_parse_tree(const char *src, const struct xp_static *st, char *errmsg,
	size_t errsize);

struct xp_expr *xp_parse_tree(const char *src, const struct xp_static *st, char *errmsg,
	size_t errsize)
{
	struct parser p;
	struct xp_expr *e = NULL;

	memset(&p, 0, sizeof(p));
	p.src = src;
	p.st = st;
	p.err = errmsg;
	p.errsize = errsize;
	errmsg[0] = '\0';
	if (tokenize(&p) == 0) {
		e = parse_expr(&p);
		if (e && peek(&p, 0)->kind != K_EOF) {
			const struct tok *t = peek(&p, 0);
			perr(&p, "unexpected '%s'", t->kind == K_SYM ? t->sym : t->text ? t->text : "*");
			e = NULL;
		}
	}
	if (!e && !p.failed)
		snprintf(errmsg, errsize, "syntax error");
	if (!e && p.failed == 0)
		p.failed = 1;
	free(p.toks);
	return p.failed ? NULL : e;
}
