/*
 * The narrative div: the linear scanner (xhtml_fast.c) against the libxml2
 * path (xhtml.c).  Whenever the scanner takes a snippet, libxml2 must take
 * it too and write the same bytes; snippets the scanner leaves to libxml2
 * are listed so that the fast path stays the common one.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "harness.h"
#include "fhir/tree.h"
#include "fhir/xhtml.h"
#include "zib.h"

#define DIV "<div xmlns=\"http://www.w3.org/1999/xhtml\">"

/* Compares both paths on markup; want_fast: 1 the scanner must take it, 0
 * it must leave it to libxml2, -1 either.  Returns 0 when consistent. */
static int same_both_ways(const char *markup, size_t len, int want_fast, char *why, size_t size)
{
	struct buf fast = BUF_INIT, slow = BUF_INIT;
	const char *err;
	int took, bad = 0;

	buf_puts(&fast, "pre");   /* the scanner appends, like the libxml2 path */
	buf_puts(&slow, "pre");
	took = fhir_xhtml_normalise_fast(&fast, markup, len);
	err = fhir_xhtml_normalise_libxml(&slow, markup, len);
	if (want_fast >= 0 && took != want_fast) {
		snprintf(why, size, "scanner %s %.*s", took ? "took" : "left", (int)len, markup);
		bad = 1;
	} else if (took && err) {
		snprintf(why, size, "scanner took what libxml2 refuses (%s): %.*s", err, (int)len, markup);
		bad = 1;
	} else if (took && (fast.len != slow.len || memcmp(fast.data, slow.data, fast.len) != 0)) {
		snprintf(why, size, "differ for %.*s:\n  fast %s\n  slow %s", (int)len, markup, fast.data,
			slow.data);
		bad = 1;
	} else if (!took && (fast.len != 3 || strcmp(fast.data, "pre") != 0)) {
		snprintf(why, size, "scanner changed the buffer when leaving %.*s", (int)len, markup);
		bad = 1;
	}
	buf_release(&fast);
	buf_release(&slow);
	return bad;
}

static const char *const fast_cases[] = {
	DIV "</div>",
	"<div xmlns=\"http://www.w3.org/1999/xhtml\"/>",
	"<div xmlns=\"http://www.w3.org/1999/xhtml\" />",
	DIV "plain text</div>",
	DIV "<p>one</p><p>two</p></div>",
	DIV "<p></p><br/><br /><hr></hr></div>",
	"<div class=\"x\" xmlns=\"http://www.w3.org/1999/xhtml\" id='a'>t</div>",
	"<div  xmlns = \"http://www.w3.org/1999/xhtml\"\n\tlang=\"nl\" >t</div >",
	DIV "<a href=\"http://x/?a=1&amp;b=2\" title='say \"hi\"'>l</a></div>",
	DIV "<span title=\"it's &apos;quoted&apos; &quot;here&quot;\">q</span></div>",
	DIV "<span title=\"a&lt;b&gt;c\">&lt;b&gt; &amp; &quot;x&quot; &apos;y&apos;</span></div>",
	DIV "<td title=\"tab\there\nnewline  two\">cell</td></div>",
	DIV "<td title=\"&#9;&#10;&#13;&#x9;&#xA;&#xD;\">&#9;&#10;&#13;</td></div>",
	DIV "&#60;&#62;&#38;&#34;&#39;&#x3C;&#x3e;&#169;&#x20AC;&#128512;</div>",
	DIV "<b title=\"&#60;&#62;&#38;&#34;&#39;\">x</b></div>",
	DIV "a > b, c >= d ] ]> ]x]></div>",
	DIV "\n  <table>\n    <tr><td>1</td><td> </td></tr>\n  </table>\n</div>",
	DIV "<p>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 Z\xC3\xBCrich</p></div>",
	DIV "<p title=\"\xC3\xA9\xE2\x82\xAC\">\xC3\xAB</p></div>",
	DIV "<p xml:lang=\"nl\" lang=\"nl\">taal</p></div>",
	DIV "<ul><li><b><i><span class=\"a-b_c.d\">deep</span></i></b></li></ul></div>",
	DIV "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\"/></div>",
	DIV "<p>trailing</p></div>\n  \t",
	DIV "x\x7F y</div>",
	DIV "<p a=\"\" b=''/></div>",
	DIV "<p>&#0000065;&#x0041;</p></div>",
	DIV "<p>]]</p>]</div>",
	DIV "a\rb\r\nc\n\rd\r\r\ne\r</div>",
	DIV "<p title=\"a\rb\r\nc\n\rd\r\r\ne\r\" lang='\r'\r\n/>\r\n</div>\r\n",
	"<div\r\nxmlns=\"http://www.w3.org/1999/xhtml\"\r>x</div\r>",
};

