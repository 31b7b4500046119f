#define _POSIX_C_SOURCE 200809L
#include "value.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "util.h"
#include "yaml_problem.h"

/* Deeper nesting than this is not a pipeline; refusing it keeps a hostile
 * file from exhausting the stack. */
#define MAX_DEPTH 64
/* libyaml shares the node an alias points to; converting it to a tree
 * copies it at every use, so a few lines of aliases can stand for billions
 * of values.  A pipeline has hundreds; past this it is refused. */
#define MAX_VALUES 100000

typedef struct loader {
    yaml_document_t *ydoc;
    const hz_vars *vars;
    hz_diag *diag;
    const char *file;
    size_t values;  /* converted so far */
    bool too_deep;  /* reported once */
    bool recursive; /* reported once */
    /* The collections being converted, outermost first: an alias to one of
     * them (`a: &a [*a]`) would otherwise be copied into itself until the
     * depth limit, reported as "nesting" the user never wrote. */
    const yaml_node_t *open[MAX_DEPTH + 1];
} loader;

static hz_value *value_new(const loader *ld, hz_value_kind kind, yaml_mark_t mark) {
    hz_value *v = hz_xcalloc(1, sizeof *v);
    v->kind = kind;
    v->file = ld->file;
    v->line = (unsigned)mark.line + 1;
    v->col = (unsigned)mark.column + 1;
    return v;
}

static hz_value *convert(loader *ld, yaml_node_t *node, int depth);

