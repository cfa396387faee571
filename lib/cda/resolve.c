/*
 * The map.c rows by key, built once per process: "C|template|concept" and
 * "P|*|concept" -> row; "A|template|zib" -> the list of alias rows, in
 * table order.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cda/resolve.h"
#include "core/arena.h"
#include "core/strmap.h"

struct alias_link {
	const struct cda_row *row;
	struct alias_link *next;
};

static struct strmap row_index;
static struct arena row_arena;
static pthread_once_t row_once = PTHREAD_ONCE_INIT;

static void add_alias(const char *k, const struct cda_row *r)
{
	struct alias_link *l = arena_alloc(&row_arena, sizeof(*l)), *tail;

	if (!l)
		return;
	l->row = r;
	l->next = NULL;
	if ((tail = strmap_get(&row_index, k)) == NULL) {
		strmap_put(&row_index, k, l);
		return;
	}
	while (tail->next)
		tail = tail->next;
	tail->next = l;
}

static void row_put(char kind, const char *tmpl, size_t n, const char *key, const struct cda_row *r)
{
	char *k = arena_printf(&row_arena, "%c|%.*s|%s", kind, (int)n, tmpl, key);

	if (!k)
		return;
	if (kind == 'A')
		add_alias(k, r);
	else if (!strmap_get(&row_index, k))
		strmap_put(&row_index, k, (void *)r);
}

static void row_index_build(void)
{
	size_t i;

	strmap_init(&row_index, 0);
	for (i = 0; i < cda_nrows; i++) {
		const struct cda_row *r = &cda_rows[i];
		const char *p = r->template_id;
		while (*p) {
			size_t n = strcspn(p, " ");
			if (r->kind == CDA_CONCEPT)
				row_put('C', p, n, r->concept, r);
			else if (r->kind == CDA_ALIAS)
				row_put('A', p, n, r->zib, r);
			else if (r->kind == CDA_PART)
				row_put('P', p, n, r->concept, r);
			p += n;
			while (*p == ' ')
				p++;
		}
	}
}

static void *row_get(char kind, const char *tmpl, const char *key)
{
	char k[512];

	pthread_once(&row_once, row_index_build);
	snprintf(k, sizeof(k), "%c|%s|%s", kind, tmpl, key);
	return strmap_get(&row_index, k);
}

const struct cda_row *cda_row_concept(const char *tmpl, const char *concept)
{
	return row_get('C', tmpl, concept);
}

/* An alias row moves the data mapping of template a->from: the concept's
 * xpath there, with a->prefix_from rewritten to a->prefix_to. */
static int from_alias(const struct cda_row *a, const struct zib_concept *c,
	struct cda_mapping *m, char *buf, size_t size)
{
	if (!c->cda_template || strcmp(c->cda_template, a->from) != 0 || !c->cda_xpath || !*c->cda_xpath)
		return 0;
	if (a->prefix_from && strncmp(c->cda_xpath, a->prefix_from, strlen(a->prefix_from)) == 0)
		snprintf(buf, size, "%s%s", a->prefix_to, c->cda_xpath + strlen(a->prefix_from));
	else
		snprintf(buf, size, "%s", c->cda_xpath);
	m->xpath = buf;
	m->nested = a->nested && *a->nested ? a->nested : NULL;
	return 1;
}

int cda_resolve(const char *tmpl, const struct zib_concept *c, const char *droot,
	struct cda_mapping *m, char *buf, size_t size)
{
	const struct cda_row *row;
	const struct alias_link *al;

	memset(m, 0, sizeof(*m));
	if ((row = row_get('C', tmpl, c->id)) != NULL) {
		m->xpath = row->xpath;
		m->shared = row->shared;
		return 1;
	}
	for (al = row_get('A', tmpl, c->model->name_nl); al; al = al->next)
		if (from_alias(al->row, c, m, buf, size))
			return 1;
	if (c->cda_xpath && *c->cda_xpath && droot && strcmp(droot, tmpl) == 0) {
		m->xpath = c->cda_xpath;
		m->nested = strcmp(c->cda_template, tmpl) != 0 ? c->cda_template : NULL;
		return 1;
	}
	if ((row = row_get('P', "*", c->id)) != NULL) {
		m->xpath = row->xpath;
		m->part = 1;
		return 1;
	}
	return 0;
}