/* What the scanner leaves to libxml2 (which may accept or refuse it). */
static const char *const slow_cases[] = {
	"",
	"   " DIV "</div>",
	"<div>no namespace</div>",
	"<div xmlns='http://www.w3.org/1999/xhtml'>single-quoted declaration</div>",
	"<div xmlns=\"http://www.w3.org/1999/xhtmlx\">other</div>",
	"<p xmlns=\"http://www.w3.org/1999/xhtml\">not a div</p>",
	DIV "<!-- comment --></div>",
	DIV "<![CDATA[a < b]]></div>",
	DIV "<?pi data?></div>",
	"<?xml version=\"1.0\"?>" DIV "</div>",
	"<!DOCTYPE div>" DIV "</div>",
	DIV "&nbsp;</div>",
	DIV "&#0;</div>",
	DIV "&#xFFFE;</div>",
	DIV "&#xD800;</div>",
	DIV "&#X41;</div>",
	DIV "&amp</div>",
	DIV "\x01</div>",
	DIV "\xC3</div>",
	DIV "\xC0\xAF</div>",
	DIV "\xED\xA0\x80</div>",
	DIV "\xEF\xBF\xBE</div>",
	DIV "a ]]> b</div>",
	DIV "<p>unclosed</div>",
	DIV "<p></q></div>",
	DIV "</div></div>",
	DIV "</div><p/>",
	DIV "</div>tail",
	DIV "</div><!-- c -->",
	DIV,
	DIV "<p a=\"1\" a=\"2\"/></div>",
	DIV "<p a=\"1\"b=\"2\"/></div>",
	DIV "<p a=1/></div>",
	DIV "<p a=\"<\"/></div>",
	DIV "<p a=\"x/></div>",
	DIV "<x:p xmlns:x=\"urn:x\"/></div>",
	DIV "<p x:a=\"1\" xmlns:x=\"urn:x\"/></div>",
	DIV "<p xmlns=\"http://www.w3.org/1999/xhtml\">redeclared</p></div>",
	DIV "<p xmlns=\"urn:other\">other</p></div>",
	"<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns=\"http://www.w3.org/1999/xhtml\"/>",
	"<div xmlns:h=\"urn:h\" xmlns=\"http://www.w3.org/1999/xhtml\"/>",
	DIV "<caf\xC3\xA9/></div>",
	DIV "<1p/></div>",
	DIV "< p/></div>",
	"\xEF\xBB\xBF" DIV "</div>",
};

TEST(xhtml, scanner_takes_plain_narratives)
{
	char why[2048];
	size_t i;

	for (i = 0; i < sizeof(fast_cases) / sizeof(fast_cases[0]); i++)
		if (same_both_ways(fast_cases[i], strlen(fast_cases[i]), 1, why, sizeof(why))) {
			harness_fail(__FILE__, __LINE__, "case %zu: %s", i, why);
			return;
		}
}

TEST(xhtml, scanner_leaves_unusual_markup_to_libxml2)
{
	char why[2048];
	size_t i;

	for (i = 0; i < sizeof(slow_cases) / sizeof(slow_cases[0]); i++)
		if (same_both_ways(slow_cases[i], strlen(slow_cases[i]), 0, why, sizeof(why))) {
			harness_fail(__FILE__, __LINE__, "case %zu: %s", i, why);
			return;
		}
}

TEST(xhtml, normalise_uses_either_way_with_same_result)
{
	struct buf b = BUF_INIT;

	ASSERT(fhir_xhtml_normalise(&b, DIV "a<br/>b</div>", strlen(DIV "a<br/>b</div>")) == NULL);
	ASSERT_STR_EQ(DIV "a<br/>b</div>", b.data);
	buf_reset(&b);
	ASSERT(fhir_xhtml_normalise(&b, DIV "<!--c-->a</div>", strlen(DIV "<!--c-->a</div>")) == NULL);
	ASSERT_STR_EQ(DIV "<!--c-->a</div>", b.data);
	buf_reset(&b);
	ASSERT(fhir_xhtml_normalise(&b, "<div>x</div>", 12) != NULL);
	ASSERT(fhir_xhtml_normalise(&b, DIV "&nbsp;</div>", strlen(DIV "&nbsp;</div>")) != NULL);
	buf_release(&b);
}

/* Random edits of the cases above, seeded so failures repeat: whatever
 * the scanner takes must be taken by libxml2 with the same bytes. */
