/*
 * The unread-content scan every reader ends with: content of the source
 * that no concept read is not dropped silently but listed (the doc's
 * unmapped list).  The walk is here; what counts as read, as bookkeeping
 * or as data is the format's, told through the callbacks.
 */
#ifndef ZIB_MAP_UNREAD_H
#define ZIB_MAP_UNREAD_H

/* What the scan does with a node. */
enum map_unread_verdict {
	MAP_UNREAD_PASS,      /* read, bookkeeping, or no data: nothing */
	MAP_UNREAD_DESCEND,   /* has parts: scan its children */
	MAP_UNREAD_LEAF       /* data nobody read: report it */
};

struct map_unread_ops {
	void *(*first_child)(void *node);
	void *(*next_sibling)(void *node);
	enum map_unread_verdict (*judge)(void *node, void *data);
	void (*report)(void *node, void *data);
};

/* Scans the children of root, depth first, in document order. */
void map_scan_unread(void *root, const struct map_unread_ops *ops, void *data);

#endif
