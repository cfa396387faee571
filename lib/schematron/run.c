/*
 * Running a compiled rule set over one document: one walk in document
 * order; the pattern set (lib/xpath2/patset.c) gives each node the rules
 * whose context matches it, and within a pattern the first of those
 * fires, as in ISO Schematron.  Findings are reported
 * pattern by pattern, then in document order, as the ISO skeleton does.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/xml.h"
#include "schematron/schematron.h"

/* One SVRL event: a fired rule, a failed assert or a successful report. */
struct event {
	size_t pattern;
	size_t seq;               /* node's document order */
	size_t order;             /* order of discovery within the node */
	const struct sch_rule *rule;
	const struct sch_item *item;   /* NULL for a fired rule */
	const char *message;
	xmlNode *node;            /* the context node; its location is written on output */
	const char **diag_texts;
	int line;
	int error;                /* an evaluation error (message says what) */
};

/*
 * What a thread keeps from one document to the next: the evaluator's
 * scratch pool and regex cache, the pattern walk's tables.  Workers wait
 * on the rule set's list between documents, so each thread reuses warm
 * memory instead of allocating and freeing it per document.
 */
struct sch_worker {
	struct xp_run run;
	struct xp_patwalk *walk;
	struct sch_worker *next;
};

struct sch_workers {
	pthread_mutex_t lock;
	struct sch_worker *idle;
};

struct sch_workers *schematron_workers_new(void)
{
	struct sch_workers *w = calloc(1, sizeof(*w));

	if (w && pthread_mutex_init(&w->lock, NULL) != 0) {
		free(w);
		return NULL;
	}
	return w;
}

void schematron_workers_free(struct sch_workers *w)
{
	if (!w)
		return;
	while (w->idle) {
		struct sch_worker *k = w->idle;
		w->idle = k->next;
		xp_patwalk_free(k->walk);
		xp_run_release(&k->run);
		free(k);
	}
	pthread_mutex_destroy(&w->lock);
	free(w);
}

static struct sch_worker *worker_take(const zib_schematron *sch)
{
	struct sch_worker *k;

	pthread_mutex_lock(&sch->workers->lock);
	k = sch->workers->idle;
	if (k)
		sch->workers->idle = k->next;
	pthread_mutex_unlock(&sch->workers->lock);
	if (k)
		return k;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	xp_run_init(&k->run, (struct xp_docs *)&sch->docs);
	k->walk = xp_patwalk_new(sch->contexts, &k->run, NULL);
	if (!k->walk) {
		xp_run_release(&k->run);
		free(k);
		return NULL;
	}
	return k;
}

static void worker_give_back(const zib_schematron *sch, struct sch_worker *k)
{
	if (!k)
		return;
	xp_pool_reset(&k->run.pool, (struct xp_mark){ NULL, 0 });
	k->run.current = NULL;
	k->run.error[0] = '\0';
	pthread_mutex_lock(&sch->workers->lock);
	k->next = sch->workers->idle;
	sch->workers->idle = k;
	pthread_mutex_unlock(&sch->workers->lock);
}

struct runner {
	const zib_schematron *sch;
	struct sch_worker *worker;
	struct xp_run *run;
	struct arena arena;       /* event strings */
	struct event *ev;
	size_t nev, capev;
	size_t seq;
	unsigned *fired;          /* per pattern: seq + 1 of the last node it fired on */
	const struct xp_var *globals;
	struct xp_patwalk *walk;  /* rule contexts over this document */
	int attributes;           /* some context can match an attribute */
	int want_fired;           /* record fired rules (SVRL) */
	int errors;
	const char *file;
};

static struct event *push_event(struct runner *rn)
{
	if (rn->nev == rn->capev) {
		size_t cap = rn->capev ? rn->capev * 2 : 64;
		struct event *p = realloc(rn->ev, cap * sizeof(*p));
		if (!p)
			return NULL;
		rn->ev = p;
		rn->capev = cap;
	}
	memset(&rn->ev[rn->nev], 0, sizeof(*rn->ev));
	rn->ev[rn->nev].order = rn->nev;
	return &rn->ev[rn->nev++];
}

