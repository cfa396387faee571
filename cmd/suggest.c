/*
 * "Did you mean": the known name closest to a mistyped command or option,
 * by edit distance with transpositions (optimal string alignment), so that
 * "valdate" finds validate and "--fromat" finds --format.  A suggestion is
 * made only when the distance is small for the word's length.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* The long options of the running command, for cmd_bad_option. */
static const struct option *current_longopts;

#undef getopt_long
int cmd_getopt_long(int argc, char *const argv[], const char *optstring,
	const struct option *longopts, int *longindex)
{
	current_longopts = longopts;
	return getopt_long(argc, argv, optstring, longopts, longindex);
}

static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j, *d, r;

	if (n > 64 || m > 64)
		return (size_t)-1;
	d = malloc((n + 1) * (m + 1) * sizeof(*d));
	if (!d)
		return (size_t)-1;
#define D(x, y) d[(x) * (m + 1) + (y)]
	for (i = 0; i <= n; i++)
		D(i, 0) = i;
	for (j = 0; j <= m; j++)
		D(0, j) = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < best)
				best = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    D(i - 2, j - 2) + 1 < best)
				best = D(i - 2, j - 2) + 1;
			D(i, j) = best;
		}
	r = D(n, m);
#undef D
	free(d);
	return r;
}

const char *cmd_suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t i, best = (size_t)-1, limit = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : 3;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		size_t dd = distance(word, candidates[i]);
		if (dd < best) {
			best = dd;
			pick = candidates[i];
		}
	}
	return best <= limit ? pick : NULL;
}

const char *cmd_suggest_option(const char *arg)
{
	const char *names[128];
	char word[128];
	size_t n = 0;
	const struct option *o;
	const char *eq;

	if (!current_longopts || strncmp(arg, "--", 2) != 0)
		return NULL;
	snprintf(word, sizeof(word), "%s", arg + 2);
	if ((eq = strchr(word, '=')))
		word[eq - word] = '\0';
	for (o = current_longopts; o->name && n < 128; o++)
		names[n++] = o->name;
	return cmd_suggest(word, names, n);
}
