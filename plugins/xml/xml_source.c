/* The xml source: one row per record element, streamed with libxml2's
 * xmlTextReader.  Only the record being read is ever a tree (expanded,
 * read, then freed by the reader as it moves on), so memory stays flat
 * whatever the file size.
 *
 * Safety: the reader runs with XML_PARSE_NONET and without NOENT, DTDLOAD,
 * DTDATTR, DTDVALID, XINCLUDE or HUGE: no external DTD or entity is ever
 * loaded (a record that needs one fails the run rather than losing text).
 * A DTD that declares entities is refused unless allow_entities is set;
 * then internal entities are expanded by us (xml_text.c), each field
 * capped by max_field_bytes and all expansion by ENTITY_AMPLIFICATION.
 *
 * Memory: libxml2 builds a tree only for what one step of the reader
 * covers (a record expanded, or one node outside records).  read_input()
 * refuses to feed one step more than max_record_bytes of the file, so no
 * record, DTD, comment or tag can make that tree grow without bound; field
 * text is capped by max_field_bytes; nesting by max_depth. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <support/hzs_buf.h>
#include <support/hzs_input.h>
#include <support/hzs_record.h>
#include <support/hzs_required.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlversion.h>

#include "xml_path.h"
#include "xml_plugin.h"
#include "xml_text.h"

/* libxml2 2.12 passes errors as const. */
#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST const
#else
#define XML_ERROR_CONST
#endif

#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* libxml2 keeps element line numbers in 16 bits (capped, not wrapped). */
#define CAPPED_LINE 65535

/* libxml2 warnings shown before the rest are only counted. */
#define MAX_WARNINGS 5

/* With allow_entities, the text entities add over the whole file may be
 * at most this many times the bytes read, plus ENTITY_ALLOWANCE: a few
 * abbreviations pass, a bomb does not. */
#define ENTITY_AMPLIFICATION 10
#define ENTITY_ALLOWANCE     (1024 * 1024)

/* libxml2's own nesting limit without XML_PARSE_HUGE (which stays off):
 * max_depth can only lower it. */
#define LIBXML_MAX_DEPTH 256

typedef struct xml_source {
    hzs_input in; /* the file, or a pipe read once */
    hz_component *c;
    const char *path;  /* in.path, also the document's name for libxml2 */
    const char *shown; /* the path as messages show it */
    const char *record_text;
    xml_path record;
    size_t ncols;
    xml_path *fields;
    const char **field_text; /* the paths as written, for reject details */
    const char **names;      /* the columns */
    bool *required;
    uint32_t feed;

    xmlTextReaderPtr reader;
    bool started, finished;
    bool at_end;        /* xmlTextReaderNext found the end of the document */
    bool positioned;    /* the reader already stands on the next node */
    const char **stack; /* local names of the current element's ancestors-or-self */
    size_t stack_cap;
    uint64_t text_before; /* end line of a text node just visited, else 0 */
    hzs_record rec;       /* the current record's field text */
    bool *present;        /* per column: its element or attribute exists */
    uint64_t records;

    int64_t max_field_bytes, max_record_bytes, max_depth;
    bool allow_entities;

    /* the step of the reader being fed (see read_input) */
    uint64_t step_start;   /* in.bytes when it began */
    bool step_is_record;   /* expanding a record */
    uint64_t record_line;  /* the record's line, for messages */
    bool step_too_big;     /* read_input refused to feed it more */
    bool too_deep;         /* libxml2 refused the nesting */
    bool dtd_checked;      /* entity declarations looked for */
    uint64_t entity_bytes; /* text added by entity references so far */

    /* the line of the first "<!ENTITY" among the bytes read before the
     * DTD was checked, for the refusal's message */
    uint64_t scan_line;
    size_t scan_matched;
    uint64_t entity_line;

    bool io_failed; /* reading the input failed (reported) */
    char *error;    /* libxml2's first error, as FILE:LINE:COL: MESSAGE */
    bool error_located;
    unsigned warnings;
} xml_source;

