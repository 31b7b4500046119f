/* Reading and checking the report's `sections:` (see layout.h). */
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *section_kind_name(section_kind k) {
    switch (k) {
    case KIND_HEADLINE: return "headline";
    case KIND_BARS: return "bars";
    case KIND_MATRIX: return "matrix";
    case KIND_TABLE: return "table";
    }
    return "?";
}

/* The keys each kind accepts, for the unknown-key message and check. */
static const char *const common_keys[] = {"kind", "input", "title", "note", "id", "where", NULL};
static const char *const headline_keys[] = {"value", "share", "figures", NULL};
static const char *const bars_keys[] = {"label", "value", "share", NULL};
static const char *const matrix_keys[] = {"rows", "columns", "value", NULL};
static const char *const table_keys[] = {"columns", NULL};

static const char *const *kind_keys(section_kind k) {
    switch (k) {
    case KIND_HEADLINE: return headline_keys;
    case KIND_BARS: return bars_keys;
    case KIND_MATRIX: return matrix_keys;
    case KIND_TABLE: return table_keys;
    }
    return table_keys;
}

static bool in_list(const char *const *list, const char *s) {
    for (; *list; list++)
        if (!strcmp(*list, s)) return true;
    return false;
}

/* The entry `key` of map `m`: its value, and its key's value in *key_at. */
static const hz_value *map_get(const hz_value *m, const char *key, const hz_value **key_at) {
    for (size_t i = 0; i < hz->value_count(m); i++) {
        const char *k = hz->value_string(hz->value_key(m, i));
        if (k && !strcmp(k, key)) {
            if (key_at) *key_at = hz->value_key(m, i);
            return hz->value_item(m, i);
        }
    }
    return NULL;
}

/* A scalar entry, or NULL; a list or map there is reported. */
static const char *scalar(hz_component *c, const hz_value *v, const char *what, int *rc) {
    if (!v) return NULL;
    const char *s = hz->value_string(v);
    if (!s) {
        hz->config_error(c, v, "%s must be a single value, not a list or map", what);
        *rc = -1;
    }
    return s;
}

/* A column name: a non-empty scalar. */
static void column_at(hz_component *c, const hz_value *sec, const char *key, const char *fallback,
                      column_ref *out, int *rc) {
    const hz_value *v = map_get(sec, key, NULL);
    out->name = v ? scalar(c, v, key, rc) : fallback;
    out->at = v ? v : sec;
    if (v && out->name && !*out->name) {
        hz->config_error(c, v, "'%s' names a column: it cannot be empty", key);
        *rc = -1;
        out->name = NULL;
    }
}

/* `where: {COLUMN: VALUE}` */
static void read_filter(hz_component *c, const hz_value *v, filter *f, int *rc) {
    if (!v) return;
    if (hz->value_kind(v) != HZ_VALUE_MAP || hz->value_count(v) == 0) {
        hz->config_error(c, v, "'where' is a map of column: value, e.g. where: {dimension: sex}");
        *rc = -1;
        return;
    }
    f->n = hz->value_count(v);
    f->items = hz->xcalloc(f->n, sizeof *f->items);
    for (size_t i = 0; i < f->n; i++) {
        const hz_value *key = hz->value_key(v, i), *val = hz->value_item(v, i);
        f->items[i].column.name = hz->value_string(key);
        f->items[i].column.at = key;
        f->items[i].value = scalar(c, val, "a 'where' value", rc);
    }
}

/* The input a section names: one of the sink's inputs. */
static void read_input(hz_component *c, const hz_value *sec, section *s, int *rc) {
    const hz_value *v = map_get(sec, "input", NULL);
    const char *name = scalar(c, v, "'input'", rc);
    if (!name) return;
    size_t n = hz->input_count(c);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(hz->input_name(c, i), name)) {
            s->input = i;
            s->input_name = hz->input_name(c, i);
            return;
        }
    char list[512] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 hz->input_name(c, i));
    hz->config_error(c, v, "'%s' is not an input of '%s' (its inputs: %s)", name, hz->component_name(c),
                     n ? list : "none");
    *rc = -1;
}

