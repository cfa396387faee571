/*
 * The mapping grammar of the zib models, apart from any format: a concept's
 * element paths are a space-separated list of mappings, each
 * "Profile#Type.step.step:slice.step" (zib-models/README.md).  Readers and
 * writers walk these strings; what a step means in a tree is theirs.
 */
#ifndef ZIB_MAP_MAPPING_H
#define ZIB_MAP_MAPPING_H

#include <stddef.h>

/* The next mapping of a list at *cursor: returns its start and sets *n to
 * its length, moving *cursor past it and the spaces after; NULL at the end
 * (or for a NULL list).  for (cur = list; (m = map_next(&cur, &n)); ) ... */
const char *map_next(const char **cursor, size_t *n);

/* Does mapping m (n long) name the type right after its '#' ("P#Type",
 * "P#Type.x"), as its whole resource or an element of it? */
int map_names_type(const char *m, size_t n, const char *type);

/* Does any mapping of list name type (map_names_type)? */
int map_list_names_type(const char *list, const char *type);

/* Do the first mappings of lists a and b name the same type after '#'? */
int map_same_type(const char *a, const char *b);

#endif
