/*
 * The cells of a CSV column for spreadsheets: a coded value split into
 * code, system and display, a quantity into value and unit, a timestamp in
 * ISO 8601 with the precision it was written with (CDA 19320924 is
 * 1932-09-24, 20200101103000+0100 is 2020-01-01T10:30:00+01:00), so that
 * one column holds one kind of thing whatever the source format.
 */
#include <stdio.h>
#include <string.h>

#include "model/value.h"
#include "model/timestamp.h"
#include "model/codesys.h"
#include "extract/cells.h"
#include "model/model.h"

int extract_cells_kind(const struct zib_concept *c)
{
	if (strcmp(c->datatype, "CD") == 0 || strcmp(c->datatype, "CO") == 0)
		return CELLS_CODE;
	if (strcmp(c->datatype, "PQ") == 0)
		return CELLS_QUANTITY;
	if (strcmp(c->datatype, "TS") == 0)
		return CELLS_TIME;
	return CELLS_ONE;
}

size_t extract_cells_width(int kind)
{
	return kind == CELLS_CODE ? 3 : kind == CELLS_QUANTITY ? 2 : 1;
}

const char *extract_cells_suffix(int kind, size_t i)
{
	static const char *const code[] = { "code", "system", "display" };
	static const char *const quantity[] = { "value", "unit" };

	return kind == CELLS_CODE ? code[i] : kind == CELLS_QUANTITY ? quantity[i] : NULL;
}

void extract_cells_iso_time(const char *s, struct buf *out)
{
	struct ts t;
	int tz;

	if (!s || model_ts_parse(s, &t) < 0) {
		buf_puts(out, s ? s : "");   /* a relative test date (T-44D) as written */
		return;
	}
	buf_printf(out, "%04d", t.year);
	if (t.precision >= 2)
		buf_printf(out, "-%02d", t.month);
	if (t.precision >= 3)
		buf_printf(out, "-%02d", t.day);
	if (t.precision >= 4)
		buf_printf(out, "T%02d", t.hour);
	if (t.precision >= 5)
		buf_printf(out, ":%02d", t.minute);
	if (t.precision >= 6)
		buf_printf(out, ":%02d", t.second);
	if (t.precision >= 7 && t.frac[0])
		buf_printf(out, ".%s", t.frac);
	if (t.has_tz && t.precision >= 4) {
		tz = t.tz_minutes < 0 ? -t.tz_minutes : t.tz_minutes;
		buf_printf(out, "%c%02d:%02d", t.tz_minutes < 0 ? '-' : '+', tz / 60, tz % 60);
	}
}

void extract_cells_render(const struct zib_value *v, int kind, size_t i, struct buf *out)
{
	if (v->null_flavor || v->ref || kind == CELLS_ONE) {
		if (i == 0)
			value_render(v, out);
		return;
	}
	switch (kind) {
	case CELLS_CODE:
		if (i == 0)
			buf_puts(out, v->code ? v->code : v->text ? v->text : "");
		else if (i == 1)
			buf_puts(out, v->system ? v->system : "");
		else   /* originalText stands in for a display */
			buf_puts(out, v->display ? v->display : v->code && v->text ? v->text : "");
		break;
	case CELLS_QUANTITY:
		buf_puts(out, i == 0 ? (v->number ? v->number : "") :
			v->display ? v->display : v->unit ? v->unit : "");
		if (i == 1 && v->per)
			buf_printf(out, "/%s", v->per);
		break;
	case CELLS_TIME:
		extract_cells_iso_time(v->text, out);
		break;
	}
}
