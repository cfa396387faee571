/*
 * buf: a growable byte buffer, always NUL-terminated.  A buffer whose
 * allocation failed stays in an error state (oom set); later appends are
 * no-ops, so callers check once at the end.
 */
#ifndef ZIB_CORE_BUF_H
#define ZIB_CORE_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	int oom;
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s escaped as the inside of a JSON string. */
void buf_json_escape(struct buf *b, const char *s);
/* Appends s escaped for XML text and attribute values. */
void buf_xml_escape(struct buf *b, const char *s);
/* Makes room for extra more bytes (and the NUL) so appends up to that
 * size do not reallocate; -1 when out of memory. */
int buf_reserve(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
/* Hands the data to the caller (free() it) and resets the buffer. */
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);

#endif
