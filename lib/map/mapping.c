/*
 * The mapping grammar (map/mapping.h): lists of "Profile#Type.path".
 */
#include <string.h>

#include "map/mapping.h"

const char *map_next(const char **cursor, size_t *n)
{
	const char *p = *cursor, *m;

	if (!p)
		return NULL;
	while (*p == ' ')
		p++;
	if (!*p) {
		*cursor = p;
		return NULL;
	}
	m = p;
	*n = strcspn(p, " ");
	p += *n;
	while (*p == ' ')
		p++;
	*cursor = p;
	return m;
}

int map_names_type(const char *m, size_t n, const char *type)
{
	const char *hash = memchr(m, '#', n);
	size_t tl = strlen(type);

	return hash && (size_t)(m + n - (hash + 1)) >= tl && strncmp(hash + 1, type, tl) == 0 &&
		(hash[1 + tl] == '.' || hash + 1 + tl == m + n);
}

int map_list_names_type(const char *list, const char *type)
{
	const char *cur = list, *m;
	size_t n;

	while ((m = map_next(&cur, &n)) != NULL)
		if (map_names_type(m, n, type))
			return 1;
	return 0;
}

int map_same_type(const char *a, const char *b)
{
	const char *ha = strchr(a, '#'), *hb = strchr(b, '#');
	size_t la, lb;

	if (!ha || !hb)
		return 0;
	la = strcspn(ha + 1, ". ");
	lb = strcspn(hb + 1, ". ");
	return la == lb && strncmp(ha + 1, hb + 1, la) == 0;
}
