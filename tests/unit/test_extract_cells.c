/*
 * Unit tests of lib/extract/cells.c: timestamps in ISO 8601 at the
 * precision they were written with, whatever the source format.
 */
#include "core/buf.h"
#include "extract/cells.h"
#include "harness.h"

static const char *iso(struct buf *b, const char *s)
{
	buf_reset(b);
	extract_cells_iso_time(s, b);
	return b->data ? b->data : "";
}

TEST(cells, iso_time_keeps_the_precision)
{
	struct buf b = BUF_INIT;

	ASSERT_STR_EQ("1932", iso(&b, "1932"));
	ASSERT_STR_EQ("1932-09", iso(&b, "193209"));
	ASSERT_STR_EQ("1932-09-24", iso(&b, "19320924"));
	ASSERT_STR_EQ("2020-01-01T10:30+01:00", iso(&b, "202001011030+0100"));
	ASSERT_STR_EQ("2020-01-01T10:30:00+01:00", iso(&b, "20200101103000+0100"));
	ASSERT_STR_EQ("2020-01-01T10:30:00.5-02:30", iso(&b, "20200101103000.5-0230"));
	ASSERT_STR_EQ("2021-06-12T13:15:00+02:00", iso(&b, "2021-06-12T13:15:00+02:00"));
	ASSERT_STR_EQ("2021-06-12", iso(&b, "2021-06-12"));
	ASSERT_STR_EQ("T-44D{14:22:10}", iso(&b, "T-44D{14:22:10}"));   /* relative: as written */
	ASSERT_STR_EQ("19701301", iso(&b, "19701301"));                 /* not a date: as written */
	buf_release(&b);
}
