#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/tsv.h"

/* Cuts the next line out of t->next; NULL at the end.  Skips comments. */
static char *tsv_line(struct tsv *t)
{
	for (;;) {
		char *line = t->next, *nl;

		if (!line || !*line)
			return NULL;
		nl = strchr(line, '\n');
		if (nl) {
			*nl = '\0';
			t->next = nl + 1;
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
		} else {
			t->next = line + strlen(line);
		}
		t->line++;
		if (line[0] != '#' && line[0] != '\0')
			return line;
	}
}

static int tsv_split(char *line, char *fields[TSV_MAX_COLUMNS])
{
	int n = 0;

	for (;;) {
		char *tab = strchr(line, '\t');
		if (n == TSV_MAX_COLUMNS)
			return -1;
		fields[n++] = line;
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

int tsv_open(struct tsv *t, const char *name, const char *text, size_t len,
	const char *const *columns, zib_error *err)
{
	char *fields[TSV_MAX_COLUMNS], *header;
	int i, n;

	memset(t, 0, sizeof(*t));
	t->name = name;
	t->text = malloc(len + 1);
	if (!t->text)
		return error_set(err, ZIB_ENOMEM, "out of memory");
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	if (strlen(t->text) != len) {
		tsv_close(t);
		return error_set(err, ZIB_EPARSE, "%s: contains a NUL byte", name);
	}
	t->next = t->text;
	header = tsv_line(t);
	if (!header) {
		tsv_close(t);
		return error_set(err, ZIB_EPARSE, "%s: empty file, expected a header row", name);
	}
	n = tsv_split(header, fields);
	for (i = 0; columns[i]; i++) {
		if (i >= n || strcmp(fields[i], columns[i]) != 0) {
			/* Format before closing: fields point into t->text. */
			error_set(err, ZIB_EPARSE, "%s:%d: header column %d is '%s', expected '%s'",
				name, t->line, i + 1, i < n ? fields[i] : "", columns[i]);
			tsv_close(t);
			return ZIB_EPARSE;
		}
	}
	if (n != i) {
		int line = t->line;
		tsv_close(t);
		return error_set(err, ZIB_EPARSE, "%s:%d: header has %d columns, expected %d",
			name, line, n, i);
	}
	t->ncolumns = n;
	return ZIB_OK;
}

int tsv_next(struct tsv *t, char *fields[TSV_MAX_COLUMNS], zib_error *err)
{
	char *line = tsv_line(t);
	int n;

	if (!line)
		return 0;
	n = tsv_split(line, fields);
	if (n != t->ncolumns)
		return error_set(err, ZIB_EPARSE, "%s:%d: %d fields, expected %d",
			t->name, t->line, n < 0 ? TSV_MAX_COLUMNS + 1 : n, t->ncolumns);
	return 1;
}

void tsv_close(struct tsv *t)
{
	free(t->text);
	t->text = t->next = NULL;
}