TEST(xhtml, scanner_agrees_with_libxml2_on_mutations)
{
	static const char *const bits[] = { "<", ">", "/", "&", ";", "\"", "'", "=", " ", "\n",
		"\t", "\r", "]", "]]>", "&amp;", "&#38;", "&#x3c;", "&lt;", "&gt;", "&quot;", "<b>",
		"</b>", "<br/>", "<p a=\"1\">", "</p>", "xml:", "xmlns", ":", "!", "?", "-", "\xC3\xA9",
		"\xC3", "\x80", "\xE2\x82\xAC", "#", "x", "div", "</div>", "\x01", "\x7F", "&#0;", "a",
		/* harmless ones, so that many mutants stay well-formed */
		"text", " ", "<i>x</i>", "<br/>", " c=\"v\"", "&#233;", "\r\n", "\xC3\xAB", "&amp;" };
	unsigned long seed = 12345;
	char why[4096], text[1024];
	size_t nsrc = sizeof(fast_cases) / sizeof(fast_cases[0]);
	int i, taken = 0;

	for (i = 0; i < 50000; i++) {
		const char *src = fast_cases[(size_t)i % nsrc];
		size_t len = strlen(src), at, cut;
		const char *bit;
		int edits = 1 + i % 2, e;

		memcpy(text, src, len + 1);
		for (e = 0; e < edits; e++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			at = len ? (size_t)(seed >> 33) % (len + 1) : 0;
			bit = bits[(seed >> 17) % (sizeof(bits) / sizeof(bits[0]))];
			cut = (seed >> 9) % 3 == 0 && at < len ? 1 + (size_t)(seed >> 40) % 3 : 0;
			if (at + cut > len)
				cut = len - at;
			if (len - cut + strlen(bit) + 1 > sizeof(text))
				continue;
			memmove(text + at + strlen(bit), text + at + cut, len - at - cut + 1);
			memcpy(text + at, bit, strlen(bit));
			len = len - cut + strlen(bit);
		}
		if (same_both_ways(text, len, -1, why, sizeof(why))) {
			harness_fail(__FILE__, __LINE__, "mutation %d: %s", i, why);
			return;
		}
		{
			struct buf b = BUF_INIT;
			taken += fhir_xhtml_normalise_fast(&b, text, len);
			buf_release(&b);
		}
	}
	/* The edits must leave a good share for the scanner to be tested. */
	printf("  (%d of 50000 mutations by the scanner)\n", taken);
	ASSERT(taken > 2500);
}

struct corpus_count {
	int divs, fast, bad;
	char why[4096];
};

static void check_div(struct corpus_count *c, const char *file, const char *markup, size_t len)
{
	struct buf b = BUF_INIT;
	char why[3000];

	c->divs++;
	c->fast += fhir_xhtml_normalise_fast(&b, markup, len);
	buf_release(&b);
	if (!c->bad && same_both_ways(markup, len, -1, why, sizeof(why))) {
		c->bad = 1;
		snprintf(c->why, sizeof(c->why), "%s: %s", file, why);
	}
}

/* The narratives of a tree read from FHIR XML (the XML reader's markup). */
static void check_tree(struct corpus_count *c, const char *file, const struct fhir_node *n)
{
	if (n->kind == FHIR_K_XHTML && n->value)
		check_div(c, file, n->value, n->value_len);
	for (n = n->children; n; n = n->next)
		check_tree(c, file, n);
}

/* The "div" strings of FHIR JSON exactly as written. */
static void check_json(struct corpus_count *c, const char *file, const cJSON *j)
{
	const cJSON *k;

	for (k = j->child; k; k = k->next) {
		if (cJSON_IsString(k) && k->string && strcmp(k->string, "div") == 0)
			check_div(c, file, k->valuestring, strlen(k->valuestring));
		else if (k->child)
			check_json(c, file, k);
	}
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* Every narrative of the corpus: the R4 examples (XML) and the R4 core
 * definitions (JSON).  The scanner takes nearly all, with libxml2's bytes. */
TEST(xhtml, scanner_agrees_on_corpus_narratives)
{
	static const char *const dirs[] = { "fhir-r4-zib2020/examples", "fhir-r4-core" };
	struct corpus_count c;
	char path[4096];
	size_t i;
	int files = 0;
	NEED_CORPUS(corpus);

	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", corpus, dirs[i]);
		d = opendir(path);
		ASSERT(d != NULL);
		while ((e = readdir(d)) != NULL && !c.bad) {
			zib_error err;
			char *data;
			size_t len;

			if (!ends_with(e->d_name, ".xml") && !ends_with(e->d_name, ".json"))
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", corpus, dirs[i], e->d_name);
			if (zib_read_file(&data, &len, path, ZIB_DEFAULT_MAX_SIZE, &err) < 0)
				continue;
			files++;
			if (ends_with(e->d_name, ".xml")) {
				zib_fhir *f = NULL;
				if (zib_fhir_parse(&f, data, len, path, NULL, &err) == 0)
					check_tree(&c, path, f->root);
				zib_fhir_free(f);
			} else {
				cJSON *j = cJSON_ParseWithLength(data, len);
				if (j)
					check_json(&c, path, j);
				cJSON_Delete(j);
			}
			free(data);
		}
		closedir(d);
	}
	if (c.bad) {
		harness_fail(__FILE__, __LINE__, "%s", c.why);
		return;
	}
	printf("  (%d narratives in %d files, %d by the scanner)\n", c.divs, files, c.fast);
	ASSERT(files >= 200);
	ASSERT(c.divs >= 1000);
	ASSERT(c.fast * 100 >= c.divs * 95);
}
