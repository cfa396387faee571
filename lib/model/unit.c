/* UCUM count-of-unit terms ("8.h") and "per" units ("/(8.h)"). */
#include <stdio.h>
#include <string.h>

#include "model/unit.h"

static int is_whole_number(const char *s)
{
	return s && *s && s[strspn(s, "0123456789")] == '\0';
}

/* A unit without the characters that would make a term of it ambiguous. */
static int is_plain_unit(const char *u)
{
	return u && *u && !strpbrk(u, "./() ");
}

int model_ucum_count_term(const char *count, const char *unit, char *buf, size_t size)
{
	int n;

	if (!is_whole_number(count) || !is_plain_unit(unit))
		return 0;
	n = strcmp(count, "1") == 0 ? snprintf(buf, size, "%s", unit) : snprintf(buf, size, "%s.%s", count, unit);
	return n > 0 && (size_t)n < size;
}

int model_ucum_per_unit(const char *count, const char *unit, char *buf, size_t size)
{
	char term[64];
	int n;

	if (!model_ucum_count_term(count, unit, term, sizeof(term)))
		return 0;
	n = snprintf(buf, size, strchr(term, '.') ? "/(%s)" : "/%s", term);
	return n > 0 && (size_t)n < size;
}

int model_ucum_split_term(const char *term, char *count, size_t csize, char *unit, size_t usize)
{
	size_t digits = term ? strspn(term, "0123456789") : 0;
	const char *u = term;

	if (!term)
		return 0;
	if (digits && term[digits] == '.')
		u = term + digits + 1;
	else
		digits = 0;
	if (!is_plain_unit(u) || digits >= csize || strlen(u) >= usize)
		return 0;
	snprintf(count, csize, "%.*s", digits ? (int)digits : 1, digits ? term : "1");
	snprintf(unit, usize, "%s", u);
	return 1;
}

int model_ucum_split_per(const char *per, char *count, size_t csize, char *unit, size_t usize)
{
	char term[64];
	size_t len = per ? strlen(per) : 0;

	if (len < 2 || per[0] != '/')
		return 0;
	if (per[1] != '(')
		return !strchr(per + 1, '.') && model_ucum_split_term(per + 1, count, csize, unit, usize);
	if (per[len - 1] != ')' || len - 3 >= sizeof(term) || !strchr(per, '.'))
		return 0;
	snprintf(term, sizeof(term), "%.*s", (int)(len - 3), per + 2);
	return model_ucum_split_term(term, count, csize, unit, usize);
}
