/*
 * Suppression of findings: codes named by --ignore, and findings recorded
 * in a baseline file (--baseline), so that a vendor adopts zib on an
 * existing export and fails only on new findings.
 *
 * A baseline is text, one finding a line after the header line
 *   # zib baseline 1
 * with four tab-separated fields: code, file, path, message.  The line and
 * column are left out on purpose: they move when a document is edited,
 * while the code, the element and the message of a known problem do not.
 * A finding matches when all four fields are equal (tabs and newlines in a
 * field are written, and compared, as spaces).  Lines starting with '#'
 * and empty lines are comments.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/strmap.h"
#include "zib.h"

#define BASELINE_HEADER "# zib baseline 1"

struct zib_suppress {
	struct arena arena;
	struct strmap codes;      /* --ignore */
	struct strmap findings;   /* baseline keys */
};

int zib_suppress_new(zib_suppress **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return ZIB_ENOMEM;
	strmap_init(&(*out)->codes, 0);
	strmap_init(&(*out)->findings, 0);
	return ZIB_OK;
}

void zib_suppress_free(zib_suppress *s)
{
	if (!s)
		return;
	strmap_release(&s->codes);
	strmap_release(&s->findings);
	arena_release(&s->arena);
	free(s);
}

static void field(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* The baseline line of a finding, without the newline. */
static void key(struct buf *b, const zib_diag *d)
{
	buf_reset(b);
	field(b, d->code);
	buf_putc(b, '\t');
	field(b, d->file);
	buf_putc(b, '\t');
	field(b, d->path);
	buf_putc(b, '\t');
	field(b, d->message);
}

int zib_suppress_add_codes(zib_suppress *s, const char *list, zib_error *err)
{
	const char *p = list, *end;

	while (p && *p) {
		char *code;
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (end == p)
			return error_set(err, ZIB_EINVAL, "an empty code in '%s'", list);
		code = arena_strndup(&s->arena, p, (size_t)(end - p));
		if (!code || strmap_put(&s->codes, code, code) < 0)
			return error_set(err, ZIB_ENOMEM, "out of memory");
		p = *end ? end + 1 : end;
	}
	return ZIB_OK;
}

int zib_suppress_load_baseline(zib_suppress *s, const char *path, zib_error *err)
{
	char *data = NULL, *line, *next;
	size_t len = 0;
	int rc, lineno = 0;

	rc = zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, err);
	if (rc < 0)
		return rc;
	if (strncmp(data, BASELINE_HEADER, strlen(BASELINE_HEADER)) != 0) {
		free(data);
		return error_set(err, ZIB_EPARSE, "%s:1: not a zib baseline (the first line is not '%s')",
			path, BASELINE_HEADER);
	}
	for (line = data; line && *line; line = next) {
		char *copy, *nl = strchr(line, '\n');
		int tabs = 0;
		lineno++;
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		for (copy = line; *copy; copy++)
			tabs += *copy == '\t';
		if (tabs != 3) {
			free(data);
			return error_set(err, ZIB_EPARSE, "%s:%d: a baseline line has four tab-separated "
				"fields (code, file, path, message), this one %d", path, lineno, tabs + 1);
		}
		copy = arena_strdup(&s->arena, line);
		if (!copy || strmap_put(&s->findings, copy, copy) < 0) {
			free(data);
			return error_set(err, ZIB_ENOMEM, "out of memory");
		}
	}
	free(data);
	return ZIB_OK;
}

int zib_suppress_match(const zib_suppress *s, const zib_diag *d)
{
	struct buf b = BUF_INIT;
	int hit;

	if (!s)
		return 0;
	if (d->code && strmap_get(&s->codes, d->code))
		return 1;
	if (s->findings.count == 0)
		return 0;
	key(&b, d);
	hit = b.data && strmap_get(&s->findings, b.data) != NULL;
	buf_release(&b);
	return hit;
}

int zib_suppress_split(const zib_suppress *s, const zib_report *src, zib_report *kept,
	zib_report *suppressed)
{
	size_t i;

	for (i = 0; i < zib_report_count(src); i++) {
		const zib_diag *d = zib_report_at(src, i);
		if (zib_report_add(zib_suppress_match(s, d) ? suppressed : kept, d) < 0)
			return ZIB_ENOMEM;
	}
	return ZIB_OK;
}

void zib_baseline_write_header(FILE *out)
{
	fputs(BASELINE_HEADER "\n# code\tfile\tpath\tmessage: findings known and accepted; "
		"zib validate --baseline FILE reports them as suppressed\n", out);
}

void zib_baseline_write(FILE *out, const zib_report *r, zib_severity min)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < zib_report_count(r); i++) {
		const zib_diag *d = zib_report_at(r, i);
		if (d->severity < min)
			continue;
		key(&b, d);
		fprintf(out, "%s\n", b.data ? b.data : "");
	}
	buf_release(&b);
}
