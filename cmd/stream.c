/*
 * Standard input as a stream of records, for running zib under GNU
 * parallel --pipe, Hadoop Streaming or Spark's RDD.pipe(): when the first
 * non-blank line is one JSON object (the NDJSON rule), every non-blank line
 * is a document of its own; otherwise all of stdin is one document.
 *
 * Records are read one at a time, so memory holds only the records in
 * flight, whatever the length of the stream.  A record's name must not
 * depend on where an engine cut the stream into chunks (a line number
 * would count from the chunk): it is "<stdin>#Type/id" from the record's
 * own resourceType and id, or "<stdin>" when it has none.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "strbuf.h"

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Reads one line (without its '\n') into b, keeping at most limit + 1
 * bytes of it (the rest is counted in *len, not kept); *nl is 1 when a
 * '\n' ended it.  0 at the end of the stream, 1 for a line, -1 out of
 * memory or a read error. */
static int read_line(FILE *in, struct strbuf *b, size_t limit, size_t *len, int *nl)
{
	int c;
	size_t n = 0;

	strbuf_reset(b);
	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		if (n++ <= limit)
			strbuf_putc(b, (char)c);
	}
	*len = n;
	*nl = c == '\n';
	if (b->oom || ferror(in))
		return -1;
	return c == EOF && n == 0 ? 0 : 1;
}

static int line_is_blank(const struct strbuf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (!is_blank((unsigned char)b->data[i]))
			return 0;
	return 1;
}

/* The NDJSON rule on one line: it opens with '{' and closes with '}'. */
static int line_is_object(const struct strbuf *b)
{
	size_t i = 0, j = b->len;

	while (i < j && is_blank((unsigned char)b->data[i]))
		i++;
	while (j > i && is_blank((unsigned char)b->data[j - 1]))
		j--;
	return j - i >= 2 && b->data[i] == '{' && b->data[j - 1] == '}';
}

/* Skips a JSON string at *p (its opening quote); the end is past the
 * closing quote.  Copies its content (escapes kept) to out when given. */
static const char *skip_string(const char *p, const char *end, struct strbuf *out)
{
	const char *start = ++p;

	while (p < end && *p != '"')
		p += *p == '\\' && p + 1 < end ? 2 : 1;
	if (out)
		strbuf_append(out, start, (size_t)(p - start));
	return p < end ? p + 1 : end;
}

/* Skips any JSON value at p (objects and arrays by nesting). */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '"') {
			p = skip_string(p, end, NULL);
			if (!depth)
				return p;
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth <= 0)
				return p + 1;
		} else if (!depth && (*p == ',' || *p == '}')) {
			return p;
		}
		p++;
	}
	return end;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* "<stdin>#Type/id" from the top-level resourceType and id of a record,
 * or "<stdin>" (a record that is not an object, or has neither). */
static char *record_name(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	struct strbuf type = STRBUF_INIT, id = STRBUF_INIT, key = STRBUF_INIT, name = STRBUF_INIT;

	p = skip_space(p, end);
	if (p < end && *p == '{') {
		p++;
		for (;;) {
			p = skip_space(p, end);
			if (p >= end || *p != '"')
				break;
			strbuf_reset(&key);
			p = skip_string(p, end, &key);
			p = skip_space(p, end);
			if (p >= end || *p != ':')
				break;
			p = skip_space(p + 1, end);
			if (p < end && *p == '"' && key.data &&
			    (strcmp(key.data, "resourceType") == 0 || strcmp(key.data, "id") == 0)) {
				struct strbuf *to = key.data[0] == 'r' ? &type : &id;
				strbuf_reset(to);
				p = skip_string(p, end, to);
			} else {
				p = skip_value(p, end);
			}
			p = skip_space(p, end);
			if (p >= end || *p != ',')
				break;
			p++;
		}
	}
	strbuf_puts(&name, "<stdin>");
	if (type.len && id.len)
		strbuf_printf(&name, "#%s/%s", type.data, id.data);
	else if (type.len)
		strbuf_printf(&name, "#%s", type.data);
	strbuf_release(&type);
	strbuf_release(&id);
	strbuf_release(&key);
	return name.oom ? NULL : strbuf_detach(&name, NULL);
}

void record_stream_init(struct record_stream *rs, FILE *in, size_t max_size)
{
	memset(rs, 0, sizeof(*rs));
	rs->in = in;
	rs->max_size = max_size;
}

/* The first character of a line but blanks: '{' opens a record. */
static int line_opens_object(const struct strbuf *b)
{
	size_t i = 0;

	while (i < b->len && is_blank((unsigned char)b->data[i]))
		i++;
	return i < b->len && b->data[i] == '{';
}

/* Reads up to the next non-blank line into line; the blank lines go to
 * raw as '\n's.  As read_line. */
static int next_nonblank(struct record_stream *rs, struct strbuf *line, size_t *len, int *nl,
	struct strbuf *raw)
{
	int r;

	while ((r = read_line(rs->in, line, rs->max_size, len, nl)) == 1 && line_is_blank(line))
		if (raw)
			strbuf_putc(raw, '\n');
	return r;
}

/* Appends a line as read (its bytes kept, the length it had, its '\n'). */
static void raw_line(struct strbuf *raw, size_t *n, const struct strbuf *line, size_t len, int nl)
{
	strbuf_append(raw, line->data ? line->data : "", line->len);
	if (nl)
		strbuf_putc(raw, '\n');
	*n += len + (size_t)nl;
}

