/*
 * The unread-content scan (map/unread.h).
 */
#include <stddef.h>

#include "map/unread.h"

void map_scan_unread(void *root, const struct map_unread_ops *ops, void *data)
{
	void *c;

	for (c = ops->first_child(root); c; c = ops->next_sibling(c)) {
		switch (ops->judge(c, data)) {
		case MAP_UNREAD_DESCEND:
			map_scan_unread(c, ops, data);
			break;
		case MAP_UNREAD_LEAF:
			ops->report(c, data);
			break;
		case MAP_UNREAD_PASS:
			break;
		}
	}
}
