#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/arena.h"

/* Blocks grow geometrically so big documents need few mallocs. */
#define ARENA_MIN_BLOCK 8192
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	/* Followed by the block's memory; the header is a multiple of ARENA_ALIGN. */
	unsigned char pad[ARENA_ALIGN - sizeof(void *)];
};

/* Big blocks (a compiled rule set, a large document) are filled from
 * start to end: in 2 MB pages where the system offers them on request
 * (transparent huge pages "madvise"), one page fault instead of 512. */
#define ARENA_HUGE_FROM (4u << 20)

static void advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)p + len) & ~(uintptr_t)4095;

	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);   /* only a hint */
#else
	(void)p;
	(void)len;
#endif
}

void arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

static void *arena_new_block(struct arena *a, size_t size)
{
	size_t cap = a->capacity ? a->capacity * 2 : ARENA_MIN_BLOCK;
	struct arena_block *b;

	if (cap < size)
		cap = size;
	b = malloc(sizeof(*b) + cap);
	if (!b)
		return NULL;
	if (cap >= ARENA_HUGE_FROM)
		advise_huge(b + 1, cap);
	b->next = a->head;
	a->head = b;
	a->capacity = cap;
	a->used = 0;
	return b + 1;
}

/* Memory the caller fills completely: strings, copies. */
static void *arena_alloc_raw(struct arena *a, size_t size)
{
	unsigned char *p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size == 0)
		size = ARENA_ALIGN;
#ifdef ZIB_DEBUG_ARENA
	{
		struct arena_block *b = calloc(1, sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
		a->total += size;
		return b + 1;
	}
#endif
	if (!a->head || a->capacity - a->used < size) {
		if (!arena_new_block(a, size))
			return NULL;
	}
	p = (unsigned char *)(a->head + 1) + a->used;
	a->used += size;
	a->total += size;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc_raw(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}
