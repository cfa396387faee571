/*
 * zib_doc: building (for readers) and reading (public accessors) the zib
 * instances of one document, and its tree dump.
 */
#include <stdlib.h>
#include <string.h>

#include "model/doc.h"

struct zib_doc *doc_new(const zib_ctx *ctx, const char *file, enum zib_source_format format)
{
	struct zib_doc *doc = calloc(1, sizeof(*doc));

	if (!doc)
		return NULL;
	doc->ctx = ctx;
	doc->format = format;
	doc->file = arena_strdup(&doc->arena, file ? file : "<input>");
	if (!doc->file) {
		free(doc);
		return NULL;
	}
	return doc;
}

const char *doc_str(struct zib_doc *doc, const char *s)
{
	return s ? arena_strdup(&doc->arena, s) : NULL;
}

struct zib_instance *doc_add_instance(struct zib_doc *doc, const struct zib_model *model,
	const char *id, int line, const char *path)
{
	struct zib_instance *inst = arena_alloc(&doc->arena, sizeof(*inst));

	if (!inst)
		return NULL;
	inst->model = model;
	inst->id = doc_str(doc, id);
	inst->line = line;
	inst->path = doc_str(doc, path);
	inst->prev = doc->last_instance;
	if (doc->last_instance)
		doc->last_instance->next = inst;
	else
		doc->instances = inst;
	doc->last_instance = inst;
	doc->ninstances++;
	return inst;
}

void doc_unlink_instance(struct zib_doc *doc, struct zib_instance *inst)
{
	/* Linked: the first, or one with a predecessor. */
	if (doc->instances != inst && !inst->prev)
		return;
	if (inst->prev)
		inst->prev->next = inst->next;
	else
		doc->instances = inst->next;
	if (inst->next)
		inst->next->prev = inst->prev;
	else
		doc->last_instance = inst->prev;
	inst->prev = NULL;
	doc->ninstances--;
}

static enum zib_value_type type_of(const struct zib_concept *c)
{
	static const struct { const char *name; enum zib_value_type type; } types[] = {
		{ "CD", ZIB_VALUE_CD }, { "CO", ZIB_VALUE_CO }, { "ST", ZIB_VALUE_ST },
		{ "TS", ZIB_VALUE_TS }, { "PQ", ZIB_VALUE_PQ }, { "II", ZIB_VALUE_II },
		{ "BL", ZIB_VALUE_BL }, { "INT", ZIB_VALUE_INT }, { "ED", ZIB_VALUE_ED },
		{ "ANY", ZIB_VALUE_ANY },
	};
	size_t i;

	for (i = 0; c && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(c->datatype, types[i].name) == 0)
			return types[i].type;
	return ZIB_VALUE_GROUP;
}

struct zib_value *doc_add_value(struct zib_doc *doc, struct zib_instance *inst,
	struct zib_value *parent, const struct zib_concept *concept, int line, const char *path)
{
	struct zib_value *v = arena_alloc(&doc->arena, sizeof(*v));

	if (!v)
		return NULL;
	v->concept = concept;
	v->type = type_of(concept);
	v->line = line;
	v->path = doc_str(doc, path);
	if (parent) {
		if (parent->last_child)
			parent->last_child->next = v;
		else
			parent->children = v;
		parent->last_child = v;
	} else {
		if (inst->last_value)
			inst->last_value->next = v;
		else
			inst->values = v;
		inst->last_value = v;
	}
	return v;
}

void doc_drop_last_value(struct zib_instance *inst, struct zib_value *parent, struct zib_value *v)
{
	struct zib_value **first = parent ? &parent->children : &inst->values;
	struct zib_value **last = parent ? &parent->last_child : &inst->last_value;
	struct zib_value *p;

	if (*first == v) {
		*first = *last = NULL;
		return;
	}
	for (p = *first; p && p->next != v; p = p->next)
		;
	if (p) {
		p->next = NULL;
		*last = p;
	}
}

