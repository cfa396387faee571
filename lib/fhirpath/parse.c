/*
 * parse: FHIRPath text to a syntax tree, by precedence climbing over the
 * grammar's levels (lowest first):
 *
 *   implies | or xor | and | in contains | = ~ != !~ | < > <= >= | '|' |
 *   is as | + - & | * / div mod | unary + - | invocation . [] | term
 *
 * Function names and argument counts are checked here, so an expression
 * that compiles only fails at evaluation on its data.
 */
#include <stdlib.h>
#include <string.h>

#include "fhirpath/fp_int.h"

struct parser {
	struct fp_lexer lx;
	struct fp_token tok;
	struct fhirpath_expr *e;
	struct fhirpath_error *err;
	int depth;
};

#define MAX_DEPTH 1000

static int advance(struct parser *ps)
{
	return fp_lex_next(&ps->lx, &ps->tok);
}

static int tok_is(const struct parser *ps, enum fp_tok kind, const char *text)
{
	return ps->tok.kind == kind && strlen(text) == ps->tok.len &&
		memcmp(ps->tok.text, text, ps->tok.len) == 0;
}

static int is_op(const struct parser *ps, const char *text)
{
	return tok_is(ps, T_OP, text);
}

static int is_kw(const struct parser *ps, const char *text)
{
	return tok_is(ps, T_IDENT, text);
}

static struct fp_ast *node(struct parser *ps, enum fp_ast_kind kind, int pos)
{
	struct fp_ast *n = arena_alloc(&ps->e->arena, sizeof(*n));

	if (!n) {
		fp_set_error(ps->err, ps->lx.src, pos, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->pos = pos;
	n->fn = -1;
	return n;
}

static int fail(struct parser *ps, const char *what)
{
	if (ps->tok.kind == T_END)
		fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "%s, found the end", what);
	else
		fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "%s, found '%.*s'", what,
			(int)(ps->tok.len ? ps->tok.len : 1), ps->tok.text);
	return -1;
}

static struct fp_ast *expression(struct parser *ps, int level);

static const char *calendar_units[] = {
	"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
	"minute", "minutes", "second", "seconds", "millisecond", "milliseconds", NULL
};

static int is_calendar_unit(const struct parser *ps)
{
	int i;

	if (ps->tok.kind != T_IDENT)
		return 0;
	for (i = 0; calendar_units[i]; i++)
		if (is_kw(ps, calendar_units[i]))
			return 1;
	return 0;
}

/* A number, with its unit when a quantity follows. */
static struct fp_ast *number(struct parser *ps)
{
	struct fp_ast *n = node(ps, A_LITERAL, ps->tok.pos);
	const char *txt = ps->tok.text;
	size_t len = ps->tok.len;
	int dec = ps->tok.kind == T_DEC;

	if (!n)
		return NULL;
	if (dec) {
		n->lit.kind = FHIRPATH_DECIMAL;
		fp_parse_decimal(txt, len, &n->lit.d, &n->lit.scale);
	} else {
		char buf[32];
		if (len >= sizeof(buf)) {
			fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "integer too large");
			return NULL;
		}
		memcpy(buf, txt, len);
		buf[len] = '\0';
		n->lit.kind = FHIRPATH_INTEGER;
		n->lit.i = strtoll(buf, NULL, 10);
		n->lit.d = (double)n->lit.i;
	}
	if (advance(ps))
		return NULL;
	if (ps->tok.kind == T_STRING || is_calendar_unit(ps)) {
		if (!dec) {
			n->lit.scale = 0;
		}
		n->lit.kind = FHIRPATH_QUANTITY;
		n->lit.s = arena_strndup(&ps->e->arena, ps->tok.text, ps->tok.len);
		n->lit.len = ps->tok.len;
		n->lit.calendar = ps->tok.kind == T_IDENT;
		if (advance(ps))
			return NULL;
	}
	return n;
}

static struct fp_ast *datetime_literal(struct parser *ps)
{
	struct fp_ast *n = node(ps, A_LITERAL, ps->tok.pos);
	int kind = ps->tok.kind == T_DATE ? FHIRPATH_DATE :
		ps->tok.kind == T_TIME ? FHIRPATH_TIME : FHIRPATH_DATETIME;

