/*
 * Walking a zib's concept tree in model order, as every reader and writer
 * maps it: a group's child concepts, one after the other.
 */
#ifndef ZIB_MAP_WALK_H
#define ZIB_MAP_WALK_H

#include "model/model.h"

/* The first child concept of parent, and the next child of the same
 * parent after c; NULL when there is none.
 *   for (c = map_first_child(p); c; c = map_next_child(c)) ... */
const struct zib_concept *map_first_child(const struct zib_concept *parent);
const struct zib_concept *map_next_child(const struct zib_concept *c);

/* Has c child concepts (is it a group with parts)? */
int map_has_children(const struct zib_concept *c);

#endif