static const hz_option source_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the XML file to read (its declared encoding is honoured); \"-\" is standard input (read once)", NULL},
    {"record", HZ_OPT_STRING, NULL, true,
     "the element holding one record: a name (at any depth) or a path ending at it (returns/case; "
     "/returns/case from the root)",
     NULL},
    {"fields", HZ_OPT_MAP, NULL, true,
     "column: path inside the record (departure, person/name, @id, origin/@code, . for its own text)", NULL},
    {"required", HZ_OPT_LIST, NULL, false,
     "columns whose element or attribute must be present, else the record is rejected (malformed_row)", NULL},
    {"max_field_bytes", HZ_OPT_INT, "16777216", false,
     "a field whose text is longer fails the run (entities included)", NULL},
    {"max_record_bytes", HZ_OPT_INT, "1048576", false,
     "a record (or a DTD, comment or tag outside records) longer than this in the file fails the run", NULL},
    {"max_depth", HZ_OPT_INT, "256", false,
     "elements nested deeper than this fail the run (1 to 256, libxml2's own limit)", NULL},
    {"allow_entities", HZ_OPT_BOOL, "false", false,
     "accept a DTD that declares entities (their expansion stays capped); refused otherwise", NULL},
    HZS_INPUT_OPTIONS,
    {0},
};

/* A limit option: positive, and at most `most`. */
static int positive_option(xml_source *s, const char *name, int64_t most, int64_t *out) {
    *out = hz->opt_int(s->c, name);
    if (*out > 0 && *out <= most) return 0;
    if (most == INT64_MAX)
        hz->config_error(s->c, hz->option(s->c, name), "'%s' must be a positive number of bytes", name);
    else
        hz->config_error(s->c, hz->option(s->c, name), "'%s' must be from 1 to %lld", name, (long long)most);
    return -1;
}

static int read_limits(xml_source *s) {
    int rc = 0;
    if (positive_option(s, "max_field_bytes", INT64_MAX, &s->max_field_bytes) != 0) rc = -1;
    if (positive_option(s, "max_record_bytes", INT64_MAX, &s->max_record_bytes) != 0) rc = -1;
    if (positive_option(s, "max_depth", LIBXML_MAX_DEPTH, &s->max_depth) != 0) rc = -1;
    s->allow_entities = hz->opt_bool(s->c, "allow_entities");
    return rc;
}

static int source_create(hz_component *c, void **self) {
    xml_source *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    hzs_input_init(&s->in, c);
    s->path = s->in.path;
    s->shown = s->in.shown;
    /* Make sure the library matches the headers we were built with. */
    LIBXML_TEST_VERSION;
    return read_limits(s);
}

static int plan_record(xml_source *s) {
    const hz_value *v = hz->option(s->c, "record");
    const char *why = NULL;
    s->record_text = hz->value_string(v);
    if (!s->record_text || xml_path_parse(s->record_text, true, &s->record, &why) != 0) {
        hz->config_error(s->c, v, "'record' must name an element, e.g. case or returns/case: %s",
                         why ? why : "a scalar is expected");
        return -1;
    }
    return 0;
}

static int plan_fields(xml_source *s, hz_schema *out) {
    const hz_value *map = hz->option(s->c, "fields");
    s->ncols = hz->value_count(map);
    size_t n = s->ncols ? s->ncols : 1;
    s->fields = hz->xcalloc(n, sizeof *s->fields);
    s->field_text = hz->xcalloc(n, sizeof *s->field_text);
    s->names = hz->xcalloc(n, sizeof *s->names);
    s->required = hz->xcalloc(n, sizeof *s->required);
    s->present = hz->xcalloc(n, sizeof *s->present);
    hzs_record_init(&s->rec, s->ncols);
    if (s->ncols == 0) {
        hz->config_error(s->c, map, "'fields' needs at least one column: path entry");
        return -1;
    }
    int rc = 0;
    for (size_t j = 0; j < s->ncols; j++) {
        const hz_value *key = hz->value_key(map, j), *val = hz->value_item(map, j);
        const char *why = NULL;
        s->names[j] = hz->value_string(key);
        s->field_text[j] = hz->value_string(val);
        if (hz->schema_add(s->c, out, s->names[j], key) != 0) rc = -1;
        if (!s->field_text[j] || xml_path_parse(s->field_text[j], false, &s->fields[j], &why) != 0) {
            hz->config_error(s->c, val,
                             "field '%s' needs a path inside the record, e.g. person/name or @id: %s",
                             s->names[j] ? s->names[j] : "?", why ? why : "a scalar is expected");
            rc = -1;
        }
    }
    return rc;
}