	if (!n)
		return NULL;
	n->lit.kind = kind;
	if (fp_parse_dt(ps->tok.text, ps->tok.len, kind, &n->lit.dt) != 0) {
		fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "bad date/time literal '@%.*s'",
			(int)ps->tok.len, ps->tok.text);
		return NULL;
	}
	if (advance(ps))
		return NULL;
	return n;
}

/* fn(args): the name was read, the current token is '('. */
static struct fp_ast *call(struct parser *ps, struct fp_ast *left, const char *name,
	size_t len, int pos)
{
	struct fp_ast *n = node(ps, A_FUNC, pos), *args[16];
	int min, max, na = 0;

	if (!n)
		return NULL;
	n->left = left;
	n->name = arena_strndup(&ps->e->arena, name, len);
	n->fn = fp_func_lookup(name, len, &min, &max);
	if (n->fn < 0) {
		fp_set_error(ps->err, ps->lx.src, pos, "unknown function '%.*s'", (int)len, name);
		return NULL;
	}
	if (advance(ps))
		return NULL;
	if (!is_op(ps, ")")) {
		for (;;) {
			if (na == 16) {
				fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "too many arguments");
				return NULL;
			}
			if (!(args[na++] = expression(ps, 0)))
				return NULL;
			if (is_op(ps, ","))  {
				if (advance(ps))
					return NULL;
				continue;
			}
			if (!is_op(ps, ")"))
				return fail(ps, "expected ',' or ')'"), NULL;
			break;
		}
	}
	if (advance(ps))
		return NULL;
	if (na < min || na > max) {
		if (min == max)
			fp_set_error(ps->err, ps->lx.src, pos, "%s() takes %d argument%s, not %d",
				n->name, min, min == 1 ? "" : "s", na);
		else
			fp_set_error(ps->err, ps->lx.src, pos, "%s() takes %d to %d arguments, not %d",
				n->name, min, max, na);
		return NULL;
	}
	n->nargs = na;
	if (na) {
		n->args = arena_alloc(&ps->e->arena, sizeof(*n->args) * (size_t)na);
		if (!n->args)
			return NULL;
		memcpy(n->args, args, sizeof(*args) * (size_t)na);
	}
	fp_regex_precompile(ps->e, n);
	return n;
}

static int ident_token(const struct parser *ps)
{
	return ps->tok.kind == T_IDENT || ps->tok.kind == T_QIDENT;
}

static struct fp_ast *term(struct parser *ps)
{
	struct fp_ast *n;
	int pos = ps->tok.pos;

	switch (ps->tok.kind) {
	case T_INT:
	case T_DEC:
		return number(ps);
	case T_STRING:
		if (!(n = node(ps, A_LITERAL, pos)))
			return NULL;
		n->lit.kind = FHIRPATH_STRING;
		n->lit.s = ps->tok.text;
		n->lit.len = ps->tok.len;
		return advance(ps) ? NULL : n;
	case T_DATE:
	case T_DATETIME:
	case T_TIME:
		return datetime_literal(ps);
	case T_EXTVAR:
		if (!(n = node(ps, A_EXTVAR, pos)))
			return NULL;
		n->name = arena_strndup(&ps->e->arena, ps->tok.text, ps->tok.len);
		return advance(ps) ? NULL : n;
	case T_SPECIAL:
		n = node(ps, ps->tok.text[1] == 't' && ps->tok.text[2] == 'h' ? A_THIS :
			ps->tok.text[1] == 'i' ? A_INDEXVAR : A_TOTAL, pos);
		return !n || advance(ps) ? NULL : n;
	case T_IDENT:
	case T_QIDENT: {
		const char *name = ps->tok.text;
		size_t len = ps->tok.len;
		int quoted = ps->tok.kind == T_QIDENT;
		if (!quoted && (is_kw(ps, "true") || is_kw(ps, "false"))) {
			if (!(n = node(ps, A_LITERAL, pos)))
				return NULL;
			n->lit.kind = FHIRPATH_BOOLEAN;
			n->lit.i = is_kw(ps, "true");
			return advance(ps) ? NULL : n;
		}
		if (advance(ps))
			return NULL;
		if (!quoted && is_op(ps, "("))
			return call(ps, NULL, name, len, pos);
		if (!(n = node(ps, A_IDENT, pos)))
			return NULL;
		n->name = arena_strndup(&ps->e->arena, name, len);
		return n;
	}
	case T_OP:
		if (is_op(ps, "(")) {
			if (advance(ps) || !(n = expression(ps, 0)))
				return NULL;
			if (!is_op(ps, ")"))
				return fail(ps, "expected ')'"), NULL;
			return advance(ps) ? NULL : n;
		}
		if (is_op(ps, "{")) {
			if (advance(ps))
				return NULL;
			if (!is_op(ps, "}"))
				return fail(ps, "expected '}'"), NULL;
			n = node(ps, A_EMPTY, pos);
			return !n || advance(ps) ? NULL : n;
		}
		break;
	default:
		break;
	}
	return fail(ps, "expected an expression"), NULL;
}