/* Characters (not continuation bytes) in the first n bytes of s. */
static size_t utf8_chars(const char *s, size_t n) {
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

/* The column of the `$` at byte `offset` of the scalar's text.  libyaml
 * counts columns in characters, and the text is the scalar after its
 * escapes, folding and tag are taken away: the `$` can be pointed at only
 * when the text is exactly what the line shows between the scalar's marks
 * (in quotes or not); otherwise the scalar's start is the honest place. */
static unsigned dollar_column(const hz_value *v, const yaml_node_t *node, size_t offset) {
    const char *text = (const char *)node->data.scalar.value;
    size_t written = node->end_mark.index - node->start_mark.index;
    size_t quotes = v->quoted ? 2 : 0;
    if (node->start_mark.line != node->end_mark.line ||
        written != utf8_chars(text, node->data.scalar.length) + quotes)
        return v->col;
    return v->col + (unsigned)(quotes / 2 + utf8_chars(text, offset));
}

static hz_value *convert_scalar(loader *ld, yaml_node_t *node, bool expand) {
    hz_value *v = value_new(ld, HZ_VALUE_SCALAR, node->start_mark);
    const char *raw = (const char *)node->data.scalar.value;
    yaml_scalar_style_t style = node->data.scalar.style;
    v->quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    if (!expand) {
        v->text = hz_xstrdup(raw);
        return v;
    }
    char *error = NULL;
    size_t offset = 0;
    v->text = hz_vars_expand(ld->vars, raw, &error, &offset);
    if (!v->text) {
        hz_diag_add(ld->diag, HZ_DIAG_ERROR, ld->file, v->line, dollar_column(v, node, offset), "%s", error);
        free(error);
        v->text = hz_xstrdup(raw);
        v->unexpanded = true;
        hz_diag_spoil(ld->diag, ld->file, v->line, v->col); /* no second error about this value */
    }
    return v;
}

static hz_value *convert(loader *ld, yaml_node_t *node, int depth) {
    if (++ld->values == MAX_VALUES + 1)
        hz_diag_add(ld->diag, HZ_DIAG_ERROR, ld->file, (unsigned)node->start_mark.line + 1,
                    (unsigned)node->start_mark.column + 1,
                    "more than %d values (aliases expanding without end?): not a pipeline", MAX_VALUES);
    if (ld->values > MAX_VALUES) return NULL;
    if (depth > MAX_DEPTH) {
        if (ld->too_deep) return NULL;
        ld->too_deep = true;
        hz_diag_add(ld->diag, HZ_DIAG_ERROR, ld->file, (unsigned)node->start_mark.line + 1,
                    (unsigned)node->start_mark.column + 1, "nesting deeper than %d levels", MAX_DEPTH);
        return NULL;
    }
    if (node->type != YAML_SCALAR_NODE) {
        for (int i = 0; i < depth; i++) {
            if (ld->open[i] != node) continue;
            if (!ld->recursive)
                hz_diag_add(ld->diag, HZ_DIAG_ERROR, ld->file, (unsigned)node->start_mark.line + 1,
                            (unsigned)node->start_mark.column + 1,
                            "an alias refers to a value that contains it (recursive anchor): not a pipeline");
            ld->recursive = true;
            return NULL;
        }
        ld->open[depth] = node;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE: return convert_scalar(ld, node, true);
    case YAML_SEQUENCE_NODE: {
        hz_value *v = value_new(ld, HZ_VALUE_LIST, node->start_mark);
        size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
        v->items = hz_xcalloc(n, sizeof *v->items);
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *item = yaml_document_get_node(ld->ydoc, node->data.sequence.items.start[i]);
            hz_value *c = item ? convert(ld, item, depth + 1) : NULL;
            if (!c) continue;
            v->unexpanded |= c->unexpanded;
            v->items[v->count++] = c;
        }
        return v;
    }
    case YAML_MAPPING_NODE: {
        hz_value *v = value_new(ld, HZ_VALUE_MAP, node->start_mark);
        size_t n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
        v->items = hz_xcalloc(n, sizeof *v->items);
        v->keys = hz_xcalloc(n, sizeof *v->keys);
        for (size_t i = 0; i < n; i++) {
            yaml_node_pair_t *pair = &node->data.mapping.pairs.start[i];
            yaml_node_t *k = yaml_document_get_node(ld->ydoc, pair->key);
            yaml_node_t *val = yaml_document_get_node(ld->ydoc, pair->value);
            if (!k || !val) continue;
            if (k->type != YAML_SCALAR_NODE) {
                hz_diag_add(ld->diag, HZ_DIAG_ERROR, ld->file, (unsigned)k->start_mark.line + 1,
                            (unsigned)k->start_mark.column + 1, "a key must be a plain name, not a %s",
                            k->type == YAML_MAPPING_NODE ? "map" : "list");
                continue;
            }
            /* Keys are names, never expanded: a key that changed with the
             * environment would make the pipeline's shape unpredictable. */
            hz_value *key = convert_scalar(ld, k, false);
            if (hz_value_get(v, key->text)) {
                hz_value *first = hz_value_key_of(v, key->text);
                hz_diag_add(ld->diag, HZ_DIAG_ERROR, ld->file, key->line, key->col,
                            "duplicate key '%s' (first at line %u)", key->text, first->line);
                free(key->text);
                free(key);
                continue;
            }
            hz_value *c = convert(ld, val, depth + 1);
            if (!c) {
                free(key->text);
                free(key);
                continue;
            }
            v->unexpanded |= c->unexpanded;
            v->keys[v->count] = key;
            v->items[v->count++] = c;
        }
        return v;
    }
    default: return NULL;
    }
}

static void value_free(hz_value *v) {
    if (!v) return;
    for (size_t i = 0; i < v->count; i++) {
        value_free(v->items[i]);
        if (v->keys) value_free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->text);
    free(v);
}

/* A syntax error at file:line:column; libyaml's words unless the
 * character there says more (yaml_problem.h).  `f` is the file read. */
