/*
 * ast: the compiled form of an XPath 2.0 expression, shared by the parser,
 * the evaluator and the function library.  Internal to lib/xpath2.
 */
#ifndef ZIB_XPATH2_AST_H
#define ZIB_XPATH2_AST_H

#include <stdint.h>

#include "xpath2/xpath2.h"

enum xp_op {
	X_CONST,      /* literal or folded constant: cval */
	X_SEQ,        /* a, b, ... (args) */
	X_FOR, X_SOME, X_EVERY,   /* name, a = in, b = body; nested for several vars */
	X_IF,         /* a then b else c */
	X_OR, X_AND,
	X_GCMP,       /* general comparison, cmp = '=', '!', '<', 'l', '>', 'g' */
	X_VCMP,       /* value comparison, same cmp codes */
	X_IS, X_PRECEDES, X_FOLLOWS,
	X_RANGE,
	X_ADD, X_SUB, X_MUL, X_DIV, X_IDIV, X_MOD, X_NEG,
	X_UNION, X_INTERSECT, X_EXCEPT,
	X_INSTANCE, X_CASTABLE, X_CAST, X_TREAT,   /* a, stype, occ */
	X_ROOT,       /* "/" */
	X_SLASH,      /* a / b */
	X_STEP,       /* axis, test, args = predicates */
	X_FILTER,     /* a [args...] */
	X_VAR,        /* name */
	X_CONTEXT,    /* . */
	X_CALL        /* fn, args */
};

enum xp_axis {
	AX_CHILD, AX_DESC, AX_DESC_SELF, AX_SELF, AX_ATTR, AX_PARENT, AX_ANC,
	AX_ANC_SELF, AX_FOLL_SIB, AX_PREC_SIB, AX_FOLL, AX_PREC
};

enum xp_test {
	T_NAME,        /* uri (NULL: no namespace; "*" any) + local ("*" any) */
	T_NODE, T_TEXT, T_COMMENT, T_PI, T_ELEMENT, T_ATTRIBUTE, T_DOCUMENT
};

/* Dependencies of an expression, for constant folding. */
#define XF_FOCUS 1   /* context item, position or size */
#define XF_DYN 2     /* variables, current(), anything only known at run time */

struct xp_node_test {
	enum xp_test kind;
	const char *uri;
	const char *local;
};

struct xp_expr;
typedef int (*xp_fn)(const struct xp_expr *call, struct xp_run *r, const struct xp_item *ctx,
	size_t pos, size_t size, const struct xp_var *vars, struct xp_seq *out);

struct xp_funcdef {
	const char *name;
	int min, max;     /* arity; max -1 for variadic */
	xp_fn fn;
	int context_free; /* result depends only on the arguments */
};

struct xp_expr {
	enum xp_op op;
	int cmp;
	int flags;                      /* XF_* : what the value depends on */
	enum xp_axis axis;
	struct xp_node_test test;
	struct xp_expr *a, *b, *c;
	struct xp_expr **args;
	size_t nargs;
	const char *name;               /* variable / function name */
	const struct xp_funcdef *fn;
	struct xp_seq cval;             /* X_CONST */
	enum xp_type stype;             /* cast target */
	int occ;                        /* '?', '*', '+' or 0 */
	int stype_node;                 /* instance of node()/element() etc: test */
	void *regex;                    /* precompiled pcre2_code for literal patterns */
	struct strmap *strset;          /* X_GCMP '=' against a big constant string set */
	int strset_side;                /* 1: set is b, 0: set is a */
	const char *base_dir;           /* doc() */
	struct xp_docs *docs;
};

/* Tests a node against a step's node test on axis (eval.c). */
int xp_test_node(const struct xp_node_test *t, const xmlNode *n, enum xp_axis axis);

/* Attribute indexes of doc() documents (attrindex.c).  A doc() document
 * carries XP_SHARED_DOC in its _private: it does not change while rules
 * run. */
extern const char xp_shared_doc_mark;
#define XP_SHARED_DOC ((void *)&xp_shared_doc_mark)
/* Keeps the nodes of s (in order) whose attribute that test picks equals
 * one of the strings vals; -2 when s is not indexed (the caller walks
 * it), -1 out of memory. */
int xp_attr_index_filter(struct xp_run *r, const struct xp_node_test *test, struct xp_seq *s,
	const struct xp_seq *vals);
void xp_attr_indexes_release(struct xp_run *r);

/* Functions (func.c). */
const struct xp_funcdef *xp_func_find(const char *name, size_t nargs, int *arity_error);

/* Evaluation helpers (eval.c). */
int xp_eval_full(const struct xp_expr *e, struct xp_run *r, const struct xp_item *ctx,
	size_t pos, size_t size, const struct xp_var *vars, struct xp_seq *out);
int xp_error(struct xp_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int xp_ebv(struct xp_run *r, const struct xp_seq *s);
int xp_atomize(struct xp_run *r, const struct xp_seq *in, struct xp_seq *out);
int xp_seq_single(struct xp_run *r, struct xp_seq *s, struct xp_item it);
struct xp_item *xp_seq_alloc(struct xp_run *r, struct xp_seq *s, size_t n);
void xp_item_str(struct xp_item *it, enum xp_type t, const char *s);

/* Values (value.c). */
int xp_cast(struct xp_run *r, const struct xp_item *in, enum xp_type to, struct xp_item *out);
int xp_castable(struct xp_run *r, const struct xp_item *in, enum xp_type to);
int xp_is_numeric(enum xp_type t);
double xp_item_number(struct xp_run *r, const struct xp_item *it);
/* Compares two atomic values: <0, 0, >0; 2 when incomparable (error set). */
int xp_compare_atomic(struct xp_run *r, const struct xp_item *a, const struct xp_item *b,
	int general, int *result);
const char *xp_type_name(enum xp_type t);
int xp_type_by_name(const char *name, enum xp_type *t);

/* Match patterns (pattern.c): one step's node test, and its predicates on n
 * (-1 on error); both as a pattern applies them. */
int xp_step_test(const struct xp_expr *s, xmlNode *n);
int xp_step_preds(const struct xp_expr *s, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars);
/* 1 when the predicates of s are plain tests (no position), as
 * xp_step_preds applies them to n alone. */
int xp_step_preds_boolean(const struct xp_expr *s);
/* 1 when predicate e yields a boolean or nodes, never a position. */
int xp_surely_boolean(const struct xp_expr *e);
int xp_step_preds_as(const struct xp_expr *s, struct xp_run *r, xmlNode *n,
	const struct xp_var *vars, int positional);

/* Structural equality of two compiled trees and a hash that equal trees
 * share (patset.c): rule contexts and folded constants are interned by it. */
int xp_expr_equal(const struct xp_expr *a, const struct xp_expr *b);
uint64_t xp_expr_hash(const struct xp_expr *e);

/* Regular expressions (regex.c). */
void *xp_regex_compile(const char *pattern, const char *flags, char *errmsg, size_t errsize);
void *xp_regex_get(struct xp_run *r, const char *pattern, const char *flags);
void xp_regex_free(void *re);

#endif
