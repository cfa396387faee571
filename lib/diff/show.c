/*
 * A value as people read it, for the commands (zib diff shows what an
 * instance found on one side only holds): the same text the diff uses for
 * changed values.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "model/value.h"
#include "model/timestamp.h"
#include "model/codesys.h"

int zib_value_format(char *out, size_t size, const zib_value *v)
{
	struct buf b = BUF_INIT;
	int n;

	if (!v) {
		if (size)
			*out = '\0';
		return 0;
	}
	if (v->type == ZIB_VALUE_GROUP && !v->ref)
		buf_puts(&b, "(group)");
	else
		value_render(v, &b);
	if (v->ref && v->target)
		buf_printf(&b, " (%s)", v->target->model->name_nl);
	n = snprintf(out, size, "%s", b.data ? b.data : "");
	buf_release(&b);
	return n;
}
