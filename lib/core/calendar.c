/* The proleptic Gregorian calendar (see calendar.h). */
#include "core/calendar.h"

int calendar_is_leap(long long year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int calendar_days_in_month(long long year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && calendar_is_leap(year))
		return 29;
	return days[month - 1];
}

/*
 * Counts in 400-year eras of 146097 days, starting the year on 1 March so
 * that the leap day is the last day of a year; 719468 is the number of
 * days from 0000-03-01 to 1970-01-01.
 */
long long calendar_days_from_civil(long long year, int month, int day)
{
	long long era, yoe, doy, doe;

	year -= month <= 2;
	era = (year >= 0 ? year : year - 399) / 400;
	yoe = year - era * 400;
	doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The same eras backwards: the day of the era, the year of the era, the
 * day of that (March-based) year, then its month and day. */
void calendar_civil_from_days(long long days, long long *year, int *month, int *day)
{
	long long z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}
