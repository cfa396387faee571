/*
 * Building CDA elements from the relative XPaths of the CDA mappings: the
 * inverse of evaluating them.  Understands the subset the mappings use:
 * steps "prefix:name", ".", "..", a final "@attr", alternatives "a|b" (the
 * first is built), and the predicates [@a='v'], [hl7:x/@a='v'],
 * [starts-with(@a,'p')] and [false()] (never built).
 */
#ifndef ZIB_CDA_XPATH_BUILD_H
#define ZIB_CDA_XPATH_BUILD_H

#include <libxml/tree.h>

struct xb_target {
	xmlNode *node;          /* the element reached */
	const char *attr;       /* final @attr, or NULL (points into the xpath copy) */
	char prefix[32];        /* a starts-with() prefix the value should carry */
};

/*
 * Walks xpath from ctx, finding matching children or creating them.  When
 * fresh is set, the last element step (or the last entryRelationship on
 * the way, whose act holds one value) always creates a new element (a
 * repeat of a concept).  attr is copied into buf.  Returns 0, or -1 when the
 * path cannot be built (false(), an unsupported step).
 */
int cda_xpath_build(xmlNode *ctx, xmlNs *hl7, xmlNs *sdtc, const char *xpath, int fresh,
	struct xb_target *out, char *buf, size_t size);

/* The XPath relative to parent_xpath when it starts with it, else NULL. */
const char *cda_xpath_relative(const char *xpath, const char *parent_xpath);

#endif
