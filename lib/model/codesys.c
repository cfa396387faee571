/*
 * One name per code system: the OID, whatever URI or urn:oid form a
 * document wrote (see codesys.h).
 */
#include <stdio.h>
#include <string.h>

#include "model/codesys.h"
#include "model/naming.h"

const char *model_system_norm(const zib_ctx *ctx, const char *system, char *buf, size_t size)
{
	const char *oid;
	char r4[512];

	if (!system)
		return "";
	if (strncmp(system, "urn:oid:", 8) == 0)
		system += 8;
	if ((oid = model_hl7_system_r4(system, r4, sizeof(r4))) != NULL)
		system = oid;   /* an HL7 system by its STU3 name */
	if (strchr(system, ':') && ctx && (oid = zib_codesystem_oid(ctx, system)) != NULL)
		system = oid;
	if ((oid = naming_system_oid(system)) != NULL)
		system = oid;
	snprintf(buf, size, "%s", system);
	return buf;
}