/*
 * The first non-blank line decides: one JSON object on the line (the
 * NDJSON rule) is a stream of records.  A line that opens an object but
 * does not close it is a malformed record when nothing follows or the
 * next line opens an object too (a chunk can begin with a bad line), and
 * the first line of one whole document (pretty JSON) otherwise.  Lines
 * read while deciding are kept: the next line for the records, all of
 * them (raw, n bytes) for the whole document.
 */
static int sniff(struct record_stream *rs, struct strbuf *line, size_t *len, struct strbuf *raw,
	size_t *n)
{
	int r, nl;

	*n = 0;
	r = next_nonblank(rs, line, len, &nl, raw);
	*n = raw->len;
	if (r < 0)
		return -1;
	if (r == 1 && *len <= rs->max_size && line_is_object(line)) {
		rs->mode = STREAM_RECORDS;
		return 1;
	}
	if (r == 0) {
		/* No line but blanks: no records (Spark pipes an empty
		 * partition too, and wants exit 0 for it). */
		rs->mode = STREAM_RECORDS;
		rs->done = 1;
		return 0;
	}
	if (!line_opens_object(line)) {
		raw_line(raw, n, line, *len, nl);
		rs->mode = STREAM_WHOLE;
		return r;
	}
	raw_line(raw, n, line, *len, nl);
	{
		size_t blanks = raw->len;
		r = next_nonblank(rs, &rs->held, &rs->held_len, &nl, raw);
		*n += raw->len - blanks;
		if (r < 0)
			return -1;
		if (r == 0 || line_opens_object(&rs->held)) {
			rs->mode = STREAM_RECORDS;
			rs->has_held = r == 1;
			return 1;
		}
		raw_line(raw, n, &rs->held, rs->held_len, nl);
		rs->mode = STREAM_WHOLE;
		return 1;
	}
}

/* All of stdin as one document: what sniff read (raw, n bytes), then
 * the rest. */
static int read_whole(struct record_stream *rs, struct strbuf *raw, size_t n,
	struct stream_record *rec)
{
	char buf[65536];
	size_t got;

	while ((got = fread(buf, 1, sizeof(buf), rs->in)) > 0) {
		n += got;
		if (n <= rs->max_size)
			strbuf_append(raw, buf, got);
	}
	if (ferror(rs->in) || raw->oom)
		return -1;
	rec->name = strdup("-");
	rec->len = n;
	if (n > rs->max_size) {
		rec->too_big = 1;
		strbuf_release(raw);
	} else {
		rec->data = raw->data ? strbuf_detach(raw, NULL) : strdup("");
	}
	return rec->name && (rec->too_big || rec->data) ? 1 : -1;
}

int record_stream_next(struct record_stream *rs, struct stream_record *rec)
{
	struct strbuf line = STRBUF_INIT;
	size_t len = 0;
	int r, nl;

	if (rs->has_pending) {
		*rec = rs->pending;
		rs->has_pending = 0;
		return 1;
	}
	memset(rec, 0, sizeof(*rec));
	if (rs->done)
		return 0;
	if (!rs->mode) {
		struct strbuf raw = STRBUF_INIT;
		size_t n;
		r = sniff(rs, &line, &len, &raw, &n);
		if (r >= 0 && rs->mode == STREAM_WHOLE) {
			rs->done = 1;
			r = read_whole(rs, &raw, n, rec);
		}
		strbuf_release(&raw);
		if (r < 0)
			goto fail;
		if (rs->mode == STREAM_WHOLE) {
			strbuf_release(&line);
			rs->records++;
			return 1;
		}
		if (r == 0) {
			strbuf_release(&line);
			return 0;
		}
	} else if (rs->has_held) {
		/* The line sniff read ahead. */
		line = rs->held;
		len = rs->held_len;
		memset(&rs->held, 0, sizeof(rs->held));
		rs->has_held = 0;
	} else {
		r = next_nonblank(rs, &line, &len, &nl, NULL);
		if (r < 0)
			goto fail;
		if (r == 0) {
			rs->done = 1;
			strbuf_release(&line);
			return 0;
		}
	}
	rec->len = len;
	if (len > rs->max_size) {
		rec->too_big = 1;
		rec->name = strdup("<stdin>");
		strbuf_release(&line);
	} else {
		rec->name = record_name(line.data, line.len);
		rec->data = strbuf_detach(&line, NULL);
	}
	if (!rec->name || (!rec->too_big && !rec->data))
		goto fail;
	rs->records++;
	return 1;
fail:
	free(rec->name);
	free(rec->data);
	memset(rec, 0, sizeof(*rec));
	strbuf_release(&line);
	rs->done = 1;
	rs->error = 1;
	return -1;
}

int record_stream_start(struct record_stream *rs)
{
	int r = record_stream_next(rs, &rs->pending);

	rs->has_pending = r > 0;
	return r;
}

void record_stream_release(struct record_stream *rs)
{
	strbuf_release(&rs->held);
	rs->has_held = 0;
	if (rs->has_pending) {
		free(rs->pending.data);
		free(rs->pending.name);
		rs->has_pending = 0;
	}
}

int inputs_are_stdin(const struct input_list *list)
{
	size_t i, dashes = 0;

	for (i = 0; i < list->count; i++)
		dashes += inputs_is_stdin(list, i);
	if (!dashes)
		return 0;
	if (dashes < list->count) {
		cmd_error("'-' (standard input, read as a stream of records) cannot be mixed with "
			"files: give it alone");
		return -1;
	}
	return 1;
}
