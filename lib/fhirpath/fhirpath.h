/*
 * fhirpath: FHIRPath (N1 normative, with the FHIR R4 additions) over the
 * FHIR element tree (fhir/tree.h), typed from the structure tables
 * (fhir/defs.h), so choice elements, ofType(), is, as and the polymorphic
 * value[x] work on trees read from FHIR XML and FHIR JSON alike.
 *
 * Use: compile an expression once (fhirpath_compile), evaluate it as often
 * as needed (fhirpath_eval, fhirpath_eval_bool).  A compiled expression is
 * immutable and may be shared between threads.
 *
 * Ownership: the compiled expression owns its memory until fhirpath_free();
 * a result owns an arena holding its values, released by
 * fhirpath_result_release(); values that are tree nodes point into the
 * caller's tree, which must outlive the result.  Errors are written into a
 * caller's struct fhirpath_error; nothing here prints or exits.
 */
#ifndef ZIB_FHIRPATH_H
#define ZIB_FHIRPATH_H

#include <stddef.h>

#include "core/arena.h"
#include "fhir/defs.h"
#include "fhir/tree.h"

struct fhirpath_expr;

/* What went wrong and where: pos is a byte offset into the expression,
 * line and column count from 1. */
struct fhirpath_error {
	int pos;
	int line;
	int column;
	char message[256];
};

/* The kinds of value in a result collection. */
enum fhirpath_kind {
	FHIRPATH_NODE = 0,       /* an element of the tree (FHIR type in ftype) */
	FHIRPATH_BOOLEAN,
	FHIRPATH_INTEGER,
	FHIRPATH_DECIMAL,
	FHIRPATH_STRING,
	FHIRPATH_DATE,
	FHIRPATH_DATETIME,
	FHIRPATH_TIME,
	FHIRPATH_QUANTITY,
	FHIRPATH_TYPEINFO        /* what type() returns: s = name, ns = namespace */
};

/* A date, a dateTime or a time with its precision. */
struct fhirpath_dt {
	int year, month, day, hour, minute, second, ms;
	unsigned char prec;      /* FHIRPATH_PREC_* of the last field given */
	unsigned char frac;      /* digits of the fraction of seconds written */
	unsigned char tz;        /* 0 none, 1 offset, 2 'Z' */
	short tz_min;            /* offset in minutes east of UTC */
};

enum {
	FHIRPATH_PREC_YEAR = 1, FHIRPATH_PREC_MONTH, FHIRPATH_PREC_DAY,
	FHIRPATH_PREC_HOUR, FHIRPATH_PREC_MINUTE, FHIRPATH_PREC_SECOND,
	FHIRPATH_PREC_MS
};

struct fhirpath_value {
	enum fhirpath_kind kind;
	const struct fhir_node *node;   /* FHIRPATH_NODE */
	const char *ftype;              /* FHIRPATH_NODE: "HumanName", "code" */
	long long i;                    /* BOOLEAN (0/1), INTEGER */
	double d;                       /* DECIMAL, QUANTITY value */
	int scale;                      /* digits after the point; -1 computed */
	const char *s;                  /* STRING text, QUANTITY unit, TYPEINFO name */
	size_t len;                     /* of s */
	const char *ns;                 /* TYPEINFO namespace ("FHIR", "System") */
	int calendar;                   /* QUANTITY: unit is a calendar word */
	struct fhirpath_dt dt;          /* DATE, DATETIME, TIME */
};

/* A collection.  Its values live in the arena. */
struct fhirpath_result {
	struct arena arena;
	struct fhirpath_value *v;
	size_t n;
};

/* A variable the caller defines (%name): a string or a tree node. */
struct fhirpath_var {
	const char *name;
	const char *string;
	const struct fhir_node *node;
};

/* Answers of the callbacks: yes, no, or cannot tell (the result is then
 * empty). */
enum { FHIRPATH_NO = 0, FHIRPATH_YES = 1, FHIRPATH_UNKNOWN = -1 };

struct fhirpath_env {
	const struct fhir_defs *defs;    /* NULL: R4 */
	const struct fhir_node *resource;       /* %resource; NULL: the context's */
	const struct fhir_node *root_resource;  /* %rootResource; NULL: the root */
	const struct fhirpath_var *vars;
	size_t nvars;
	/* Strict: navigating to a name the type does not have is an error
	 * (the suite's semantic checks); else it yields nothing. */
	int strict;
	/* Ordered functions (first(), last(), tail(), skip(), take(), [n]) on
	 * the unordered result of children() or descendants() are errors. */
	int check_ordered;
	/* memberOf(): is the code (a code, Coding or CodeableConcept node, or
	 * a string) in the value set?  NULL: memberOf() is an error. */
	int (*member_of)(void *user, const struct fhirpath_value *code, const char *valueset);
	/* conformsTo() for a profile other than a core resource type's (those
	 * are answered here).  NULL: such a profile is an error. */
	int (*conforms_to)(void *user, const struct fhir_node *resource, const char *profile);
	/* trace(): called with the name and the values; NULL: ignored. */
	void (*trace)(void *user, const char *name, const struct fhirpath_value *v, size_t n);
	void *user;
};

/* Compiles expr (NUL-terminated).  0 and *out, or -1 with err filled (a
 * syntax error, an unknown function, a wrong argument count). */
int fhirpath_compile(struct fhirpath_expr **out, const char *expr, struct fhirpath_error *err);
void fhirpath_free(struct fhirpath_expr *e);
/* The source text of a compiled expression. */
const char *fhirpath_text(const struct fhirpath_expr *e);

/* Evaluates e with context (the focus, also %context; NULL: the empty
 * collection) into *out.  0, or -1 with err filled (an evaluation error:
 * a singleton expected, wrong operand types, an unknown type or
 * variable); out is then empty but must still be released. */
int fhirpath_eval(struct fhirpath_result *out, const struct fhirpath_expr *e,
	const struct fhir_node *context, const struct fhirpath_env *env,
	struct fhirpath_error *err);
void fhirpath_result_release(struct fhirpath_result *r);

/* For invariants: evaluates e and reduces the result to one boolean, as
 * a constraint is read: FHIRPATH_YES, FHIRPATH_NO, or FHIRPATH_UNKNOWN when
 * it is empty; -2 with err filled on an error. */
int fhirpath_eval_bool(const struct fhirpath_expr *e, const struct fhir_node *context,
	const struct fhirpath_env *env, struct fhirpath_error *err);

/* The text of a value as toString() gives it ("1 'mg'", "2014-12-14",
 * a node's primitive value); the arena holds the copy.  NULL for a complex
 * node. */
const char *fhirpath_value_string(struct arena *a, const struct fhirpath_value *v);
/* The type of a value: the FHIR type of a node ("code"), else the system
 * type in lower case as the test suite writes it ("integer", "Quantity"). */
const char *fhirpath_value_type(const struct fhirpath_value *v);

#endif
