/*
 * zib_report: the findings for one document, in the order they were found.
 * Every string of every record is copied into the report's arena, so a
 * record never points into a parser's tree that has since been freed.
 * The list is core (core/xml.c adds libxml2's messages to it); lib/diag
 * describes the codes and renders a report.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "zib.h"

/* Findings kept per report (one document): past it they are counted, not
 * kept, and one last record says how many more there were, so hostile
 * input (200,000 bad attributes) cannot flood a report. */
#define REPORT_KEEP 1000

struct zib_report {
	struct arena arena;
	zib_diag *items;
	size_t count;
	size_t cap;
	size_t dropped[8];       /* by severity, past REPORT_KEEP */
	size_t dropped_total;
	int dropped_worst;
	char more[160];          /* the "and N more" record's message */
};

int zib_report_new(zib_report **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? ZIB_OK : ZIB_ENOMEM;
}

void zib_report_free(zib_report *r)
{
	if (!r)
		return;
	arena_release(&r->arena);
	free(r->items);
	free(r);
}

static zib_diag *report_push(zib_report *r)
{
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		zib_diag *p = realloc(r->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		r->items = p;
		r->cap = cap;
	}
	return &r->items[r->count];
}

static int report_add_message(zib_report *r, const zib_diag *d, const char *message)
{
	zib_diag *slot = report_push(r);
	struct arena *a = &r->arena;

	if (!slot)
		return ZIB_ENOMEM;
	*slot = *d;
	slot->code = arena_strdup(a, d->code);
	slot->file = arena_strdup(a, d->file);
	slot->path = arena_strdup(a, d->path);
	slot->zib = arena_strdup(a, d->zib);
	slot->concept = arena_strdup(a, d->concept);
	slot->message = arena_strdup(a, message);
	slot->expected = arena_strdup(a, d->expected);
	slot->actual = arena_strdup(a, d->actual);
	r->count++;
	return ZIB_OK;
}

/* Past REPORT_KEEP: count d and keep the last record saying so. */
static int report_drop(zib_report *r, const zib_diag *d)
{
	zib_diag *last = &r->items[r->count - 1];

	r->dropped[(unsigned)d->severity & 7]++;
	if (r->dropped_total++ == 0) {
		zib_diag more;
		memset(&more, 0, sizeof(more));
		more.code = d->code;
		more.file = d->file;
		more.severity = d->severity;
		r->dropped_worst = (int)d->severity;
		if (report_add_message(r, &more, "") < 0)
			return ZIB_ENOMEM;
		last = &r->items[r->count - 1];
	}
	if ((int)d->severity > r->dropped_worst)
		r->dropped_worst = (int)d->severity;
	last->severity = (zib_severity)r->dropped_worst;
	snprintf(r->more, sizeof(r->more), "... and %zu more finding%s not shown (the first %d are)",
		r->dropped_total, r->dropped_total == 1 ? "" : "s", REPORT_KEEP);
	last->message = r->more;
	return ZIB_OK;
}

int zib_report_add(zib_report *r, const zib_diag *d)
{
	if (r->count >= REPORT_KEEP)
		return report_drop(r, d);
	return report_add_message(r, d, d->message);
}

int zib_report_addf(zib_report *r, const zib_diag *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (r->count >= REPORT_KEEP)
		return report_drop(r, d);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return report_add_message(r, d, msg);
}

size_t zib_report_count(const zib_report *r)
{
	return r ? r->count : 0;
}

const zib_diag *zib_report_at(const zib_report *r, size_t index)
{
	return r && index < r->count ? &r->items[index] : NULL;
}

size_t zib_report_count_severity(const zib_report *r, zib_severity sev)
{
	size_t i, n = 0;

	for (i = 0; r && i < r->count; i++)
		if (r->items[i].severity == sev)
			n++;
	if (r && r->dropped_total) {
		/* The "and N more" record stands for findings counted below. */
		if (r->items[r->count - 1].severity == sev)
			n--;
		n += r->dropped[(unsigned)sev & 7];
	}
	return n;
}

int zib_report_worst(const zib_report *r)
{
	size_t i;
	int worst = -1;

	for (i = 0; r && i < r->count; i++)
		if ((int)r->items[i].severity > worst)
			worst = (int)r->items[i].severity;
	return worst;
}
