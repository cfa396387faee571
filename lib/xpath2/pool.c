/*
 * pool: scratch memory for evaluation, with marks.  A run resets to a mark
 * after each rule so memory stays flat however long the document; blocks
 * are kept for reuse instead of going back to malloc.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/xml.h"
#include <libxml/xpath.h>
#include "xpath2/xpath2.h"
#include "xpath2/ast.h"

#define POOL_BLOCK (64 * 1024)

struct xp_pool_block {
	struct xp_pool_block *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

/* Memory the caller fills completely (sequence buffers): no zeroing. */
void *xp_alloc_raw(struct xp_pool *p, size_t n)
{
	struct xp_pool_block *b;
	void *r;

	n = (n + 15) & ~(size_t)15;
	if (!p->head || p->used + n > p->head->size) {
		size_t size = n > POOL_BLOCK ? n : POOL_BLOCK;
		if (p->free && p->free->size >= size) {
			b = p->free;
			p->free = b->next;
		} else {
			b = malloc(sizeof(*b) + size);
			if (!b)
				return NULL;
			b->size = size;
		}
		b->next = p->head;
		p->head = b;
		p->used = 0;
	}
	r = p->head->data + p->used;
	p->used += n;
	return r;
}

void *xp_alloc(struct xp_pool *p, size_t n)
{
	void *r = xp_alloc_raw(p, n);

	if (r)
		memset(r, 0, n);
	return r;
}

char *xp_strndup(struct xp_pool *p, const char *s, size_t n)
{
	char *r = xp_alloc(p, n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

struct xp_mark xp_pool_mark(struct xp_pool *p)
{
	struct xp_mark m = { p->head, p->used };
	return m;
}

void xp_pool_reset(struct xp_pool *p, struct xp_mark m)
{
	while (p->head && p->head != m.block) {
		struct xp_pool_block *b = p->head;
		p->head = b->next;
		b->next = p->free;
		p->free = b;
	}
	p->used = m.block ? m.used : 0;
}

void xp_pool_release(struct xp_pool *p)
{
	struct xp_pool_block *b, *n;

	for (b = p->head; b; b = n) {
		n = b->next;
		free(b);
	}
	for (b = p->free; b; b = n) {
		n = b->next;
		free(b);
	}
	memset(p, 0, sizeof(*p));
}

/* ---- doc() documents ---- */

void xp_docs_init(struct xp_docs *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	strmap_init(&d->map, 0);
	d->arena = a;
	d->lock_init = pthread_mutex_init(&d->lock, NULL) == 0;
}

void xp_docs_release(struct xp_docs *d)
{
	size_t i;

	for (i = 0; i < d->map.cap; i++)
		if (d->map.slots && d->map.slots[i].key)
			xmlFreeDoc(d->map.slots[i].value);
	strmap_release(&d->map);
	if (d->lock_init)
		pthread_mutex_destroy(&d->lock);
	d->lock_init = 0;
}

xmlDoc *xp_docs_get(struct xp_docs *d, const char *path, char *errmsg, size_t errsize)
{
	xmlDoc *doc;
	char *data = NULL;
	size_t len;
	zib_error err;

	pthread_mutex_lock(&d->lock);
	doc = strmap_get(&d->map, path);
	if (doc)
		goto done;
	if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0) {
		snprintf(errmsg, errsize, "doc(): %s", err.message);
		goto done;
	}
	if (xml_parse(&doc, data, len, path, NULL, &err) < 0) {
		snprintf(errmsg, errsize, "doc(): %s", err.message);
		doc = NULL;
		goto done;
	}
	/* Element order numbers make document-order sorting cheap. */
	xmlXPathOrderDocElems(doc);
	doc->_private = XP_SHARED_DOC;
	if (strmap_put(&d->map, arena_strdup(d->arena, path), doc) < 0) {
		xmlFreeDoc(doc);
		doc = NULL;
		snprintf(errmsg, errsize, "out of memory");
	}
done:
	pthread_mutex_unlock(&d->lock);
	free(data);
	return doc;
}