int doc_add_unmapped(struct zib_doc *doc, const char *file, int line, const char *path, const char *what)
{
	if (doc->nunmapped == doc->unmapped_cap) {
		size_t cap = doc->unmapped_cap ? doc->unmapped_cap * 2 : 16;
		struct unmapped *p = arena_alloc(&doc->arena, cap * sizeof(*p));
		if (!p)
			return -1;
		if (doc->nunmapped)
			memcpy(p, doc->unmapped, doc->nunmapped * sizeof(*p));
		doc->unmapped = p;
		doc->unmapped_cap = cap;
	}
	doc->unmapped[doc->nunmapped].file = file && (!doc->file || strcmp(file, doc->file) != 0) ?
		doc_str(doc, file) : NULL;
	doc->unmapped[doc->nunmapped].line = line;
	doc->unmapped[doc->nunmapped].path = doc_str(doc, path);
	doc->unmapped[doc->nunmapped].what = doc_str(doc, what);
	doc->nunmapped++;
	return 0;
}

struct doc_section *doc_add_section(struct zib_doc *doc, const char *template_id,
	const char *code, const char *title, const char *text, int line, const char *path)
{
	struct doc_section *sec = arena_alloc(&doc->arena, sizeof(*sec));

	if (!sec)
		return NULL;
	memset(sec, 0, sizeof(*sec));
	sec->template_id = doc_str(doc, template_id);
	sec->code = doc_str(doc, code);
	sec->title = doc_str(doc, title);
	sec->text = doc_str(doc, text);
	sec->line = line;
	sec->path = doc_str(doc, path);
	if (doc->last_section)
		doc->last_section->next = sec;
	else
		doc->sections = sec;
	doc->last_section = sec;
	doc->nsections++;
	return sec;
}

size_t zib_doc_section_count(const zib_doc *doc) { return doc->nsections; }

void zib_doc_section_at(const zib_doc *doc, size_t index, const char **template_id,
	const char **title, int *has_text, size_t *entries, int *line)
{
	const struct doc_section *s = doc->sections;

	while (s && index--)
		s = s->next;
	if (template_id)
		*template_id = s ? s->template_id : NULL;
	if (title)
		*title = s ? s->title : NULL;
	if (has_text)
		*has_text = s && s->text && *s->text;
	if (entries)
		*entries = s ? s->nentries : 0;
	if (line)
		*line = s ? s->line : 0;
}

void zib_doc_free(zib_doc *doc)
{
	if (!doc)
		return;
	arena_release(&doc->arena);
	free(doc);
}

const char *zib_doc_file(const zib_doc *doc) { return doc->file; }
zib_source_format zib_doc_format(const zib_doc *doc) { return doc->format; }
size_t zib_doc_instance_count(const zib_doc *doc) { return doc->ninstances; }

const zib_instance *zib_doc_instance_at(const zib_doc *doc, size_t index)
{
	const struct zib_instance *inst = doc->instances;

	while (inst && index--)
		inst = inst->next;
	return inst;
}

size_t zib_doc_unmapped_count(const zib_doc *doc) { return doc->nunmapped; }
size_t zib_doc_malformed_lines(const zib_doc *doc) { return doc->malformed_lines; }

void zib_doc_unmapped_at(const zib_doc *doc, size_t index, int *line,
	const char **path, const char **what)
{
	const struct unmapped *u = index < doc->nunmapped ? &doc->unmapped[index] : NULL;

	if (line)
		*line = u ? u->line : 0;
	if (path)
		*path = u ? u->path : NULL;
	if (what)
		*what = u ? u->what : NULL;
}

const char *zib_doc_unmapped_file(const zib_doc *doc, size_t index)
{
	const struct unmapped *u = index < doc->nunmapped ? &doc->unmapped[index] : NULL;

	return u && u->file ? u->file : doc->file;
}

const zib_model *zib_instance_model(const zib_instance *inst) { return inst->model; }
const char *zib_instance_id(const zib_instance *inst) { return inst->id; }
int zib_instance_line(const zib_instance *inst) { return inst->line; }
const char *zib_instance_path(const zib_instance *inst) { return inst->path; }
const zib_value *zib_instance_values(const zib_instance *inst) { return inst->values; }

