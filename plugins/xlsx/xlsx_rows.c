/* A worksheet streamed row by row (see xlsx_rows.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include <support/hzs_cells.h>

#include "xlsx_rows.h"

int xlsx_rows_open(xlsx_rows *r, xlsx_book *b, const xlsx_sheet *sheet) {
    memset(r, 0, sizeof *r);
    r->book = b;
    r->part = sheet->part;
    int got = xlsx_member_open(&r->m, b->path, b->fd, sheet->part, b->max_unzipped);
    if (got == 1) return 0;
    if (got == 0)
        hz->error(b->c, "%s: sheet '%s' has no part %s in the zip", b->shown, sheet->name, sheet->part);
    else
        xlsx_book_member_failed(b, &r->m, sheet->part);
    return -1;
}

static char *attr(xlsx_rows *r, const char *name) {
    return (char *)xmlTextReaderGetAttribute(r->m.reader, (const xmlChar *)name);
}

static xlsx_cell_type cell_type(const char *t) {
    if (!t || !strcmp(t, "n")) return XLSX_NUMBER;
    if (!strcmp(t, "s")) return XLSX_SHARED;
    if (!strcmp(t, "inlineStr")) return XLSX_INLINE;
    if (!strcmp(t, "str")) return XLSX_STRING;
    if (!strcmp(t, "b")) return XLSX_BOOL;
    if (!strcmp(t, "e")) return XLSX_ERROR;
    if (!strcmp(t, "d")) return XLSX_ISO_DATE;
    return XLSX_NUMBER;
}

static int bad_ref(xlsx_rows *r, const char *what, const char *ref) {
    hz->error(r->book->c, "%s: %s: %s reference '%s' is not a cell of a sheet (A1 to XFD1048576)",
              r->book->shown, r->part, what, ref);
    return -1;
}

static int start_row(xlsx_rows *r) {
    char *ref = attr(r, "r");
    uint32_t n = r->row + 1;
    if (ref) {
        char *end;
        unsigned long v = strtoul(ref, &end, 10);
        if (*end || v == 0 || v > HZS_CELL_MAX_ROW) {
            int rc = bad_ref(r, "row", ref);
            xmlFree(ref);
            return rc;
        }
        n = (uint32_t)v;
        xmlFree(ref);
    }
    r->row = n;
    r->ncells = 0;
    hzs_buf_clear(&r->text);
    return 0;
}

static int start_cell(xlsx_rows *r) {
    char *ref = attr(r, "r"), *t = attr(r, "t"), *s = attr(r, "s");
    uint32_t col = r->ncells ? r->cells[r->ncells - 1].col + 1 : 1, row = 0;
    int rc = 0;
    if (ref && hzs_cell_parse_ref(ref, false, &col, &row) != 0) rc = bad_ref(r, "cell", ref);
    if (rc == 0) {
        r->cells = hzs_grow(r->cells, &r->cells_cap, r->ncells + 1, sizeof *r->cells);
        xlsx_cell *c = &r->cells[r->ncells++];
        c->col = col;
        c->type = cell_type(t);
        c->style = s ? (uint32_t)strtoul(s, NULL, 10) : 0;
        c->at = r->text.len;
        c->len = 0;
        r->in_cell = true;
    }
    if (ref) xmlFree(ref);
    if (t) xmlFree(t);
    if (s) xmlFree(s);
    return rc;
}

/* Text inside <v>, or inside <is>'s <t> but not its phonetic <rPh>. */
static int add_text(xlsx_rows *r) {
    if (!r->in_cell || !(r->in_v || (r->in_is && r->in_t && !r->in_rph))) return 0;
    const char *v = (const char *)xmlTextReaderConstValue(r->m.reader);
    size_t n = v ? strlen(v) : 0;
    xlsx_cell *c = &r->cells[r->ncells - 1];
    if (c->len + n > r->book->max_field_bytes) {
        char name[4];
        hzs_cell_col_name(c->col, name);
        hz->error(r->book->c, "%s:%u: cell %s%u is over max_field_bytes (%llu)", r->book->shown, r->row, name,
                  r->row, (unsigned long long)r->book->max_field_bytes);
        return -1;
    }
    hzs_buf_add(&r->text, v, n);
    c->len += n;
    return 0;
}

static void add_merge(xlsx_rows *r) {
    char *ref = attr(r, "ref");
    char *colon = ref ? strchr(ref, ':') : NULL;
    xlsx_merge g;
    if (colon) {
        *colon = '\0';
        if (hzs_cell_parse_ref(ref, false, &g.col1, &g.row1) == 0 &&
            hzs_cell_parse_ref(colon + 1, false, &g.col2, &g.row2) == 0) {
            r->merges = hz->xrealloc(r->merges, (r->nmerges + 1) * sizeof *r->merges);
            r->merges[r->nmerges++] = g;
        }
    }
    if (ref) xmlFree(ref);
}

/* Count an element's start (+1) or end (-1) in a nesting counter; an empty
 * element (<v/>) neither opens nor closes. */
static void track(int *depth, int type, bool empty) {
    if (empty) return;
    *depth += type == XML_READER_TYPE_ELEMENT ? 1 : -1;
    if (*depth < 0) *depth = 0;
}

int xlsx_rows_next(xlsx_rows *r) {
    if (r->ended) return 0;
    int got;
    while ((got = xlsx_member_read(&r->m)) == 1) {
        int type = xmlTextReaderNodeType(r->m.reader);
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            type == XML_READER_TYPE_WHITESPACE) {
            if (add_text(r) != 0) return -1;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT) continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(r->m.reader);
        bool start = type == XML_READER_TYPE_ELEMENT;
        bool empty = start && xmlTextReaderIsEmptyElement(r->m.reader);
        if (!strcmp(name, "row")) {
            if (start && start_row(r) != 0) return -1;
            if (!start || empty) return 1;
        } else if (!strcmp(name, "c")) {
            if (start && start_cell(r) != 0) return -1;
            if (!start || empty) r->in_cell = false;
        } else if (!strcmp(name, "v")) {
            track(&r->in_v, type, empty);
        } else if (!strcmp(name, "is")) {
            track(&r->in_is, type, empty);
        } else if (!strcmp(name, "t")) {
            track(&r->in_t, type, empty);
        } else if (!strcmp(name, "rPh")) {
            track(&r->in_rph, type, empty);
        } else if (!strcmp(name, "sheetData") && (!start || empty)) {
            r->ended = true;
            return 0;
        }
    }
    if (got == 0) {
        r->ended = true;
        return 0;
    }
    xlsx_book_member_failed(r->book, &r->m, r->part);
    return -1;
}

int xlsx_rows_read_merges(xlsx_rows *r) {
    int got;
    while ((got = xlsx_member_read(&r->m)) == 1)
        if (xmlTextReaderNodeType(r->m.reader) == XML_READER_TYPE_ELEMENT &&
            !strcmp((const char *)xmlTextReaderConstLocalName(r->m.reader), "mergeCell"))
            add_merge(r);
    if (got == 0) return 0;
    xlsx_book_member_failed(r->book, &r->m, r->part);
    return -1;
}

void xlsx_rows_close(xlsx_rows *r) {
    xlsx_member_close(&r->m);
    free(r->cells);
    free(r->merges);
    hzs_buf_free(&r->text);
    memset(r, 0, sizeof *r);
}
