/*
 * strmap: a hash map from NUL-terminated strings to pointers, open
 * addressing with linear probing.  Keys are not copied: they must outlive
 * the map (they normally live in the same arena).  Lookups never scan.
 */
#ifndef ZIB_CORE_STRMAP_H
#define ZIB_CORE_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	const char *key;
	void *value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;   /* power of two */
	size_t count;
	int nocase;   /* ASCII case-insensitive keys */
};

void strmap_init(struct strmap *m, int nocase);
/* Inserts or replaces; -1 when out of memory. */
int strmap_put(struct strmap *m, const char *key, void *value);
void *strmap_get(const struct strmap *m, const char *key);
void strmap_release(struct strmap *m);

#endif
