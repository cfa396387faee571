/*
 * strbuf: the growable text buffer of the zib command (output collected
 * per job, paths, JSON strings).  cmd/ uses only zib.h from the library,
 * so it keeps this small helper of its own.
 *
 * Invariants: data is NUL-terminated once anything was appended (NULL
 * before); after a failed allocation oom is set and later appends do
 * nothing, so a caller checks oom once, at the end.
 */
#ifndef ZIB_CMD_STRBUF_H
#define ZIB_CMD_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *data;
	size_t len;
	size_t cap;
	int oom;
};

#define STRBUF_INIT { NULL, 0, 0, 0 }

void strbuf_append(struct strbuf *sb, const void *data, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s escaped as the inside of a JSON string (quotes, backslashes
 * and control characters; other bytes, UTF-8 included, as they are). */
void strbuf_json_escape(struct strbuf *sb, const char *s);
/* Empties the buffer and keeps its memory. */
void strbuf_reset(struct strbuf *sb);
/* Hands the text to the caller, who free()s it (never NULL unless oom),
 * with its length in *len when len is not NULL; the buffer is then empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Frees the memory and clears oom. */
void strbuf_release(struct strbuf *sb);

#endif
