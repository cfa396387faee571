/*
 * Primitive formats: each primitive value against the R4 format of its
 * type (the regular expressions of the specification, written out by hand
 * so dates are also real calendar dates), a resource's id, base64 content
 * and an Attachment's stated size.
 */
#include <string.h>

#include "fhirval/fhirval.h"

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/* YYYY, YYYY-MM or YYYY-MM-DD, a real date; *used receives its length. */
static int date_part(const char *s, size_t len, size_t *used, int need_day)
{
	int y, m, d;

	*used = 0;
	if (len < 4 || !digits(s, 4) || (y = num(s, 4)) < 1)
		return 0;
	*used = 4;
	if (len == 4 || s[4] != '-')
		return !need_day;
	if (len < 7 || !digits(s + 5, 2) || (m = num(s + 5, 2)) < 1 || m > 12)
		return 0;
	*used = 7;
	if (len == 7 || s[7] != '-')
		return !need_day;
	if (len < 10 || !digits(s + 8, 2) || (d = num(s + 8, 2)) < 1 || d > days_in(y, m))
		return 0;
	*used = 10;
	return 1;
}

/* hh:mm:ss(.f+)?; *used receives its length. */
static int time_part(const char *s, size_t len, size_t *used)
{
	size_t i = 8;

	if (len < 8 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' ||
	    !digits(s + 6, 2) || num(s, 2) > 23 || num(s + 3, 2) > 59 || num(s + 6, 2) > 60)
		return 0;
	if (i < len && s[i] == '.') {
		size_t j = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == j)
			return 0;
	}
	*used = i;
	return 1;
}

/* Z or (+|-)hh:mm up to 14:00, the whole rest of s. */
static int zone(const char *s, size_t len)
{
	if (len == 1 && s[0] == 'Z')
		return 1;
	if (len != 6 || (s[0] != '+' && s[0] != '-') || !digits(s + 1, 2) || s[3] != ':' ||
	    !digits(s + 4, 2) || num(s + 4, 2) > 59)
		return 0;
	return num(s + 1, 2) < 14 || (num(s + 1, 2) == 14 && num(s + 4, 2) == 0);
}

/* date, dateTime (time and zone optional; zone required with a time: -1
 * when the zone is missing) and instant (all required). */
static int date_time(const char *s, size_t len, int instant)
{
	size_t d, t;

	if (!date_part(s, len, &d, instant))
		return 0;
	if (d == len)
		return !instant;
	if (d != 10 || s[d] != 'T' || !time_part(s + d + 1, len - d - 1, &t))
		return 0;
	if (d + 1 + t == len)
		return -1;
	return zone(s + d + 1 + t, len - d - 1 - t);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int id_ok(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > 64)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

/* urn:oid:[0-2](\.(0|[1-9][0-9]*))+ */
static int oid_ok(const char *s, size_t len)
{
	size_t i = 8, arcs = 0;

	if (len < 8 || strncmp(s, "urn:oid:", 8) != 0)
		return 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j == i || (s[i] == '0' && j - i > 1) || (arcs == 0 && (j - i > 1 || s[i] > '2')))
			return 0;
		arcs++;
		if (j < len && (s[j] != '.' || j + 1 == len))
			return 0;
		i = j + 1;
	}
	return arcs >= 2;
}

static int base64_value(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '+' || c == '/' || c == '=';
}

/* Decoded length of base64 text, or -1 when it is not base64. */
static long base64_length(const char *s, size_t len)
{
	size_t i, n = 0, pad = 0;

	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			continue;
		if (!base64_value(s[i]) || (pad && s[i] != '='))
			return -1;
		if (s[i] == '=')
			pad++;
		n++;
	}
	if (n % 4 != 0 || pad > 2)
		return -1;
	return (long)(n / 4 * 3 - pad);
}

