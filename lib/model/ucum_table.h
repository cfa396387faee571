/*
 * The UCUM definitions as ucum-essence.xml gives them (the generated
 * ucum_essence.c), for lib/model/ucum.c only.  Everyone else asks
 * model/ucum.h.
 */
#ifndef ZIB_MODEL_UCUM_TABLE_H
#define ZIB_MODEL_UCUM_TABLE_H

#include <stddef.h>

struct ucum_prefix {
	const char *code;     /* "k", "da", "u" */
	double factor;        /* 1e3 */
	const char *name;     /* "kilo" */
};

struct ucum_base {
	const char *code;     /* "m" */
	char dim;             /* UCUM's letter for the dimension: 'L' */
	const char *name;     /* "meter" */
	const char *property; /* "length" */
};

#define UCUM_F_METRIC 1      /* takes a prefix */
#define UCUM_F_SPECIAL 2     /* a scale through a function (Cel, [pH]), not a ratio */
#define UCUM_F_ARBITRARY 4   /* an arbitrary unit ([iU]): converts to no other */

/* 1 code = factor unit; for a special unit, function name applies with
 * factor unit as its scale (Cel: 1 K). */
struct ucum_atom_def {
	const char *code;
	const char *name;
	const char *property;
	int flags;
	double factor;
	const char *unit;
	const char *function;
};

extern const char ucum_essence_version[];
extern const struct ucum_prefix ucum_prefixes[];
extern const int ucum_nprefixes;
extern const struct ucum_base ucum_bases[];
extern const int ucum_nbases;
extern const struct ucum_atom_def ucum_atoms[];
extern const int ucum_natoms;

#endif