static void report_parser_error(const yaml_parser_t *parser, FILE *f, const char *path, hz_diag *diag) {
    yaml_mark_t m = parser->problem_mark;
    if (parser->error == YAML_READER_ERROR) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0, "cannot read pipeline: %s (byte %zu)",
                    parser->problem ? parser->problem : "invalid text", parser->problem_offset);
        return;
    }
    char *explained = parser->error == YAML_SCANNER_ERROR || parser->error == YAML_PARSER_ERROR
                          ? hz_yaml_problem_explain(f, parser->problem, m.line, m.column)
                          : NULL;
    if (explained)
        hz_diag_add(diag, HZ_DIAG_ERROR, path, (unsigned)m.line + 1, (unsigned)m.column + 1, "%s", explained);
    else
        hz_diag_add(diag, HZ_DIAG_ERROR, path, (unsigned)m.line + 1, (unsigned)m.column + 1,
                    "YAML syntax: %s%s%s", parser->problem ? parser->problem : "invalid YAML",
                    parser->context ? " " : "", parser->context ? parser->context : "");
    free(explained);
}

hz_document *hz_document_load(const char *path, const hz_vars *vars, hz_diag *diag) {
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f) {
        hz_diag_add(diag, HZ_DIAG_ERROR, path, 0, 0, "cannot read pipeline: %s", strerror(errno));
        return NULL;
    }
    hz_document *doc = hz_xcalloc(1, sizeof *doc);
    doc->file = hz_xstrdup(path);
    yaml_parser_t parser;
    yaml_document_t ydoc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &ydoc)) {
        report_parser_error(&parser, f, path, diag);
        yaml_parser_delete(&parser);
        fclose(f);
        return doc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&ydoc);
    if (root) {
        loader ld = {.ydoc = &ydoc, .vars = vars, .diag = diag, .file = doc->file};
        doc->root = convert(&ld, root, 0);
    }
    yaml_document_delete(&ydoc);
    /* libyaml stops after the first document: what follows it would be
     * dropped without a word, so it is read too, to be refused. */
    if (!yaml_parser_load(&parser, &ydoc)) {
        report_parser_error(&parser, f, path, diag);
    } else {
        if (yaml_document_get_root_node(&ydoc))
            hz_diag_add(diag, HZ_DIAG_ERROR, path, (unsigned)ydoc.start_mark.line + 1,
                        (unsigned)ydoc.start_mark.column + 1,
                        "a second YAML document starts here: a pipeline file holds one");
        yaml_document_delete(&ydoc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return doc;
}

void hz_document_free(hz_document *doc) {
    if (!doc) return;
    value_free(doc->root);
    free(doc->file);
    free(doc);
}

hz_value *hz_value_get(const hz_value *map, const char *key) {
    if (!map || map->kind != HZ_VALUE_MAP) return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (!strcmp(map->keys[i]->text, key)) return map->items[i];
    return NULL;
}

hz_value *hz_value_key_of(const hz_value *map, const char *key) {
    if (!map || map->kind != HZ_VALUE_MAP) return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (!strcmp(map->keys[i]->text, key)) return map->keys[i];
    return NULL;
}

const char *hz_value_kind_name(hz_value_kind kind) {
    switch (kind) {
    case HZ_VALUE_SCALAR: return "scalar";
    case HZ_VALUE_LIST: return "list";
    case HZ_VALUE_MAP: return "map";
    }
    return "value";
}

bool hz_value_parse_bool(const hz_value *v, bool *out) {
    static const char *yes[] = {"true", "yes", "on"}, *no[] = {"false", "no", "off"};
    if (!v || v->kind != HZ_VALUE_SCALAR) return false;
    for (size_t i = 0; i < 3; i++) {
        if (!strcasecmp(v->text, yes[i])) return *out = true, true;
        if (!strcasecmp(v->text, no[i])) return *out = false, true;
    }
    return false;
}

bool hz_value_parse_int(const hz_value *v, int64_t *out) {
    if (!v || v->kind != HZ_VALUE_SCALAR || !v->text[0]) return false;
    char *end;
    errno = 0;
    long long n = strtoll(v->text, &end, 10);
    /* strtoll skips leading white space of any kind; a value that starts
     * with some (a quoted "\t5", a variable holding "\n5") is not a number. */
    if (errno || *end || end == v->text ||
        !(isdigit((unsigned char)v->text[0]) || v->text[0] == '-' || v->text[0] == '+'))
        return false;
    *out = n;
    return true;
}
