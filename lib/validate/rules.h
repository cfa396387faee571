/*
 * The datatype checks of the zib rules (lib/validate/rules.c), exposed for
 * the unit tests and for other readers.  Each takes a string as written in
 * the source and says whether it is well-formed.
 */
#ifndef ZIB_VALIDATE_RULES_H
#define ZIB_VALIDATE_RULES_H

/* TS: HL7 v3 YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+-ZZZZ] (iso 0), or ISO 8601
 * dates as FHIR writes them (iso 1).  1 when valid. */
int validate_ts(const char *s, int iso);
/* A decimal number (PQ value): [+-]digits[.digits][e[+-]digits]. */
int validate_decimal(const char *s);
/* UCUM syntax: terms, annotations, [..] atoms, exponents, '.' and '/'
 * (model/ucum.h parses it). */
int validate_ucum_syntax(const char *s);
/* 1 when s is a valid UCUM expression of units UCUM defines, with metric
 * prefixes only where UCUM allows one (model/ucum.h, the full table). */
int validate_ucum_known(const char *s);
/* An OID: at least two arcs of digits, no leading zeros. */
int validate_oid(const char *s);
/* BL: "true" or "false". */
int validate_bl(const char *s);
/* INT: [+-]digits. */
int validate_int(const char *s);
/* BSN: 0 valid, -1 not 9 digits, -2 fails the eleven-test. */
int validate_bsn(const char *s);

#endif