/* term followed by .member, .fn(args) and [index]. */
static struct fp_ast *postfix(struct parser *ps)
{
	struct fp_ast *n = term(ps), *m;

	while (n) {
		int pos = ps->tok.pos;
		if (is_op(ps, ".")) {
			if (advance(ps))
				return NULL;
			if (!ident_token(ps))
				return fail(ps, "expected a name after '.'"), NULL;
			{
				const char *name = ps->tok.text;
				size_t len = ps->tok.len;
				int quoted = ps->tok.kind == T_QIDENT;
				pos = ps->tok.pos;
				if (advance(ps))
					return NULL;
				if (!quoted && is_op(ps, "(")) {
					n = call(ps, n, name, len, pos);
					continue;
				}
				if (!(m = node(ps, A_IDENT, pos)))
					return NULL;
				m->left = n;
				m->name = arena_strndup(&ps->e->arena, name, len);
				n = m;
			}
		} else if (is_op(ps, "[")) {
			if (advance(ps) || !(m = node(ps, A_INDEX, pos)))
				return NULL;
			m->left = n;
			m->args = arena_alloc(&ps->e->arena, sizeof(*m->args));
			if (!m->args || !(m->args[0] = expression(ps, 0)))
				return NULL;
			m->nargs = 1;
			if (!is_op(ps, "]"))
				return fail(ps, "expected ']'"), NULL;
			if (advance(ps))
				return NULL;
			n = m;
		} else {
			break;
		}
	}
	return n;
}

static struct fp_ast *unary(struct parser *ps)
{
	if (is_op(ps, "-") || is_op(ps, "+")) {
		struct fp_ast *n = node(ps, A_UNARY, ps->tok.pos);
		if (!n)
			return NULL;
		if (++ps->depth > MAX_DEPTH) {
			fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "expression nested too deeply");
			return NULL;
		}
		n->op = ps->tok.text[0];
		if (advance(ps) || !(n->left = unary(ps)))
			return NULL;
		ps->depth--;
		return n;
	}
	return postfix(ps);
}

/* The operators of each level, lowest level first. */
static const struct { int level; const char *text; int word; enum fp_binop op; } binops[] = {
	{ 1, "implies", 1, OP_IMPLIES },
	{ 2, "or", 1, OP_OR }, { 2, "xor", 1, OP_XOR },
	{ 3, "and", 1, OP_AND },
	{ 4, "in", 1, OP_IN }, { 4, "contains", 1, OP_CONTAINS },
	{ 5, "=", 0, OP_EQ }, { 5, "~", 0, OP_EQUIV }, { 5, "!=", 0, OP_NE },
	{ 5, "!~", 0, OP_NEQUIV },
	{ 6, "<", 0, OP_LT }, { 6, ">", 0, OP_GT }, { 6, "<=", 0, OP_LE }, { 6, ">=", 0, OP_GE },
	{ 7, "|", 0, OP_UNION },
	{ 8, "is", 1, OP_IS }, { 8, "as", 1, OP_AS },
	{ 9, "+", 0, OP_ADD }, { 9, "-", 0, OP_SUB }, { 9, "&", 0, OP_CONCAT },
	{ 10, "*", 0, OP_MUL }, { 10, "/", 0, OP_DIV }, { 10, "div", 1, OP_IDIV },
	{ 10, "mod", 1, OP_MOD },
};
#define TOP_LEVEL 10

