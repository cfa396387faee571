/*
 * Timestamps as HL7 v3 (20200101103000+0100) and ISO 8601 / FHIR
 * (2020-01-01T10:30:00+01:00) write them, and the test dates relative to
 * the day a test runs that ADA and the Nictiz fixtures write (see
 * timestamp.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "model/timestamp.h"

/* Reads exactly n digits; -1 when they are not there. */
static int digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

static int parse_tz(const char *p, struct ts *t)
{
	int sign, h, m;

	if (*p == 'Z' && p[1] == '\0') {
		t->has_tz = 1;
		t->tz_minutes = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((h = digits(&p, 2)) < 0)
		return -1;
	if (*p == ':')
		p++;
	if ((m = digits(&p, 2)) < 0 || *p)
		return -1;
	t->has_tz = 1;
	t->tz_minutes = sign * (h * 60 + m);
	return 0;
}

int model_ts_parse(const char *s, struct ts *t)
{
	const char *p = s;
	int iso, *fields[5];
	int i;

	memset(t, 0, sizeof(*t));
	t->month = t->day = 1;
	if (!s || (t->year = digits(&p, 4)) < 0)
		return -1;
	t->precision = 1;
	iso = *p == '-';
	fields[0] = &t->month;
	fields[1] = &t->day;
	fields[2] = &t->hour;
	fields[3] = &t->minute;
	fields[4] = &t->second;
	for (i = 0; i < 5; i++) {
		if (iso) {
			char sep = i < 2 ? '-' : i == 2 ? 'T' : ':';
			if (*p != sep)
				break;
			if (sep == 'T' && !isdigit((unsigned char)p[1]))
				return -1;
			p++;
		} else if (!isdigit((unsigned char)*p)) {
			break;
		}
		if ((*fields[i] = digits(&p, 2)) < 0)
			return -1;
		t->precision = i + 2;
	}
	if (*p == '.' && t->precision == 6) {
		size_t n = 0;
		p++;
		while (isdigit((unsigned char)*p) && n + 1 < sizeof(t->frac))
			t->frac[n++] = *p++;
		if (!n)
			return -1;
		/* Trailing zeros add no meaning to the instant. */
		while (n > 0 && t->frac[n - 1] == '0')
			t->frac[--n] = '\0';
		t->precision = 7;
	}
	if (*p && parse_tz(p, t) < 0)
		return -1;
	if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 || t->hour > 24 ||
	    t->minute > 59 || t->second > 60)
		return -1;
	return 0;
}

/* The day of the month of the last Sunday of month (March, October). */
static int last_sunday(long long year, int month)
{
	int last = calendar_days_in_month(year, month);
	/* Day 0 of calendar_days_from_civil (1970-01-01) was a Thursday. */
	long long dow = (calendar_days_from_civil(year, month, last) % 7 + 7 + 4) % 7;  /* 0 = Sunday */

	return last - (int)dow;
}

int timestamp_dutch_offset(long long year, int month, int day, int hour)
{
	int summer;

	if (month < 3 || month > 10)
		summer = 0;
	else if (month > 3 && month < 10)
		summer = 1;
	else if (month == 3)
		summer = day > last_sunday(year, 3) || (day == last_sunday(year, 3) && hour >= 2);
	else
		summer = day < last_sunday(year, 10) || (day == last_sunday(year, 10) && hour < 3);
	return summer ? 120 : 60;
}

long long model_ts_seconds(const struct ts *t)
{
	long long s = calendar_days_from_civil(t->year, t->month, t->day) * 86400LL +
		t->hour * 3600LL + t->minute * 60LL + t->second;
	return t->has_tz ? s - t->tz_minutes * 60LL : s;
}

/*
 * Test data dates relative to the day a test runs: ADA writes "T-44D" or
 * "T-44D{14:22:10}", the Nictiz FHIR fixtures "${DATE, T, D, -44}" or
 * "${DATE, T, D, -44}T14:22:10+02:00".  Both become "T-44D 14:22:10" (the
 * zone is left out: ADA writes none).  -1 when s is neither.
 */
int model_ts_relative(const char *s, char *out, size_t size)
{
	char unit = 0, sign = '+', tm[9] = "";
	long n = 0;
	char *end;

	if (!s)
		return -1;
	if (s[0] == 'T' && (s[1] == '\0' || s[1] == '+' || s[1] == '-')) {
		s++;
		if (*s) {
			sign = *s++;
			n = strtol(s, &end, 10);
			if (end == s || (*end != 'D' && *end != 'M' && *end != 'Y'))
				return -1;
			unit = *end;
			s = end + 1;
		}
		if (*s == '{') {
			if (strlen(s) != 10 || s[9] != '}')
				return -1;
			memcpy(tm, s + 1, 8);
			s += 10;
		}
		if (*s)
			return -1;
	} else if (strncmp(s, "${DATE, T", 9) == 0) {
		s += 9;
		if (strncmp(s, ", ", 2) == 0) {
			unit = s[2];
			if ((unit != 'D' && unit != 'M' && unit != 'Y') || strncmp(s + 3, ", ", 2) != 0)
				return -1;
			s += 5;
			if (*s == '+' || *s == '-')
				sign = *s++;
			n = strtol(s, &end, 10);
			if (end == s)
				return -1;
			s = end;
		}
		if (*s++ != '}')
			return -1;
		if (*s == 'T') {
			if (strlen(s) < 9 || s[3] != ':' || s[6] != ':')
				return -1;
			memcpy(tm, s + 1, 8);
		} else if (*s) {
			return -1;
		}
	} else {
		return -1;
	}
	if (n == 0 || !unit)
		snprintf(out, size, "T%s%s", tm[0] ? " " : "", tm);
	else
		snprintf(out, size, "T%c%ld%c%s%s", sign, n, unit, tm[0] ? " " : "", tm);
	return 0;
}
