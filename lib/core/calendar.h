/*
 * calendar: the one proleptic Gregorian calendar of libzib.  Timestamps
 * (lib/model/timestamp.c), XPath dates (lib/xpath2), FHIRPath date
 * arithmetic (lib/fhirpath) and the datatype checks (lib/validate) all
 * count days here.
 */
#ifndef ZIB_CORE_CALENDAR_H
#define ZIB_CORE_CALENDAR_H

/* 1 for a leap year (every 4th, not every 100th, every 400th). */
int calendar_is_leap(long long year);

/* Days in month (1..12) of year: 30 February is no date. */
int calendar_days_in_month(long long year, int month);

/* Days from 1970-01-01 to year-month-day (negative before it).  The day
 * is not checked against the month. */
long long calendar_days_from_civil(long long year, int month, int day);

/* The inverse: the date that is days from 1970-01-01. */
void calendar_civil_from_days(long long days, long long *year, int *month, int *day);

#endif
