/*
 * The concept tree walk (map/walk.h).  Concepts are in depth-first order,
 * so a concept's descendants follow it until the depth falls back.
 */
#include "map/walk.h"

/* The first concept from index i on whose parent is parent, within
 * parent's subtree. */
static const struct zib_concept *child_from(const struct zib_concept *parent, size_t i)
{
	const struct zib_model *m = parent->model;

	for (; i < m->nconcepts && m->concepts[i].depth > parent->depth; i++)
		if (m->concepts[i].parent == parent)
			return &m->concepts[i];
	return NULL;
}

const struct zib_concept *map_first_child(const struct zib_concept *parent)
{
	return child_from(parent, parent->index + 1);
}

const struct zib_concept *map_next_child(const struct zib_concept *c)
{
	return c->parent ? child_from(c->parent, c->index + 1) : NULL;
}

int map_has_children(const struct zib_concept *c)
{
	return c->index + 1 < c->model->nconcepts && c->model->concepts[c->index + 1].parent == c;
}
