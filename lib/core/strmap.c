#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strmap.h"

void strmap_init(struct strmap *m, int nocase)
{
	memset(m, 0, sizeof(*m));
	m->nocase = nocase;
}

/* FNV-1a, folding ASCII case when asked. */
static unsigned long strmap_hash(const char *s, int nocase)
{
	unsigned long h = 2166136261UL;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (nocase && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = (h ^ c) * 16777619UL;
	}
	return h;
}

static int key_eq(const struct strmap *m, const char *a, const char *b)
{
	return m->nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static int strmap_grow(struct strmap *m)
{
	size_t i, cap = m->cap ? m->cap * 2 : 64;
	struct strmap_slot *old = m->slots, *slots = calloc(cap, sizeof(*slots));
	size_t oldcap = m->cap;

	if (!slots)
		return -1;
	m->slots = slots;
	m->cap = cap;
	m->count = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			strmap_put(m, old[i].key, old[i].value);
	free(old);
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	size_t i;

	if ((m->count + 1) * 2 > m->cap && strmap_grow(m) < 0)
		return -1;
	i = strmap_hash(key, m->nocase) & (m->cap - 1);
	while (m->slots[i].key) {
		if (key_eq(m, m->slots[i].key, key)) {
			m->slots[i].value = value;
			return 0;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->slots[i].key = key;
	m->slots[i].value = value;
	m->count++;
	return 0;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap || !key)
		return NULL;
	i = strmap_hash(key, m->nocase) & (m->cap - 1);
	while (m->slots[i].key) {
		if (key_eq(m, m->slots[i].key, key))
			return m->slots[i].value;
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

void strmap_release(struct strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}