static int binop_at(const struct parser *ps, int level)
{
	size_t i;

	for (i = 0; i < sizeof(binops) / sizeof(binops[0]); i++)
		if (binops[i].level == level &&
			(binops[i].word ? is_kw(ps, binops[i].text) : is_op(ps, binops[i].text)))
			return (int)i;
	return -1;
}

/* A type specifier: Name or Namespace.Name, either part `quoted`. */
static const char *type_spec(struct parser *ps)
{
	char *s;
	const char *a;
	size_t alen;

	if (!ident_token(ps))
		return fail(ps, "expected a type name"), NULL;
	a = ps->tok.text;
	alen = ps->tok.len;
	if (advance(ps))
		return NULL;
	if (is_op(ps, ".")) {
		struct fp_lexer save = ps->lx;
		struct fp_token stok = ps->tok;
		if (advance(ps))
			return NULL;
		if (ident_token(ps)) {
			s = arena_printf(&ps->e->arena, "%.*s.%.*s", (int)alen, a,
				(int)ps->tok.len, ps->tok.text);
			return advance(ps) ? NULL : s;
		}
		ps->lx = save;
		ps->tok = stok;
	}
	return arena_strndup(&ps->e->arena, a, alen);
}

static struct fp_ast *expression(struct parser *ps, int level)
{
	struct fp_ast *left, *n;
	int i;

	if (++ps->depth > MAX_DEPTH) {
		fp_set_error(ps->err, ps->lx.src, ps->tok.pos, "expression nested too deeply");
		return NULL;
	}
	if (level > TOP_LEVEL) {
		left = unary(ps);
		ps->depth--;
		return left;
	}
	if (!(left = expression(ps, level + 1)))
		return NULL;
	while ((i = binop_at(ps, level)) >= 0) {
		if (!(n = node(ps, A_BINARY, ps->tok.pos)))
			return NULL;
		n->op = binops[i].op;
		n->left = left;
		if (advance(ps))
			return NULL;
		if (n->op == OP_IS || n->op == OP_AS) {
			n->kind = A_TYPEOP;
			if (!(n->name = type_spec(ps)))
				return NULL;
		} else if (!(n->right = expression(ps, level + 1))) {
			return NULL;
		}
		left = n;
	}
	ps->depth--;
	return left;
}

int fhirpath_compile(struct fhirpath_expr **out, const char *expr, struct fhirpath_error *err)
{
	struct parser ps;
	struct fhirpath_expr *e;

	*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	e = calloc(1, sizeof(*e));
	if (!e) {
		fp_set_error(err, expr, 0, "out of memory");
		return -1;
	}
	arena_init(&e->arena);
	memset(&ps, 0, sizeof(ps));
	ps.e = e;
	ps.err = err;
	e->text = arena_strdup(&e->arena, expr);
	ps.lx.src = e->text;
	ps.lx.p = e->text;
	ps.lx.arena = &e->arena;
	ps.lx.err = err;
	if (!e->text || advance(&ps) != 0)
		goto fail;
	if (ps.tok.kind == T_END) {
		fp_set_error(err, expr, 0, "empty expression");
		goto fail;
	}
	if (!(e->root = expression(&ps, 1)))
		goto fail;
	if (ps.tok.kind != T_END) {
		fail(&ps, "expected an operator or the end");
		goto fail;
	}
	*out = e;
	return 0;
fail:
	fhirpath_free(e);
	return -1;
}

void fhirpath_free(struct fhirpath_expr *e)
{
	if (!e)
		return;
	fp_regex_release(e);
	arena_release(&e->arena);
	free(e);
}

const char *fhirpath_text(const struct fhirpath_expr *e)
{
	return e->text;
}