static void read_figures(hz_component *c, const hz_value *sec, section *s, int *rc) {
    const hz_value *key_at = NULL, *v = map_get(sec, "figures", &key_at);
    if (!v) {
        hz->config_error(
            c, sec, "a headline section needs 'figures': a list of {label: TEXT, where: {COLUMN: VALUE}}");
        *rc = -1;
        return;
    }
    if (hz->value_kind(v) != HZ_VALUE_LIST || hz->value_count(v) == 0) {
        hz->config_error(c, v, "'figures' is a list of {label: TEXT, where: {COLUMN: VALUE}}");
        *rc = -1;
        return;
    }
    s->nfigures = hz->value_count(v);
    s->figures = hz->xcalloc(s->nfigures, sizeof *s->figures);
    for (size_t i = 0; i < s->nfigures; i++) {
        const hz_value *fv = hz->value_item(v, i);
        figure *f = &s->figures[i];
        f->at = fv;
        if (hz->value_kind(fv) != HZ_VALUE_MAP) {
            hz->config_error(c, fv, "a figure is a map {label: TEXT, where: {COLUMN: VALUE}}");
            *rc = -1;
            continue;
        }
        for (size_t k = 0; k < hz->value_count(fv); k++) {
            const char *key = hz->value_string(hz->value_key(fv, k));
            if (strcmp(key, "label") && strcmp(key, "where")) {
                hz->config_error(c, hz->value_key(fv, k),
                                 "unknown key '%s' in a figure (its keys: label, where)", key);
                *rc = -1;
            }
        }
        f->label = scalar(c, map_get(fv, "label", NULL), "'label'", rc);
        if (!f->label) {
            if (map_get(fv, "label", NULL) == NULL) {
                hz->config_error(c, fv, "a figure needs a 'label'");
                *rc = -1;
            }
        }
        const hz_value *w = map_get(fv, "where", NULL);
        if (!w && s->where.n == 0) {
            hz->config_error(c, fv, "a figure needs 'where': {COLUMN: VALUE}, which picks its row");
            *rc = -1;
        }
        read_filter(c, w, &f->where, rc);
    }
}

/* `id`: an anchor for links into the page: [a-z0-9-]+. */
static void read_id(hz_component *c, const hz_value *sec, section *s, int *rc) {
    const hz_value *v = map_get(sec, "id", NULL);
    s->id = scalar(c, v, "'id'", rc);
    if (!s->id) return;
    bool ok = *s->id != 0;
    for (const char *p = s->id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) ok = false;
    if (!ok) {
        hz->config_error(c, v, "a section's id is made of a-z, 0-9 and '-', not '%s'", s->id);
        *rc = -1;
        s->id = NULL;
    }
}

static void read_table_columns(hz_component *c, const hz_value *sec, section *s, int *rc) {
    const hz_value *v = map_get(sec, "columns", NULL);
    if (!v) {
        s->all_columns = true;
        return;
    }
    if (hz->value_kind(v) != HZ_VALUE_LIST || hz->value_count(v) == 0) {
        hz->config_error(c, v, "'columns' of a table section is a list of the input's columns");
        *rc = -1;
        return;
    }
    s->ncolumns = hz->value_count(v);
    s->columns = hz->xcalloc(s->ncolumns, sizeof *s->columns);
    for (size_t i = 0; i < s->ncolumns; i++) {
        s->columns[i].at = hz->value_item(v, i);
        s->columns[i].name = scalar(c, s->columns[i].at, "a column", rc);
    }
}