static int source_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)in;
    xml_source *s = self;
    int rc = plan_record(s);
    if (plan_fields(s, out) != 0) rc = -1;
    if (hzs_required_plan(c, out, s->ncols, "fields", s->required) != 0) rc = -1;
    s->feed = hz->feed(c, s->path);
    /* A missing feed is reported now, so `harmonize validate` sees it; a
     * pipe is opened once, here, and stays open for the run.  Nothing is
     * read. */
    if (hzs_input_plan(&s->in, s->feed) != 0) rc = -1;
    s->shown = s->in.shown; /* a zip member: archive:member */
    hzs_input_plan_end(&s->in);
    return rc;
}

static void on_xml_error(void *arg, XML_ERROR_CONST xmlError *e) {
    xml_source *s = arg;
    if (!e || !e->message) return;
    int n = (int)strlen(e->message);
    while (n > 0 && (e->message[n - 1] == '\n' || e->message[n - 1] == ' ')) n--;
    const char *file = !e->file ? NULL : strcmp(e->file, s->path) == 0 ? s->shown : e->file;
    /* libxml2's nesting limit is reported as max_depth's */
    if (strstr(e->message, "Excessive depth")) s->too_deep = true;
    if (e->level == XML_ERR_WARNING) {
        if (s->warnings++ < MAX_WARNINGS)
            hz->log(s->c, HZ_LOG_WARN, "%s:%d:%d: %.*s", file ? file : s->shown, e->line, e->int2, n,
                    e->message);
        return;
    }
    /* Keep the first error; but errors inside an entity's text carry no
     * file, and the one that follows (where the entity is used) is the
     * useful report. */
    if (s->error && (s->error_located || !file)) return;
    hzs_buf b = {0};
    if (file)
        hzs_buf_printf(&b, "%s:%d:%d: ", file, e->line, e->int2);
    else
        hzs_buf_printf(&b, "%s: ", s->shown);
    /* One line: libxml2 adds the offending bytes on a line of their own. */
    for (int i = 0; i < n; i++) hzs_buf_addc(&b, e->message[i] == '\n' ? ' ' : e->message[i]);
    free(s->error);
    s->error = hzs_buf_take(&b);
    s->error_located = file != NULL;
}

static uint64_t parser_line(const xml_source *s) {
    int line = s->reader ? xmlTextReaderGetParserLineNumber(s->reader) : 0;
    return line > 0 ? (uint64_t)line : 0;
}

static int fail_too_deep(xml_source *s, uint64_t line) {
    hz->error(s->c, "%s:%llu: elements nested deeper than max_depth (%lld)", s->shown,
              (unsigned long long)line, (long long)s->max_depth);
    return -1;
}

/* Fail the run with our own limit's message, libxml2's first error, or
 * `fallback`. */
static int fail(xml_source *s, const char *fallback) {
    if (s->io_failed) return -1; /* reported by hzs_input_read */
    if (s->step_too_big && s->step_is_record) {
        hz->error(s->c,
                  "%s:%llu: the record is over max_record_bytes (%lld bytes of XML): the file is broken, or "
                  "raise max_record_bytes",
                  s->shown, (unsigned long long)s->record_line, (long long)s->max_record_bytes);
    } else if (s->step_too_big) {
        hz->error(s->c,
                  "%s:%llu: over max_record_bytes (%lld) of XML in one node (a huge DTD, comment, text or "
                  "tag?)",
                  s->shown, (unsigned long long)parser_line(s), (long long)s->max_record_bytes);
    } else if (s->too_deep) {
        return fail_too_deep(s, parser_line(s));
    } else if (s->reader && s->in.bytes == 0)
        hz->error(s->c, "%s is empty: an XML document needs at least a root element", s->shown);
    else if (s->error)
        hz->error(s->c, "%s", s->error);
    else
        hz->error(s->c, "%s: %s", s->shown, fallback);
    return -1;
}

/* Note the line of the first "<!ENTITY" in bytes read before the DTD is
 * checked (only for the refusal's message: the DTD itself says whether
 * entities are declared). */
static void scan_for_entity(xml_source *s, const char *buf, size_t n) {
    static const char decl[] = "<!ENTITY";
    for (size_t i = 0; i < n && !s->entity_line; i++) {
        if (buf[i] == '\n') s->scan_line++;
        if (buf[i] == decl[s->scan_matched])
            s->scan_matched++;
        else
            s->scan_matched = buf[i] == '<';
        if (s->scan_matched == sizeof decl - 1) s->entity_line = s->scan_line + 1;
    }
}