const zib_value *zib_value_next(const zib_value *v) { return v->next; }
const zib_value *zib_value_children(const zib_value *v) { return v->children; }
const zib_concept *zib_value_concept(const zib_value *v) { return v->concept; }
zib_value_type zib_value_get_type(const zib_value *v) { return v->type; }
const char *zib_value_code(const zib_value *v) { return v->code; }
const char *zib_value_system(const zib_value *v) { return v->system; }
const char *zib_value_display(const zib_value *v) { return v->display; }
const char *zib_value_text(const zib_value *v) { return v->text; }
const char *zib_value_number(const zib_value *v) { return v->number; }
const char *zib_value_unit(const zib_value *v) { return v->unit; }
const char *zib_value_per(const zib_value *v) { return v->per; }
const char *zib_value_null_flavor(const zib_value *v) { return v->null_flavor; }
const char *zib_value_ref(const zib_value *v) { return v->ref; }
const zib_instance *zib_value_target(const zib_value *v) { return v->target; }
int zib_value_line(const zib_value *v) { return v->line; }
const char *zib_value_path(const zib_value *v) { return v->path; }

const char *zib_source_format_name(zib_source_format f)
{
	switch (f) {
	case ZIB_FORMAT_CDA: return "cda";
	case ZIB_FORMAT_FHIR_XML: return "fhir-xml";
	case ZIB_FORMAT_FHIR_JSON: return "fhir-json";
	case ZIB_FORMAT_ADA: return "ada";
	default: return "unknown";
	}
}

static void write_value(FILE *out, const struct zib_value *v, int depth, int with_locations)
{
	for (; v; v = v->next) {
		const struct zib_concept *c = v->concept;

		fprintf(out, "%*s%s %s", depth * 2, "", c ? c->id : "?", c ? c->name_nl : "?");
		if (v->null_flavor)
			fprintf(out, " nullFlavor=%s", v->null_flavor);
		if (v->code)
			fprintf(out, " code=%s", v->code);
		if (v->number)
			fprintf(out, " value=%s", v->number);
		if (v->unit)
			fprintf(out, " unit=%s", v->unit);
		if (v->per)
			fprintf(out, " per=%s", v->per);
		/* (a PQ's system and display are its unit's) */
		if (v->system)
			fprintf(out, " system=%s", v->system);
		if (v->display)
			fprintf(out, " display=\"%s\"", v->display);
		if (v->text)
			fprintf(out, " text=\"%s\"", v->text);
		if (v->type == ZIB_VALUE_BL && !v->null_flavor)
			fprintf(out, " %s", v->boolean ? "true" : "false");
		if (v->ref)
			fprintf(out, " ref=%s%s", v->ref, v->target ? "" : " (unresolved)");
		if (with_locations && v->line)
			fprintf(out, "  @%d", v->line);
		fputc('\n', out);
		write_value(out, v->children, depth + 1, with_locations);
	}
}

void zib_doc_write_tree(FILE *out, const zib_doc *doc, int with_locations)
{
	const struct zib_instance *inst;
	const struct doc_section *sec;
	size_t i;

	fprintf(out, "document %s (%s%s%s)\n", doc->file, zib_source_format_name(doc->format),
		doc->source_version ? ", " : "", doc->source_version ? doc->source_version : "");
	for (sec = doc->sections; sec; sec = sec->next) {
		fprintf(out, "section %s \"%s\" entries=%zu%s", sec->template_id ? sec->template_id : "-",
			sec->title ? sec->title : "", sec->nentries, sec->text && *sec->text ? " text" : "");
		if (with_locations && sec->line)
			fprintf(out, "  @%d", sec->line);
		fputc('\n', out);
	}
	for (inst = doc->instances; inst; inst = inst->next) {
		fprintf(out, "%s %s", inst->model->name_nl, inst->model->root);
		if (inst->id)
			fprintf(out, " id=%s", inst->id);
		if (with_locations && inst->line)
			fprintf(out, "  @%d", inst->line);
		fputc('\n', out);
		write_value(out, inst->values, 1, with_locations);
	}
	for (i = 0; i < doc->nunmapped; i++)
		fprintf(out, "unmapped %s%s%s\n", doc->unmapped[i].what,
			doc->unmapped[i].path ? " at " : "",
			doc->unmapped[i].path ? doc->unmapped[i].path : "");
}

const char *zib_doc_source_version(const zib_doc *doc)
{
	return doc->source_version;
}
