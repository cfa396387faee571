/*
 * ada: reads ART-DECOR ADA instance XML (the expected data Nictiz publishes
 * for its test patients) into a zib_doc.
 *
 * An ADA instance names its elements after the Dutch concept names in
 * snake_case and carries a conceptId per element.  Concept ids of the zib
 * dataset itself (2.16.840.1.113883.2.4.3.11.60.40.1.X) are the NL-CM ids
 * (NL-CM:X); project-local ids (a transaction's own dataset, e.g. BgZ MSZ)
 * are not, so those elements are placed by their normalised Dutch name
 * along the zib's concept tree.  What places nowhere is kept as unmapped.
 */
#ifndef ZIB_ADA_ADA_H
#define ZIB_ADA_ADA_H

#include "model/doc.h"

/* Finding codes of the ADA reader. */
#define ADA_CODE_NOT_ADA "ZIB-ADA-001"     /* root is not an ADA transaction */
#define ADA_CODE_UNRESOLVED "ZIB-ADA-002"  /* a reference names no instance */

/* The prefix of zib dataset concept ids; what follows is the NL-CM id. */
#define ADA_ZIB_CONCEPT_PREFIX "2.16.840.1.113883.2.4.3.11.60.40.1."

/*
 * Reads one ADA document.  Not well-formed XML or a root that is no ADA
 * transaction is a finding in report and returns ZIB_EPARSE.
 */
int ada_read(struct zib_doc **out, const zib_ctx *ctx, const char *file,
	const char *data, size_t len, zib_report *report, zib_error *err);


#endif