static int read_section(hz_component *c, const hz_value *sec, section *s) {
    int rc = 0;
    s->at = sec;
    if (hz->value_kind(sec) != HZ_VALUE_MAP) {
        hz->config_error(
            c, sec, "a section is a map: {kind: headline|bars|matrix|table, input: INPUT, title: TEXT, ...}");
        return -1;
    }
    const hz_value *kv = map_get(sec, "kind", NULL);
    const char *kind = scalar(c, kv, "'kind'", &rc);
    if (!kv) {
        hz->config_error(c, sec, "a section needs 'kind': headline, bars, matrix or table");
        return -1;
    }
    if (!kind) return -1;
    if (!strcmp(kind, "headline"))
        s->kind = KIND_HEADLINE;
    else if (!strcmp(kind, "bars"))
        s->kind = KIND_BARS;
    else if (!strcmp(kind, "matrix"))
        s->kind = KIND_MATRIX;
    else if (!strcmp(kind, "table"))
        s->kind = KIND_TABLE;
    else {
        hz->config_error(c, kv, "unknown section kind '%s' (the kinds: headline, bars, matrix, table)", kind);
        return -1;
    }
    const char *const *own = kind_keys(s->kind);
    for (size_t i = 0; i < hz->value_count(sec); i++) {
        const char *key = hz->value_string(hz->value_key(sec, i));
        if (in_list(common_keys, key) || in_list(own, key)) continue;
        char list[256] = "";
        for (const char *const *k = common_keys; *k; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k == common_keys ? "" : ", ",
                     *k);
        for (const char *const *k = own; *k; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), ", %s", *k);
        hz->config_error(c, hz->value_key(sec, i), "unknown key '%s' in a %s section (its keys: %s)", key,
                         kind, list);
        rc = -1;
    }
    if (!map_get(sec, "input", NULL)) {
        hz->config_error(c, sec, "a %s section needs 'input': the sink's input it shows", kind);
        rc = -1;
    } else
        read_input(c, sec, s, &rc);
    s->title = scalar(c, map_get(sec, "title", NULL), "'title'", &rc);
    if (!map_get(sec, "title", NULL)) {
        hz->config_error(c, sec, "a %s section needs a 'title'", kind);
        rc = -1;
    }
    s->note = scalar(c, map_get(sec, "note", NULL), "'note'", &rc);
    read_id(c, sec, s, &rc);
    read_filter(c, map_get(sec, "where", NULL), &s->where, &rc);
    switch (s->kind) {
    case KIND_HEADLINE:
        column_at(c, sec, "value", "count", &s->value, &rc);
        column_at(c, sec, "share", NULL, &s->share, &rc);
        read_figures(c, sec, s, &rc);
        break;
    case KIND_BARS:
        column_at(c, sec, "value", "count", &s->value, &rc);
        column_at(c, sec, "share", NULL, &s->share, &rc);
        column_at(c, sec, "label", NULL, &s->label, &rc);
        if (!map_get(sec, "label", NULL)) {
            hz->config_error(c, sec, "a bars section needs 'label': the column naming each bar");
            rc = -1;
        }
        break;
    case KIND_MATRIX:
        column_at(c, sec, "value", "count", &s->value, &rc);
        column_at(c, sec, "rows", NULL, &s->rows, &rc);
        column_at(c, sec, "columns", NULL, &s->cols, &rc);
        if (!map_get(sec, "rows", NULL) || !map_get(sec, "columns", NULL)) {
            hz->config_error(c, sec,
                             "a matrix section needs 'rows' and 'columns': the columns whose values label "
                             "its rows and columns");
            rc = -1;
        }
        break;
    case KIND_TABLE: read_table_columns(c, sec, s, &rc); break;
    }
    return rc;
}

int layout_read(hz_component *c, const hz_value *sections, layout *out) {
    memset(out, 0, sizeof *out);
    if (!sections) return 0;
    if (hz->value_kind(sections) != HZ_VALUE_LIST || hz->value_count(sections) == 0) {
        hz->config_error(c, sections,
                         "'sections' is a list of sections, each a map with kind, input and title");
        return -1;
    }
    out->n = hz->value_count(sections);
    out->sections = hz->xcalloc(out->n, sizeof *out->sections);
    int rc = 0;
    for (size_t i = 0; i < out->n; i++) {
        out->sections[i].input = (size_t)-1;
        if (read_section(c, hz->value_item(sections, i), &out->sections[i]) != 0) rc = -1;
    }
    /* Two sections with one id would make one anchor. */
    for (size_t i = 0; i < out->n; i++)
        for (size_t k = 0; k < i; k++)
            if (out->sections[i].id && out->sections[k].id &&
                !strcmp(out->sections[i].id, out->sections[k].id)) {
                hz->config_error(c, map_get(out->sections[i].at, "id", NULL),
                                 "id '%s' is already that of section %zu", out->sections[i].id, k + 1);
                rc = -1;
            }
    return rc;
}

/* ---- columns against an input's schema ------------------------------- */