/* The SVRL location of a node, in the ISO skeleton's form:
 * "/" "*:ClinicalDocument[namespace-uri()='urn:hl7-org:v3'][1]" ... */
static const char *location(struct runner *rn, xmlNode *n)
{
	struct buf b = BUF_INIT;
	xmlNode *chain[256];
	size_t depth = 0;
	const char *s;

	if (n->type == XML_DOCUMENT_NODE)
		return "/";
	for (xmlNode *c = n; c && c->type != XML_DOCUMENT_NODE && depth < 256; c = c->parent)
		chain[depth++] = c;
	while (depth--) {
		xmlNode *c = chain[depth];
		const char *uri = c->ns && c->ns->href ? (const char *)c->ns->href : "";
		if (c->type == XML_ATTRIBUTE_NODE) {
			if (*uri)
				buf_printf(&b, "/@*[local-name()='%s' and namespace-uri()='%s']", c->name, uri);
			else
				buf_printf(&b, "/@%s", c->name);
		} else if (c->type == XML_ELEMENT_NODE) {
			int pos = 1;
			for (xmlNode *p = c->prev; p; p = p->prev)
				if (p->type == XML_ELEMENT_NODE && strcmp((const char *)p->name,
					(const char *)c->name) == 0 && strcmp(p->ns && p->ns->href ? (const char *)p->ns->href : "", uri) == 0)
					pos++;
			buf_printf(&b, "/*:%s[namespace-uri()='%s'][%d]", c->name, uri, pos);
		} else if (c->type == XML_TEXT_NODE) {
			buf_puts(&b, "/text()");
		} else {
			buf_puts(&b, "/node()");
		}
	}
	s = arena_strdup(&rn->arena, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

/* Fills in a message: text, value-of, name; whitespace as written. */
static const char *render_msg(struct runner *rn, const struct sch_msg *m, xmlNode *node,
	const struct xp_var *vars, const char **errtext)
{
	struct buf b = BUF_INIT;
	const char *s;

	for (size_t i = 0; i < m->n; i++) {
		const struct sch_part *p = &m->parts[i];
		if (p->kind == 't') {
			buf_puts(&b, p->text);
		} else if (p->kind == 'v') {
			const char *v = xp_eval_string(p->expr, rn->run, node, vars);
			if (!v) {
				*errtext = rn->run->error;
				v = "";
			}
			buf_puts(&b, v);
		} else {
			xmlNode *target = node;
			if (p->expr) {
				struct xp_item it;
				struct xp_seq res;
				xp_item_node(&it, node);
				if (xp_eval(p->expr, rn->run, &it, vars, &res) == 0 && res.n &&
					res.items[0].type == XP_NODE)
					target = res.items[0].v.node;
			}
			if ((target->type == XML_ELEMENT_NODE || target->type == XML_ATTRIBUTE_NODE) &&
				target->ns && target->ns->prefix)
				buf_printf(&b, "%s:%s", target->ns->prefix, target->name);
			else if (target->type == XML_ELEMENT_NODE || target->type == XML_ATTRIBUTE_NODE)
				buf_puts(&b, (const char *)target->name);
		}
	}
	s = arena_strdup(&rn->arena, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

static int record_error(struct runner *rn, const struct sch_rule *rule, const struct sch_item *item,
	xmlNode *node, const char *what)
{
	struct event *ev;

	if (++rn->errors > 50)
		return 0;
	ev = push_event(rn);
	if (!ev)
		return -1;
	ev->pattern = rule->pattern;
	ev->seq = rn->seq;
	ev->rule = rule;
	ev->item = item;
	ev->error = 1;
	ev->line = (int)xmlGetLineNo(node);
	ev->node = node;
	ev->message = arena_printf(&rn->arena, "cannot evaluate %s '%s' (%s:%d): %s",
		item ? (item->kind == 'a' ? "assert" : item->kind == 'r' ? "report" : "let") : "rule context",
		item ? (item->kind == 'l' ? item->name : item->src) : rule->context_src,
		item ? item->file : rule->file, item ? item->line : rule->line, what);
	return 0;
}

/* Runs the body of a rule whose context matched node. */
static int fire(struct runner *rn, const struct sch_rule *rule, xmlNode *node)
{
	struct xp_mark mark = xp_pool_mark(&rn->run->pool);
	const struct xp_var *vars = rn->globals;
	struct event *ev;
	int rc = 0;

	if (rn->want_fired) {
		ev = push_event(rn);
		if (!ev)
			return -1;
		ev->pattern = rule->pattern;
		ev->seq = rn->seq;
		ev->rule = rule;
	}
	rn->run->current = node;
	for (size_t i = 0; i < rule->nitems; i++) {
		const struct sch_step *st = &rule->steps[i];
		const struct sch_item *it = &rule->items[i];   /* not read unless needed */
		int t;
		rn->run->error[0] = '\0';
		if (st->kind == 'l') {
			struct xp_var *v = xp_alloc(&rn->run->pool, sizeof(*v));
			struct xp_item ctx;
			if (!v) {
				rc = -1;
				break;
			}
			xp_item_node(&ctx, node);
			v->name = st->name;
			v->next = vars;
			if (xp_eval(st->expr, rn->run, &ctx, vars, &v->value) < 0) {
				if (record_error(rn, rule, it, node, rn->run->error) < 0)
					rc = -1;
				break;   /* later tests would see an undefined variable */
			}
			vars = v;
			continue;
		}
		t = xp_eval_bool(st->expr, rn->run, node, vars);
		if (t < 0) {
			if (record_error(rn, rule, it, node, rn->run->error) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if ((st->kind == 'a' && !t) || (st->kind == 'r' && t)) {
			const char *errtext = NULL;
			ev = push_event(rn);
			if (!ev) {
				rc = -1;
				break;
			}
			ev->pattern = rule->pattern;
			ev->seq = rn->seq;
			ev->rule = rule;
			ev->item = it;
			ev->line = (int)xmlGetLineNo(node);
			ev->node = node;
			ev->message = render_msg(rn, &it->msg, node, vars, &errtext);
			if (it->ndiags) {
				ev->diag_texts = arena_alloc(&rn->arena, it->ndiags * sizeof(char *));
				for (size_t d = 0; ev->diag_texts && d < it->ndiags; d++) {
					const struct sch_diagnostic *dg = strmap_get(&rn->sch->diagnostics, it->diags[d]);
					ev->diag_texts[d] = dg ? render_msg(rn, &dg->msg, node, vars, &errtext) : NULL;
				}
			}
		}
	}
	rn->run->current = NULL;
	xp_pool_reset(&rn->run->pool, mark);
	return rc;
}

/* Visits node: the rules whose context matches it fire, the first per
 * pattern (rules come in schema order); the node stays entered in the
 * pattern walk until its subtree is done (leave). */
static int visit_node(struct runner *rn, xmlNode *node)
{
	const zib_schematron *sch = rn->sch;
	const struct xp_hit *hits;
	size_t nhits;

	rn->seq++;
	if (xp_patwalk_enter(rn->walk, node, &hits, &nhits) < 0)
		return -1;
	for (size_t i = 0; i < nhits; i++) {
		const struct sch_rule *rule = &sch->rules[hits[i].id];
		if (rn->fired[rule->pattern] == rn->seq)
			continue;   /* this pattern already fired a rule for the node */
		if (hits[i].error) {
			if (record_error(rn, rule, NULL, node, hits[i].error) < 0)
				return -1;
			continue;
		}
		rn->fired[rule->pattern] = (unsigned)rn->seq;
		if (fire(rn, rule, node) < 0)
			return -1;
	}
	return 0;
}

static int walk(struct runner *rn, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (visit_node(rn, c) < 0)
			return -1;
		if (rn->attributes)
			for (xmlAttr *a = c->properties; a; a = a->next) {
				if (visit_node(rn, (xmlNode *)a) < 0)
					return -1;
				xp_patwalk_leave(rn->walk);
			}
		if (c->children && walk(rn, c) < 0)
			return -1;
		xp_patwalk_leave(rn->walk);
	}
	return 0;
}

static int event_cmp(const void *x, const void *y)
{
	const struct event *a = x, *b = y;

	if (a->pattern != b->pattern)
		return a->pattern < b->pattern ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Messages become one line: runs of whitespace are one space. */
static void one_line(char *s)
{
	char *o = s, *start = s;
	int space = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = o != start;
			continue;
		}
		if (space) {
			*o++ = ' ';
			space = 0;
		}
		*o++ = *s;
	}
	*o = '\0';
}

static void svrl_write(struct runner *rn, struct buf *b)
{
	const zib_schematron *sch = rn->sch;
	size_t e = 0;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svrl:schematron-output "
		"xmlns:svrl=\"http://purl.oclc.org/dsdl/svrl\"");
	if (sch->title) {
		buf_puts(b, " title=\"");
		buf_xml_escape(b, sch->title);
		buf_putc(b, '"');
	}
	buf_puts(b, " schemaVersion=\"\"");
	if (sch->phase && strcmp(sch->phase, "#ALL") != 0) {
		buf_puts(b, " phase=\"");
		buf_xml_escape(b, sch->phase);
		buf_putc(b, '"');
	}
	buf_puts(b, ">\n");
	for (size_t i = 0; i < sch->nns; i++) {
		buf_puts(b, "  <svrl:ns-prefix-in-attribute-values uri=\"");
		buf_xml_escape(b, sch->ns[2 * i + 1]);
		buf_puts(b, "\" prefix=\"");
		buf_xml_escape(b, sch->ns[2 * i]);
		buf_puts(b, "\"/>\n");
	}
	for (size_t p = 0; p < sch->npatterns; p++) {
		buf_puts(b, "  <svrl:active-pattern");
		if (sch->patterns[p].id) {
			buf_puts(b, " id=\"");
			buf_xml_escape(b, sch->patterns[p].id);
			buf_putc(b, '"');
		}
		if (sch->patterns[p].name) {
			buf_puts(b, " name=\"");
			buf_xml_escape(b, sch->patterns[p].name);
			buf_putc(b, '"');
		}
		buf_puts(b, "/>\n");
		for (; e < rn->nev && rn->ev[e].pattern == p; e++) {
			const struct event *ev = &rn->ev[e];
			const struct sch_item *it = ev->item;
			if (ev->error)
				continue;
			if (!it) {
				buf_puts(b, "  <svrl:fired-rule context=\"");
				buf_xml_escape(b, ev->rule->context_src);
				buf_putc(b, '"');
				if (ev->rule->id) {
					buf_puts(b, " id=\"");
					buf_xml_escape(b, ev->rule->id);
					buf_putc(b, '"');
				}
				buf_puts(b, "/>\n");
				continue;
			}
			buf_puts(b, it->kind == 'a' ? "  <svrl:failed-assert test=\"" :
				"  <svrl:successful-report test=\"");
			buf_xml_escape(b, it->src);
			buf_putc(b, '"');
			if (it->id) {
				buf_puts(b, " id=\"");
				buf_xml_escape(b, it->id);
				buf_putc(b, '"');
			}
			if (it->role) {
				buf_puts(b, " role=\"");
				buf_xml_escape(b, it->role);
				buf_putc(b, '"');
			}
			if (it->flag) {
				buf_puts(b, " flag=\"");
				buf_xml_escape(b, it->flag);
				buf_putc(b, '"');
			}
			if (it->see) {
				buf_puts(b, " see=\"");
				buf_xml_escape(b, it->see);
				buf_putc(b, '"');
			}
			buf_puts(b, " location=\"");
			buf_xml_escape(b, location(rn, ev->node));
			buf_puts(b, "\">\n    <svrl:text>");
			buf_xml_escape(b, ev->message);
			buf_puts(b, "</svrl:text>\n");
			for (size_t d = 0; ev->diag_texts && d < it->ndiags; d++) {
				buf_puts(b, "    <svrl:diagnostic-reference diagnostic=\"");
				buf_xml_escape(b, it->diags[d]);
				buf_puts(b, "\">");
				buf_xml_escape(b, ev->diag_texts[d] ? ev->diag_texts[d] : "");
				buf_puts(b, "</svrl:diagnostic-reference>\n");
			}
			buf_puts(b, it->kind == 'a' ? "  </svrl:failed-assert>\n" : "  </svrl:successful-report>\n");
		}
	}
	buf_puts(b, "</svrl:schematron-output>\n");
}

int schematron_run_doc(const zib_schematron *sch, xmlDoc *doc, const char *file, int cda_paths,
	zib_report *report, char **svrl, size_t *failed, zib_error *err)
{
	struct runner rn;
	struct xp_var *gvars = NULL;
	int rc;
	size_t nfailed = 0;

	if (svrl)
		*svrl = NULL;
	if (failed)
		*failed = 0;
	xmlXPathOrderDocElems(doc);
	memset(&rn, 0, sizeof(rn));
	rn.sch = sch;
	rn.file = file;
	rn.want_fired = svrl != NULL;
	arena_init(&rn.arena);
	rn.worker = worker_take(sch);
	rn.fired = calloc(sch->npatterns + 1, sizeof(*rn.fired));
	if (!rn.worker || !rn.fired) {
		rc = error_set(err, ZIB_ENOMEM, "out of memory");
		goto done;
	}
	rn.run = &rn.worker->run;
	/* schema, phase and pattern lets: evaluated once, on the document node */
	for (size_t i = 0; i < sch->nglobals; i++) {
		struct xp_var *v = xp_alloc(&rn.run->pool, sizeof(*v));
		struct xp_item ctx;
		if (!v) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			goto done;
		}
		xp_item_node(&ctx, (xmlNode *)doc);
		v->name = sch->globals[i].name;
		v->next = gvars;
		rn.run->error[0] = '\0';
		if (xp_eval(sch->globals[i].expr, rn.run, &ctx, gvars, &v->value) < 0) {
			rc = error_set(err, ZIB_ERROR, "%s:%d: cannot evaluate let '%s': %s",
				sch->globals[i].file, sch->globals[i].line, v->name, rn.run->error);
			goto done;
		}
		gvars = v;
	}
	rn.globals = gvars;
	rn.attributes = xp_patset_has_attributes(sch->contexts);
	rn.walk = rn.worker->walk;
	xp_patwalk_reset(rn.walk, gvars);
	if (visit_node(&rn, (xmlNode *)doc) < 0 || walk(&rn, (xmlNode *)doc) < 0) {
		rc = error_set(err, ZIB_ENOMEM, "out of memory validating '%s'", file);
		goto done;
	}
	if (rn.nev)
		qsort(rn.ev, rn.nev, sizeof(*rn.ev), event_cmp);
	for (size_t i = 0; i < rn.nev; i++) {
		struct event *ev = &rn.ev[i];
		zib_diag d;
		char *msg;
		char path[4096];
		if (!ev->item && !ev->error)
			continue;
		memset(&d, 0, sizeof(d));
		d.file = file;
		d.line = ev->line;
		d.path = cda_paths ? xml_node_path_hl7(ev->node, path, sizeof(path)) : location(&rn, ev->node);
		if (ev->error) {
			d.severity = ZIB_SEV_ERROR;
			d.code = ZIB_SCH_CODE_EVAL;
		} else {
			d.severity = ev->item->severity;
			d.code = ev->item->code;
			nfailed++;
		}
		msg = arena_strdup(&rn.arena, ev->message);
		if (msg)
			one_line(msg);
		d.message = msg;
		if (report && zib_report_add(report, &d) < 0) {
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (svrl) {
		struct buf b = BUF_INIT;
		svrl_write(&rn, &b);
		if (b.oom) {
			buf_release(&b);
			rc = error_set(err, ZIB_ENOMEM, "out of memory");
			goto done;
		}
		*svrl = buf_detach(&b, NULL);
	}
	if (failed)
		*failed = nfailed;
	rc = ZIB_OK;
done:
	worker_give_back(sch, rn.worker);
	free(rn.fired);
	free(rn.ev);
	arena_release(&rn.arena);
	return rc;
}

int zib_schematron_run(const zib_schematron *sch, const char *data, size_t len,
	const char *file, zib_report *report, char **svrl, size_t *failed, zib_error *err)
{
	xmlDoc *doc = NULL;
	int rc;

	if (svrl)
		*svrl = NULL;
	if (failed)
		*failed = 0;
	rc = xml_parse(&doc, data, len, file, report, err);
	if (rc < 0)
		return rc;
	rc = schematron_run_doc(sch, doc, file, 0, report, svrl, failed, err);
	xmlFreeDoc(doc);
	return rc;
}
