/*
 * arena: a bump allocator.  Everything allocated from an arena is released
 * at once by arena_release(); there is no per-object free.  One arena per
 * document (its tree, values and strings) and one per zib_ctx (models).
 *
 * Build with -DZIB_DEBUG_ARENA to make every allocation a separate malloc,
 * so that AddressSanitizer and valgrind see overflows.
 */
#ifndef ZIB_CORE_ARENA_H
#define ZIB_CORE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used;      /* bytes used in head */
	size_t capacity;  /* bytes available in head */
	size_t total;     /* bytes handed out, for statistics */
};

#define ARENA_INIT { NULL, 0, 0, 0 }

void arena_init(struct arena *a);
/* Zeroed memory aligned for any type; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

#endif
