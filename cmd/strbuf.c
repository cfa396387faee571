/* strbuf: a growable NUL-terminated buffer for cmd/ (see strbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Room for more bytes and the NUL; -1 (and oom) when memory runs out. */
static int strbuf_grow(struct strbuf *sb, size_t more)
{
	size_t need, cap;
	char *p;

	if (sb->oom)
		return -1;
	if (more > (size_t)-1 - sb->len - 1) {
		sb->oom = 1;
		return -1;
	}
	need = sb->len + more + 1;
	if (need <= sb->cap)
		return 0;
	for (cap = sb->cap ? sb->cap : 64; cap < need; cap *= 2)
		;
	p = realloc(sb->data, cap);
	if (!p) {
		sb->oom = 1;
		return -1;
	}
	sb->data = p;
	sb->cap = cap;
	return 0;
}

void strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
	if (strbuf_grow(sb, len) < 0)
		return;
	if (len)
		memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_append(sb, s, strlen(s));
}

void strbuf_putc(struct strbuf *sb, char c)
{
	strbuf_append(sb, &c, 1);
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || strbuf_grow(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void strbuf_json_escape(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, (char)*p);
		} else if (*p == '\n') {
			strbuf_puts(sb, "\\n");
		} else if (*p == '\r') {
			strbuf_puts(sb, "\\r");
		} else if (*p == '\t') {
			strbuf_puts(sb, "\\t");
		} else if (*p < 0x20) {
			strbuf_printf(sb, "\\u%04x", *p);
		} else {
			strbuf_putc(sb, (char)*p);
		}
	}
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p = sb->data;

	if (!p && !sb->oom)
		p = calloc(1, 1);
	if (len)
		*len = p ? sb->len : 0;
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
	sb->oom = 0;
}
