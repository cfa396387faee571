/*
 * The per-code count printed at the end of a batch: how many findings of
 * each code, and how many of those were suppressed, so that a run over a
 * thousand files ends with a table instead of only its last lines.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static struct tally_row *row(struct code_tally *t, const zib_diag *d)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (strcmp(t->rows[i].code, d->code) == 0)
			return &t->rows[i];
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct tally_row *p = realloc(t->rows, cap * sizeof(*p));
		if (!p)
			return NULL;
		t->rows = p;
		t->cap = cap;
	}
	memset(&t->rows[t->count], 0, sizeof(t->rows[0]));
	if (!(t->rows[t->count].code = strdup(d->code)))
		return NULL;
	t->rows[t->count].severity = d->severity;
	return &t->rows[t->count++];
}

void tally_add(struct code_tally *t, const zib_report *r, zib_severity min, int suppressed)
{
	size_t i;

	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		struct tally_row *w;
		if (!d->code || d->severity < min || !(w = row(t, d)))
			continue;
		w->count++;
		w->suppressed += suppressed != 0;
	}
}

static int by_count(const void *a, const void *b)
{
	const struct tally_row *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->code, y->code);
}

void tally_print(FILE *out, struct code_tally *t)
{
	size_t i;

	if (t->count == 0)
		return;
	qsort(t->rows, t->count, sizeof(t->rows[0]), by_count);
	fputs("findings per code:\n", out);
	for (i = 0; i < t->count; i++) {
		const struct tally_row *w = &t->rows[i];
		fprintf(out, "  %-20s %-7s %6zu", w->code, zib_severity_name(w->severity), w->count);
		if (w->suppressed)
			fprintf(out, " (%zu suppressed)", w->suppressed);
		fputc('\n', out);
	}
}

void tally_release(struct code_tally *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		free(t->rows[i].code);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