int fv_prim_valid(const char *type, const char *s, size_t len)
{
	size_t i;

	if (strcmp(type, "date") == 0)
		return date_time(s, len, 0) == 1 && len <= 10;
	if (strcmp(type, "dateTime") == 0)
		return date_time(s, len, 0) == 1;
	if (strcmp(type, "instant") == 0)
		return date_time(s, len, 1) == 1;
	if (strcmp(type, "time") == 0)
		return time_part(s, len, &i) && i == len;
	if (strcmp(type, "id") == 0)
		return id_ok(s, len);
	if (strcmp(type, "oid") == 0)
		return oid_ok(s, len);
	if (strcmp(type, "uuid") == 0) {
		static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
		if (len != 9 + 36 || strncmp(s, "urn:uuid:", 9) != 0)
			return 0;
		for (i = 0; i < 36; i++) {
			char c = s[9 + i];
			if (shape[i] == '-' ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				return 0;
		}
		return 1;
	}
	if (strcmp(type, "uri") == 0 || strcmp(type, "url") == 0 || strcmp(type, "canonical") == 0) {
		for (i = 0; i < len; i++)
			if (is_space(s[i]))
				return 0;
		return 1;
	}
	if (strcmp(type, "code") == 0) {
		if (len == 0 || is_space(s[0]) || is_space(s[len - 1]))
			return 0;
		for (i = 1; i < len; i++)
			if (is_space(s[i]) && is_space(s[i - 1]))
				return 0;
		return 1;
	}
	if (strcmp(type, "base64Binary") == 0)
		return base64_length(s, len) >= 0;
	if (strcmp(type, "positiveInt") == 0)
		return len > 0 && len < 11 && s[0] >= '1' && s[0] <= '9' && digits(s, len);
	if (strcmp(type, "unsignedInt") == 0)
		return len > 0 && len < 11 && digits(s, len) && (s[0] != '0' || len == 1);
	return 1;
}

static void attachment_size(struct fv_run *run, const struct fhir_node *n)
{
	const char *data = fv_child_value(n, "data"), *size = fv_child_value(n, "size");
	const struct fhir_node *d = fv_child(n, "data");
	long want, got;

	if (!data || !size || !digits(size, strlen(size)) || strlen(size) > 9)
		return;
	got = base64_length(data, d->value_len);
	want = num(size, strlen(size));
	if (got >= 0 && got != want)
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_ATT_SIZE,
			"stated attachment size %ld does not match the actual size %ld of the data",
			want, got);
}

void fv_check_primitive(struct fv_run *run, const struct fhir_node *n)
{
	const char *type;

	if (n->kind == FHIR_K_COMPLEX && n->type && strcmp(n->type->name, "Attachment") == 0) {
		attachment_size(run, n);
		return;
	}
	if ((n->kind != FHIR_K_PRIM && n->kind != FHIR_K_ATTR) || !n->value || !n->def)
		return;
	type = n->def->type_code;
	if (n->parent && n->parent->kind == FHIR_K_RESOURCE && strcmp(n->name, "id") == 0) {
		if (!id_ok(n->value, n->value_len))
			fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_ID, "invalid resource id '%s': "
				"1 to 64 of A-Z a-z 0-9 - . (%zu characters)", n->value, n->value_len);
		return;
	}
	if (fv_prim_valid(type, n->value, n->value_len))
		return;
	/* Nictiz test data dates relative to the day a test runs
	 * ("${DATE, T, D, -44}"), which the zib rules accept too. */
	if (strncmp(n->value, "${DATE", 6) == 0)
		return;
	if (strcmp(type, "dateTime") == 0 && date_time(n->value, n->value_len, 0) < 0)
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_TZ,
			"dateTime '%s' has a time but no timezone", n->value);
	else if (strcmp(type, "base64Binary") == 0)
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_BASE64,
			"the content is not valid base64");
	else
		fv_report(run, n, ZIB_SEV_ERROR, FV_CODE_PRIM, "'%.200s' is not a valid %s", n->value, type);
}