static int resolve(hz_component *c, const hz_schema *in, column_ref *r, bool *keep) {
    if (!r->name) return 0;
    long i = hz->schema_require(c, in, r->name, r->at);
    if (i < 0) return -1;
    r->slot = (size_t)i;
    keep[i] = true;
    return 0;
}

/* Every column_ref of a section, for the two passes below. */
static size_t section_refs(section *s, column_ref **refs, size_t cap) {
    size_t n = 0;
#define ADD(r)                                                                                               \
    do {                                                                                                     \
        if (n < cap) refs[n] = (r);                                                                          \
        n++;                                                                                                 \
    } while (0)
    ADD(&s->value);
    ADD(&s->share);
    ADD(&s->label);
    ADD(&s->rows);
    ADD(&s->cols);
    for (size_t i = 0; i < s->where.n; i++) ADD(&s->where.items[i].column);
    for (size_t i = 0; i < s->ncolumns; i++) ADD(&s->columns[i]);
    for (size_t f = 0; f < s->nfigures; f++)
        for (size_t i = 0; i < s->figures[f].where.n; i++) ADD(&s->figures[f].where.items[i].column);
#undef ADD
    return n;
}

int layout_plan_input(hz_component *c, layout *l, size_t input, const hz_schema *in, bool *keep,
                      long suppressed_col) {
    int rc = 0;
    size_t ncols = hz->schema_count(in);
    for (size_t k = 0; k < l->n; k++) {
        section *s = &l->sections[k];
        if (s->input != input) continue;
        if (s->kind == KIND_TABLE && s->all_columns) {
            /* Every column of the input, in its order (less the suppressed flag,
             * which the cells show as the marker). */
            s->columns = hz->xcalloc(ncols ? ncols : 1, sizeof *s->columns);
            for (size_t i = 0; i < ncols; i++)
                if ((long)i != suppressed_col)
                    s->columns[s->ncolumns++] = (column_ref){hz->schema_name(in, i), s->at, 0};
            s->all_columns = false;
        }
        size_t n = section_refs(s, NULL, 0);
        column_ref **refs = hz->xcalloc(n ? n : 1, sizeof *refs);
        section_refs(s, refs, n);
        for (size_t i = 0; i < n; i++)
            if (resolve(c, in, refs[i], keep) != 0) rc = -1;
        free(refs);
    }
    if (suppressed_col >= 0) keep[suppressed_col] = true;
    /* Schema index -> slot: the rank among kept columns. */
    size_t *rank = hz->xcalloc(ncols ? ncols : 1, sizeof *rank);
    for (size_t i = 0, r = 0; i < ncols; i++)
        if (keep[i]) rank[i] = r++;
    for (size_t k = 0; k < l->n && rc == 0; k++) {
        section *s = &l->sections[k];
        if (s->input != input) continue;
        size_t n = section_refs(s, NULL, 0);
        column_ref **refs = hz->xcalloc(n ? n : 1, sizeof *refs);
        section_refs(s, refs, n);
        for (size_t i = 0; i < n; i++)
            if (refs[i]->name) refs[i]->slot = rank[refs[i]->slot];
        free(refs);
    }
    free(rank);
    return rc;
}

bool filter_pass(const filter *f, const char *const *fields) {
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(fields[f->items[i].column.slot], f->items[i].value ? f->items[i].value : "")) return false;
    return true;
}

bool layout_wanted(const layout *l, size_t input, const char *const *fields) {
    for (size_t k = 0; k < l->n; k++) {
        const section *s = &l->sections[k];
        if (s->input != input || !filter_pass(&s->where, fields)) continue;
        if (s->kind != KIND_HEADLINE) return true;
        for (size_t f = 0; f < s->nfigures; f++)
            if (filter_pass(&s->figures[f].where, fields)) return true;
    }
    return false;
}

void layout_free(layout *l) {
    for (size_t k = 0; k < l->n; k++) {
        section *s = &l->sections[k];
        free(s->where.items);
        free(s->columns);
        for (size_t f = 0; f < s->nfigures; f++) free(s->figures[f].where.items);
        free(s->figures);
    }
    free(l->sections);
    memset(l, 0, sizeof *l);
}