/* libxml2 reads through hzs_input, so that the bytes are counted (an
 * empty pipe is told from a broken document) and whatever plan() might
 * keep of a pipe is read first.  One step of the reader is fed at most
 * max_record_bytes (and one read's worth more): past that, libxml2 sees
 * a read error and stops, and fail() tells why. */
static int read_input(void *ctx, char *buf, int len) {
    xml_source *s = ctx;
    if (hzs_input_data_bytes(&s->in) - s->step_start > (uint64_t)s->max_record_bytes) {
        s->step_too_big = true;
        return -1;
    }
    ssize_t got = len > 0 ? hzs_input_read(&s->in, buf, (size_t)len) : 0;
    if (got < 0) s->io_failed = true;
    if (got > 0 && !s->dtd_checked) scan_for_entity(s, buf, (size_t)got);
    return (int)got;
}

/* One step of the reader begins: it may read max_record_bytes from here. */
static void begin_step(xml_source *s, bool record) {
    s->step_start = hzs_input_data_bytes(&s->in);
    s->step_is_record = record;
}

static int start_reading(xml_source *s) {
    if (hzs_input_open(&s->in) != 0) return -1;
    /* no close callback: hzs_input closes the descriptor */
    s->reader = xmlReaderForIO(read_input, NULL, s, s->path, NULL, READER_OPTIONS);
    if (!s->reader) return fail(s, "cannot start the XML reader");
    xmlTextReaderSetStructuredErrorHandler(s->reader, on_xml_error, s);
    s->started = true;
    return 0;
}

static void stop_reading(xml_source *s) {
    if (s->reader) xmlFreeTextReader(s->reader);
    s->reader = NULL;
    hzs_input_close(&s->in);
}

/* The end line of a text node (libxml2 records it when the text ends;
 * past 65535 lines XML_PARSE_BIG_LINES keeps the real one in psvi). */
static uint64_t text_end_line(const xmlNode *t) {
    if (!t || t->type != XML_TEXT_NODE) return 0;
    if (t->line < CAPPED_LINE) return t->line;
    return t->psvi ? (uint64_t)(uintptr_t)t->psvi : 0;
}

