/*
 * fp_int: what the parts of the FHIRPath engine share: tokens, the syntax
 * tree, collections and the evaluation state.  Not for use outside
 * lib/fhirpath/ (fhirpath.h is the interface).
 */
#ifndef ZIB_FHIRPATH_INT_H
#define ZIB_FHIRPATH_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>

#include "fhirpath/fhirpath.h"
#include "model/ucum.h"

/* ---- tokens (lex.c) ---- */

enum fp_tok {
	T_END, T_IDENT, T_QIDENT /* `delimited` */, T_STRING, T_INT, T_DEC, T_DATE,
	T_DATETIME, T_TIME, T_EXTVAR, T_SPECIAL /* $this, $index, $total */,
	T_OP /* punctuation and symbolic operators: text holds it */
};

struct fp_token {
	enum fp_tok kind;
	int pos;
	const char *text;   /* identifier, string (unescaped), number, operator */
	size_t len;
};

struct fp_lexer {
	const char *src;
	const char *p;
	struct arena *arena;
	struct fhirpath_error *err;
};

int fp_lex_next(struct fp_lexer *lx, struct fp_token *t);
void fp_set_error(struct fhirpath_error *err, const char *src, int pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- syntax tree (parse.c) ---- */

enum fp_ast_kind {
	A_LITERAL,      /* lit */
	A_EMPTY,        /* {} */
	A_IDENT,        /* name, on $this (or on left when set: a member) */
	A_FUNC,         /* fn (args) on left, or on $this */
	A_INDEX,        /* left[args[0]] */
	A_UNARY,        /* op '-' or '+' on left */
	A_BINARY,       /* op on left, right */
	A_TYPEOP,       /* is / as: left, type name in name */
	A_THIS, A_INDEXVAR, A_TOTAL,
	A_EXTVAR        /* %name */
};

enum fp_binop {
	OP_MUL, OP_DIV, OP_IDIV, OP_MOD, OP_ADD, OP_SUB, OP_CONCAT, OP_UNION,
	OP_LT, OP_GT, OP_LE, OP_GE, OP_EQ, OP_NE, OP_EQUIV, OP_NEQUIV,
	OP_IN, OP_CONTAINS, OP_AND, OP_OR, OP_XOR, OP_IMPLIES, OP_IS, OP_AS
};

struct fp_ast {
	enum fp_ast_kind kind;
	int op;                      /* enum fp_binop, or '-' / '+' */
	int pos;
	int fn;                      /* function id (funcs.c) */
	const char *name;
	struct fp_ast *left;
	struct fp_ast *right;
	struct fp_ast **args;
	int nargs;
	struct fhirpath_value lit;
	/* A matches()/replaceMatches() call with a literal pattern: the
	 * pattern, compiled once (regex.c), and the next such call. */
	pcre2_code *regex;
	struct fp_ast *next_regex;
};

struct fhirpath_expr {
	struct arena arena;
	const char *text;
	struct fp_ast *root;
	struct fp_ast *regexes;      /* the calls holding a compiled pattern */
};

/* Function ids by name; -1 when unknown.  min/max argument counts. */
int fp_func_lookup(const char *name, size_t len, int *min_args, int *max_args);

/* Regular expressions (regex.c). */
/* The pattern compiled as FHIRPath wants it; NULL when it does not. */
pcre2_code *fp_regex_compile(const char *pat, size_t len, int full);
/* Is call matchesFull() (the whole string must match)? */
int fp_regex_full(const struct fp_ast *call);
/* Compiles the literal pattern of a parsed matches(), matchesFull() or
 * replaceMatches() call into call->regex, if it has one. */
void fp_regex_precompile(struct fhirpath_expr *e, struct fp_ast *call);
/* Frees the patterns compiled for e. */
void fp_regex_release(struct fhirpath_expr *e);

/* ---- values and collections ---- */

typedef struct fhirpath_value fp_val;

struct fp_coll {
	fp_val *v;
	size_t n, cap;
};

/* ---- evaluation (eval.c, funcs*.c) ---- */

struct fp_frame {
	const struct fp_coll *this_;   /* the collection a bare name starts from */
	long long index;               /* $index */
	const struct fp_coll *total;   /* $total (aggregate), NULL otherwise */
};

struct fp_eval {
	struct arena *arena;
	const struct fhirpath_env *env;
	const struct fhir_defs *defs;
	const struct fhir_node *context;
	const char *src;
	struct fhirpath_error *err;
	int failed;
	int depth;
};

/* Sets the evaluation error (once) and returns -1. */
int fp_fail(struct fp_eval *ev, const struct fp_ast *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int fp_eval_node(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	struct fp_coll *out);
int fp_call(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out);

int fp_push(struct fp_eval *ev, struct fp_coll *c, const fp_val *v);
int fp_push_bool(struct fp_eval *ev, struct fp_coll *c, int b);
int fp_push_int(struct fp_eval *ev, struct fp_coll *c, long long i);
int fp_push_str(struct fp_eval *ev, struct fp_coll *c, const char *s, size_t len);
/* A decimal with its scale; nothing (an empty result) for NaN or infinity. */
int fp_push_dec(struct fp_eval *ev, struct fp_coll *c, double d, int scale);

/* Integers and decimals, the numbers arithmetic and math functions take. */
static inline int fp_is_num(const fp_val *v)
{
	return v->kind == FHIRPATH_INTEGER || v->kind == FHIRPATH_DECIMAL;
}

static inline double fp_num(const fp_val *v)
{
	return v->kind == FHIRPATH_INTEGER ? (double)v->i : v->d;
}

/* Navigation (nav.c). */
/* Appends the children of in called name; *known is set when the type of
 * in has such an element (or in is of type name), whether present or not. */
int fp_member(struct fp_eval *ev, const struct fp_ast *at, const fp_val *in, const char *name,
	struct fp_coll *out, int *known);
int fp_type_has(const struct fp_eval *ev, const struct fhir_type *t, const char *name);
int fp_children(struct fp_eval *ev, const fp_val *in, struct fp_coll *out);
const char *fp_node_type(const struct fhir_node *n);
/* The first child of n called name, else NULL. */
const struct fhir_node *fp_child(const struct fhir_node *n, const char *name);
void fp_node_val(const struct fhir_node *n, fp_val *v);

/* Values (value.c). */
/* d as a whole number when it fits a long long (trunc'd): 1, else 0. */
int fp_to_ll(double d, long long *out);
/* A value as a system value: 1 (a primitive's value, a Quantity, or in
 * already a system value); 0 when a primitive has no value (only
 * extensions); 2 for a complex element, copied unchanged into *out. */
int fp_prim(struct fp_eval *ev, const fp_val *in, fp_val *out);
int fp_parse_dt(const char *s, size_t len, int kind, struct fhirpath_dt *dt);
int fp_parse_decimal(const char *s, size_t len, double *d, int *scale);
int fp_parse_quantity(struct fp_eval *ev, const char *s, size_t len, fp_val *out);
const char *fp_format(struct arena *a, const fp_val *v);
char *fp_format_dec(struct arena *a, double d, int scale);
/* 3-way comparison: -1, 0, 1; 2 when not comparable (empty result);
 * 3 when the types cannot be compared (an error). */
int fp_compare(struct fp_eval *ev, const fp_val *a, const fp_val *b);
/* Equality: 1, 0, or -1 (empty). */
int fp_equal(struct fp_eval *ev, const fp_val *a, const fp_val *b);
int fp_equiv(struct fp_eval *ev, const fp_val *a, const fp_val *b);
/* A quantity's unit parsed by lib/model/ucum (a calendar duration read
 * as its UCUM unit, no unit as "1") and its value in the canonical unit:
 * 0, or -1 when the unit is no UCUM unit or has no canonical value. */
int fp_qty_canon(const fp_val *q, double *value, struct ucum_unit *u);
/* Do quantities in a and b compare (same dimension, no special unit)? */
int fp_units_comparable(const struct ucum_unit *a, const struct ucum_unit *b);
/* The UCUM unit of a calendar word ("weeks": "wk"), NULL for another. */
const char *fp_calendar_ucum(const char *word);
/* Is q in years or months, which calendar and UCUM count differently?
 * 1 calendar year, 2 UCUM 'a', 3 calendar month, 4 UCUM 'mo', else 0. */
int fp_qty_big_unit(const fp_val *q);
/* Quantities a and b compared as fp_compare does it (-1, 0, 1, 2). */
int fp_qty_compare(const fp_val *a, const fp_val *b);
int fp_dt_add(struct fp_eval *ev, const fp_val *d, const fp_val *q, int sign, fp_val *out);

/* Types (types.c). */
/* Does type name (qualified or not) name a known type?  Sets *ns, *base. */
int fp_type_resolve(struct fp_eval *ev, const char *name, const char **ns, const char **base);
/* Is v of type ns.base (exact: as/ofType; else is, with subtypes)? */
int fp_is_type(struct fp_eval *ev, const fp_val *v, const char *ns, const char *base, int exact);
const char *fp_system_type(const fp_val *v);

#endif
