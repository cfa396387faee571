/*
 * funcs: the function library, in three tables (funcs.c: collections,
 * existence, filtering, subsetting, combining, tree navigation, utility,
 * aggregate, types; funcs_str.c: conversion, strings, math, boundaries,
 * dates; funcs_fhir.c: the FHIR additions).  Each function gets the call's
 * syntax node, the frame its arguments are evaluated in, and its input.
 */
#ifndef ZIB_FHIRPATH_FUNCS_H
#define ZIB_FHIRPATH_FUNCS_H

#include "fhirpath/fp_int.h"

typedef int (*fp_fn)(struct fp_eval *ev, const struct fp_ast *n, const struct fp_frame *fr,
	const struct fp_coll *in, struct fp_coll *out);

struct fp_func {
	const char *name;
	int min_args, max_args;
	fp_fn fn;
};

extern const struct fp_func fp_funcs_coll[];
extern const struct fp_func fp_funcs_str[];
extern const struct fp_func fp_funcs_fhir[];

/* Shared by the tables (eval.c, funcs.c). */
int fp_singleton_bool(struct fp_eval *ev, const struct fp_ast *at, const struct fp_coll *c,
	int *b);
/* The one item of c as a system value: 1; 0 when c is empty (or a value-
 * less primitive); -1 (error) when c has more. */
int fp_singleton(struct fp_eval *ev, const struct fp_ast *at, const struct fp_coll *c,
	fp_val *out);
int fp_contains_item(struct fp_eval *ev, const struct fp_coll *c, const fp_val *v);
int fp_union(struct fp_eval *ev, const struct fp_coll *a, const struct fp_coll *b,
	struct fp_coll *out);
/* Argument i evaluated in the caller's frame. */
int fp_arg(struct fp_eval *ev, const struct fp_ast *n, int i, const struct fp_frame *fr,
	struct fp_coll *out);
int fp_arg_single(struct fp_eval *ev, const struct fp_ast *n, int i,
	const struct fp_frame *fr, fp_val *out);
/* A string argument: 1 with *s and *len set; 0 when empty; -1 on error. */
int fp_arg_string(struct fp_eval *ev, const struct fp_ast *n, int i,
	const struct fp_frame *fr, const char **s, size_t *len);
int fp_arg_int(struct fp_eval *ev, const struct fp_ast *n, int i, const struct fp_frame *fr,
	long long *v);
/* The input as one string: 1; 0 when empty; -1 when not a string. */
int fp_input_string(struct fp_eval *ev, const struct fp_ast *n, const struct fp_coll *in,
	const char **s, size_t *len);
/* A type name given as an argument (is FHIR.Patient): its text. */
const char *fp_arg_type_name(struct fp_eval *ev, const struct fp_ast *arg);

#endif