static uint64_t newlines(const xmlChar *s) {
    uint64_t n = 0;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

/* The line of a record's start tag.  Text that ends right before it ends
 * on the line of its '<' (exact).  Otherwise libxml2's element line is the
 * line where the start tag ends (the same unless the tag spans lines), but
 * it stops at 65535: past that, the record's first text node, less its
 * line breaks, or at worst the parser's position. */
static uint64_t record_line(xml_source *s, const xmlNode *rec) {
    if (s->text_before) return s->text_before;
    if (rec->line < CAPPED_LINE) return rec->line;
    const xmlNode *t = rec->children;
    while (t && t->type == XML_ELEMENT_NODE) t = t->children;
    uint64_t end = text_end_line(t), breaks = t ? newlines(t->content) : 0;
    if (end > breaks) return end - breaks;
    return (uint64_t)xmlTextReaderGetParserLineNumber(s->reader);
}

/* The first entity the document's DTD declares, or NULL. */
static const xmlEntity *declared_entity(const xmlNode *node) {
    const xmlDtd *dtd = node && node->doc ? node->doc->intSubset : NULL;
    for (const xmlNode *n = dtd ? dtd->children : NULL; n; n = n->next)
        if (n->type == XML_ENTITY_DECL) return (const xmlEntity *)n;
    return NULL;
}

/* At the DTD, or at the root element if there is none: refuse entity
 * declarations unless allow_entities.  The whole internal subset has been
 * parsed by then, and no entity has been expanded. */
static int check_dtd(xml_source *s) {
    s->dtd_checked = true;
    const xmlEntity *ent = declared_entity(xmlTextReaderCurrentNode(s->reader));
    if (!ent || s->allow_entities) return 0;
    uint64_t line = s->entity_line ? s->entity_line : parser_line(s);
    hz->error(s->c,
              "%s:%llu: the DTD declares entity '%s': entity declarations are refused (they are how entity "
              "bombs and external entities get in); if this feed needs them, set 'allow_entities: true' on "
              "this source (their expansion stays capped by max_field_bytes)",
              s->shown, (unsigned long long)line, (const char *)ent->name);
    return -1;
}

/* The line of the element the reader stands on (a record's start). */
static uint64_t element_line(xml_source *s) {
    if (s->text_before) return s->text_before;
    const xmlNode *n = xmlTextReaderCurrentNode(s->reader);
    if (n && n->line > 0 && n->line < CAPPED_LINE) return n->line;
    return parser_line(s);
}

/* Position the reader on the next record element: 1, 0 at the end, -1. */
static int next_record(xml_source *s) {
    if (s->at_end) return 0;
    for (;;) {
        begin_step(s, false);
        int ret = s->positioned ? 1 : xmlTextReaderRead(s->reader);
        s->positioned = false;
        if (s->error || s->step_too_big) return fail(s, "");
        if (ret < 0) return fail(s, "cannot read the file");
        if (ret == 0) return 0;
        int type = xmlTextReaderNodeType(s->reader);
        if (!s->dtd_checked && (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ELEMENT) &&
            check_dtd(s) != 0)
            return -1;
        if (type == XML_READER_TYPE_ELEMENT) {
            int depth = xmlTextReaderDepth(s->reader);
            const char *name = (const char *)xmlTextReaderConstLocalName(s->reader);
            if (depth < 0 || !name) return fail(s, "the reader lost its place");
            if (depth >= s->max_depth) return fail_too_deep(s, element_line(s));
            s->stack = hzs_grow(s->stack, &s->stack_cap, (size_t)depth + 1, sizeof *s->stack);
            s->stack[depth] = name;
            if (xml_path_matches(&s->record, s->stack, (size_t)depth)) return 1;
        }
        bool text = type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_WHITESPACE ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
        s->text_before = text ? text_end_line(xmlTextReaderCurrentNode(s->reader)) : 0;
    }
}

/* How many levels of elements are below `top` (0: none), without
 * recursion; stops counting past `most`. */
static int64_t levels_below(const xmlNode *top, int64_t most) {
    int64_t depth = 0, deepest = 0; /* depth: levels above n, below top */
    const xmlNode *n = top->children;
    while (n && n != top && deepest <= most) {
        if (n->type == XML_ELEMENT_NODE) {
            if (depth + 1 > deepest) deepest = depth + 1;
            if (n->children) {
                n = n->children;
                depth++;
                continue;
            }
        }
        while (n != top && !n->next) {
            n = n->parent;
            depth--;
        }
        if (n != top) n = n->next;
    }
    return deepest;
}

/* The field's text is over max_field_bytes, or the entities of the file
 * have added too much: fail the run. */
static int check_field(xml_source *s, size_t j, const xml_text_result *text, uint64_t line) {
    if (text->over_limit) {
        hz->error(s->c, "%s:%llu: field '%s' (%s in <%s>) is over max_field_bytes (%lld)", s->shown,
                  (unsigned long long)line, s->names[j], s->field_text[j], s->record.names[s->record.n - 1],
                  (long long)s->max_field_bytes);
        return -1;
    }
    s->entity_bytes += text->entity_bytes;
    uint64_t allowed = ENTITY_ALLOWANCE + ENTITY_AMPLIFICATION * s->in.bytes;
    if (s->entity_bytes > allowed) {
        hz->error(s->c,
                  "%s:%llu: entities have expanded to %llu bytes, over %d times the %llu bytes read plus 1 "
                  "MiB: refused as an entity bomb",
                  s->shown, (unsigned long long)line, (unsigned long long)s->entity_bytes,
                  ENTITY_AMPLIFICATION, (unsigned long long)s->in.bytes);
        return -1;
    }
    return 0;
}

/* Copy the record's fields into `out`, or reject it. */
static int take_record(xml_source *s, xmlNode *rec, hz_batch *out) {
    hz_origin origin = {record_line(s, rec), s->feed, 0};
    int depth = xmlTextReaderDepth(s->reader);
    if ((int64_t)depth + 1 + levels_below(rec, s->max_depth) > s->max_depth)
        return fail_too_deep(s, origin.line);
    hzs_record_clear(&s->rec);
    const xmlChar *unresolved = NULL;
    bool complete = true;
    for (size_t j = 0; j < s->ncols; j++) {
        xmlNode *node = xml_path_find(&s->fields[j], rec);
        s->present[j] = node != NULL;
        hzs_record_begin(&s->rec, j);
        xml_text_result text = {0};
        if (node) xml_text_append(&s->rec.text, node, (size_t)s->max_field_bytes, &text);
        if (check_field(s, j, &text, origin.line) != 0) return -1;
        if (!unresolved) unresolved = text.unresolved;
        hzs_record_end(&s->rec, j);
        if (s->required[j] && !node) complete = false;
    }
    if (unresolved) {
        hz->error(s->c,
                  "%s:%llu: the record uses entity '&%s;', whose text is not available: external "
                  "entities and DTDs are never loaded",
                  s->shown, (unsigned long long)origin.line, (const char *)unresolved);
        return -1;
    }
    if (complete) {
        hzs_record_emit(&s->rec, out, origin);
        return 0;
    }
    hzs_buf detail = {0};
    unsigned missing = 0;
    for (size_t j = 0; j < s->ncols; j++)
        if (s->required[j] && !s->present[j])
            hzs_buf_printf(&detail, "%s'%s' (no %s in <%s>)", missing++ ? ", " : "", s->names[j],
                           s->field_text[j], s->record.names[s->record.n - 1]);
    hz->reject_fields(s->c, origin, hzs_record_fields(&s->rec), s->ncols, "malformed_row",
                      "missing required field%s %s", missing > 1 ? "s" : "", hzs_buf_str(&detail));
    hzs_buf_free(&detail);
    return 0;
}

static void finish(xml_source *s) {
    if (s->records == 0)
        hz->log(s->c, HZ_LOG_WARN, "no element of %s matches 'record: %s'", s->shown, s->record_text);
    if (s->warnings > MAX_WARNINGS)
        hz->log(s->c, HZ_LOG_WARN, "%u more XML warnings in %s not shown", s->warnings - MAX_WARNINGS,
                s->shown);
    s->finished = true;
    stop_reading(s);
}

/* How far libxml2 has read the file, for the progress on a terminal. */
static void report_progress(xml_source *s) {
    long done = xmlTextReaderByteConsumed(s->reader);
    hzs_input_progress(&s->in, done > 0 ? (uint64_t)done : 0);
}

static int source_read(hz_component *c, void *self, hz_batch *out) {
    (void)c;
    xml_source *s = self;
    if (s->finished) return 0;
    if (!s->started && start_reading(s) != 0) return -1;
    while (out->nrows < out->capacity) {
        int got = next_record(s);
        if (got < 0) return -1;
        if (got == 0) {
            /* libxml2 read to the end of the document: the file must not
             * have changed under it (its size is not counted here). */
            if (hzs_input_check_end(&s->in, UINT64_MAX) != 0) return -1;
            report_progress(s);
            finish(s);
            return 0;
        }
        s->record_line = element_line(s);
        begin_step(s, true);
        xmlNode *rec = xmlTextReaderExpand(s->reader);
        if (!rec || s->error || s->step_too_big) return fail(s, "cannot read a record");
        s->records++;
        if (take_record(s, rec, out) != 0) return -1;
        /* Skip the record's subtree; the reader frees it as it moves on. */
        begin_step(s, false);
        int ret = xmlTextReaderNext(s->reader);
        if (s->error || s->step_too_big || ret < 0) return fail(s, "cannot read the file");
        s->positioned = ret == 1;
        s->at_end = ret == 0;
        s->text_before = 0;
    }
    report_progress(s);
    return 1;
}

static void source_destroy(void *self) {
    xml_source *s = self;
    stop_reading(s);
    hzs_input_free(&s->in); /* what reading kept: read-ahead, decompression buffer */
    xml_path_free(&s->record);
    for (size_t j = 0; s->fields && j < s->ncols; j++) xml_path_free(&s->fields[j]);
    free(s->fields);
    free(s->field_text);
    free(s->names);
    free(s->required);
    free(s->present);
    free(s->stack);
    hzs_record_free(&s->rec);
    free(s->error);
    free(s);
}

const hz_source_class xml_source_class = {
    HZ_CLASS_INIT(hz_source_class),
    .doc = "one row per record element of an XML file; columns are the keys of 'fields'",
    HZ_OPTIONS(source_options),
    .create = source_create,
    .plan = source_plan,
    .read = source_read,
    .destroy = source_destroy,
};
