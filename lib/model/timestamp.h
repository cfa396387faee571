/*
 * Timestamps: HL7 v3 TS (20200101103000+0100) and ISO 8601 as FHIR
 * writes it (2020-01-01T10:30:00+01:00), parsed into fields with their
 * precision, so that equal instants written either way compare equal.
 */
#ifndef ZIB_MODEL_TIMESTAMP_H
#define ZIB_MODEL_TIMESTAMP_H

#include <stddef.h>

/* A parsed timestamp: HL7 TS (20200101103000+0100) or ISO 8601. */
struct ts {
	int year, month, day, hour, minute, second;
	char frac[16];      /* fraction digits as written, "" when none */
	int precision;      /* 1 year .. 6 second, 7 with a fraction */
	int has_tz;
	int tz_minutes;     /* offset east of UTC */
};

/* 0 when s is a timestamp in either form, -1 when not. */
int model_ts_parse(const char *s, struct ts *out);
/* A test date relative to the run day (ADA "T-44D{14:22:10}", FHIR fixture
 * "${DATE, T, D, -44}T14:22:10+02:00") in one form; -1 when s is none. */
int model_ts_relative(const char *s, char *out, size_t size);

/* Seconds since 1970-01-01T00:00:00, in UTC when t has a zone (else
 * local time read as UTC). */
long long model_ts_seconds(const struct ts *t);
/* Minutes east of UTC of Dutch local time at a local date and hour: 60
 * (CET), or 120 (CEST) from the last Sunday of March 02:00 to the last
 * Sunday of October 03:00.  A time without a zone in a zib document is
 * Dutch local time. */
int timestamp_dutch_offset(long long year, int month, int day, int hour);

#endif
