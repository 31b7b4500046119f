/* The workbook's parts other than the sheets (see xlsx_book.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include <support/hzs_buf.h>
#include <support/hzs_cells.h>
#include <support/hzs_str.h>

#include "xlsx_book.h"

#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

void xlsx_book_member_failed(const xlsx_book *b, const xlsx_member *m, const char *name) {
    if (m->too_big)
        hz->error(b->c,
                  "%s: member %s unzips to more than max_unzipped_bytes (%llu bytes): refused as a zip "
                  "bomb",
                  b->shown, name, (unsigned long long)b->max_unzipped);
    else if (m->dtd)
        hz->error(b->c, "%s: member %s has a DTD: refused (a workbook's parts never have one)", b->shown,
                  name);
    else
        hz->error(b->c, "%s: member %s: %s", b->shown, name, m->error ? m->error : "cannot be read");
}

/* Open a member that must exist.  1, 0 when missing and !required, -1
 * after reporting. */
static int open_part(xlsx_book *b, xlsx_member *m, const char *name, bool required) {
    int r = xlsx_member_open(m, b->path, b->fd, name, b->max_unzipped);
    if (r < 0) {
        hz->error(b->c, "%s is not a readable xlsx workbook (a zip): %s", b->shown,
                  m->error ? m->error : "cannot open");
        return -1;
    }
    if (r == 0 && required) {
        hz->error(b->c, "%s is not an xlsx workbook: it has no %s", b->shown, name);
        return -1;
    }
    return r;
}

static const char *local_name(xlsx_member *m) {
    return (const char *)xmlTextReaderConstLocalName(m->reader);
}

static bool at_element(xlsx_member *m, const char *name) {
    return xmlTextReaderNodeType(m->reader) == XML_READER_TYPE_ELEMENT && !strcmp(local_name(m), name);
}

/* An attribute's value, copied (NULL when absent). */
static char *attr(xlsx_member *m, const char *name) {
    xmlChar *v = xmlTextReaderGetAttribute(m->reader, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = hz->xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Walk a part to its end, calling `on_node` at every node. */
static int walk(xlsx_book *b, const char *name, bool required,
                int (*on_node)(xlsx_book *, xlsx_member *, void *), void *arg) {
    xlsx_member m;
    int r = open_part(b, &m, name, required);
    if (r <= 0) {
        xlsx_member_close(&m);
        return r;
    }
    int rc = 0;
    while ((r = xlsx_member_read(&m)) == 1)
        if ((rc = on_node(b, &m, arg)) != 0) break;
    if (r < 0) {
        xlsx_book_member_failed(b, &m, name);
        rc = -1;
    }
    xlsx_member_close(&m);
    return rc;
}

/* xl/workbook.xml: <workbookPr date1904="1"/>, <sheet name= r:id=/>; the
 * part is the rId for now. */
static int on_workbook(xlsx_book *b, xlsx_member *m, void *arg) {
    (void)arg;
    if (at_element(m, "workbookPr")) {
        char *v = attr(m, "date1904");
        b->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
        free(v);
    } else if (at_element(m, "sheet")) {
        xmlChar *id = xmlTextReaderGetAttributeNs(m->reader, (const xmlChar *)"id", (const xmlChar *)REL_NS);
        char *name = attr(m, "name");
        if (!id || !name) {
            if (id) xmlFree(id);
            free(name);
            hz->error(b->c, "%s: xl/workbook.xml has a <sheet> without a name or r:id", b->shown);
            return -1;
        }
        b->sheets = hz->xrealloc(b->sheets, (b->nsheets + 1) * sizeof *b->sheets);
        b->sheets[b->nsheets].name = name;
        b->sheets[b->nsheets].part = hz->xstrdup((const char *)id);
        b->nsheets++;
        xmlFree(id);
    }
    return 0;
}

/* xl/_rels/workbook.xml.rels: <Relationship Id= Target=/>, a target
 * relative to xl/ or absolute from the zip's root. */
static int on_rels(xlsx_book *b, xlsx_member *m, void *arg) {
    (void)arg;
    if (!at_element(m, "Relationship")) return 0;
    char *id = attr(m, "Id"), *target = attr(m, "Target");
    for (size_t i = 0; id && target && i < b->nsheets; i++) {
        if (strcmp(b->sheets[i].part, id) != 0) continue;
        hzs_buf p = {0};
        if (target[0] == '/')
            hzs_buf_adds(&p, target + 1);
        else
            hzs_buf_printf(&p, "xl/%s", target);
        free(b->sheets[i].part);
        b->sheets[i].part = hzs_buf_take(&p);
    }
    free(id);
    free(target);
    return 0;
}

/* xl/styles.xml: custom <numFmt numFmtId= formatCode=/> first, then
 * <cellXfs><xf numFmtId=/>...; a cell's s="N" is the N-th xf of cellXfs. */
typedef struct styles_walk {
    unsigned *custom_id;
    unsigned char *custom_kind;
    size_t ncustom;
    bool in_cellxfs;
} styles_walk;

static int on_styles(xlsx_book *b, xlsx_member *m, void *arg) {
    styles_walk *w = arg;
    int type = xmlTextReaderNodeType(m->reader);
    if (type == XML_READER_TYPE_END_ELEMENT && !strcmp(local_name(m), "cellXfs")) w->in_cellxfs = false;
    if (type != XML_READER_TYPE_ELEMENT) return 0;
    const char *name = local_name(m);
    if (!strcmp(name, "cellXfs")) {
        w->in_cellxfs = !xmlTextReaderIsEmptyElement(m->reader);
    } else if (!strcmp(name, "numFmt")) {
        char *id = attr(m, "numFmtId"), *code = attr(m, "formatCode");
        if (id) {
            w->custom_id = hz->xrealloc(w->custom_id, (w->ncustom + 1) * sizeof *w->custom_id);
            w->custom_kind = hz->xrealloc(w->custom_kind, (w->ncustom + 1) * sizeof *w->custom_kind);
            w->custom_id[w->ncustom] = (unsigned)strtoul(id, NULL, 10);
            w->custom_kind[w->ncustom] = (unsigned char)hzs_cell_format_kind_of(0, code ? code : "");
            w->ncustom++;
        }
        free(id);
        free(code);
    } else if (!strcmp(name, "xf") && w->in_cellxfs) {
        char *id = attr(m, "numFmtId");
        unsigned fmt = id ? (unsigned)strtoul(id, NULL, 10) : 0;
        unsigned char kind = (unsigned char)hzs_cell_format_kind_of(fmt, NULL);
        for (size_t i = 0; i < w->ncustom; i++)
            if (w->custom_id[i] == fmt) kind = w->custom_kind[i];
        free(id);
        b->xf_kind = hz->xrealloc(b->xf_kind, (b->nxf + 1) * sizeof *b->xf_kind);
        b->xf_kind[b->nxf++] = kind;
    }
    return 0;
}

int xlsx_book_open(xlsx_book *b) {
    if (walk(b, "xl/workbook.xml", true, on_workbook, NULL) != 0) return -1;
    if (b->nsheets == 0) {
        hz->error(b->c, "%s: the workbook has no sheets", b->shown);
        return -1;
    }
    if (walk(b, "xl/_rels/workbook.xml.rels", true, on_rels, NULL) != 0) return -1;
    for (size_t i = 0; i < b->nsheets; i++)
        if (strncmp(b->sheets[i].part, "xl/", 3) != 0 && b->sheets[i].part[0] != '/' &&
            !strchr(b->sheets[i].part, '/')) {
            hz->error(b->c, "%s: sheet '%s' has no part in xl/_rels/workbook.xml.rels", b->shown,
                      b->sheets[i].name);
            return -1;
        }
    styles_walk w = {0};
    int rc = walk(b, "xl/styles.xml", false, on_styles, &w);
    free(w.custom_id);
    free(w.custom_kind);
    return rc < 0 ? -1 : 0;
}

/* xl/sharedStrings.xml: <si> holds <t> or rich-text runs <r><t>, whose
 * texts join; phonetic runs <rPh> are left out. */
typedef struct strings_walk {
    hzs_buf text;
    size_t cap;
    int in_t, in_rph;
    bool in_si;
    uint64_t used; /* bytes counted against the limit */
    size_t si_start;
} strings_walk;

static int on_strings(xlsx_book *b, xlsx_member *m, void *arg) {
    strings_walk *w = arg;
    int type = xmlTextReaderNodeType(m->reader);
    bool empty = type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(m->reader);
    const char *name =
        type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT ? local_name(m) : "";
    if (type == XML_READER_TYPE_ELEMENT && !strcmp(name, "si")) {
        w->in_si = true;
        w->si_start = w->text.len;
        b->str_at = hzs_grow(b->str_at, &w->cap, b->nstrings + 1, sizeof *b->str_at);
        b->str_at[b->nstrings] = w->text.len;
        w->used += sizeof(size_t);
    }
    if ((type == XML_READER_TYPE_END_ELEMENT && !strcmp(name, "si")) || (empty && !strcmp(name, "si"))) {
        hzs_buf_addc(&w->text, '\0');
        b->nstrings++;
        w->in_si = false;
    }
    if (!empty && !strcmp(name, "t")) w->in_t += type == XML_READER_TYPE_ELEMENT ? 1 : -1;
    if (!empty && !strcmp(name, "rPh")) w->in_rph += type == XML_READER_TYPE_ELEMENT ? 1 : -1;
    if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
         type == XML_READER_TYPE_WHITESPACE) &&
        w->in_si && w->in_t > 0 && w->in_rph == 0) {
        const char *v = (const char *)xmlTextReaderConstValue(m->reader);
        size_t n = v ? strlen(v) : 0;
        hzs_buf_add(&w->text, v, n);
        w->used += n;
        if (w->text.len - w->si_start > b->max_field_bytes) {
            hz->error(b->c, "%s: shared string %zu (from 0) is over max_field_bytes (%llu)", b->shown,
                      b->nstrings, (unsigned long long)b->max_field_bytes);
            return -1;
        }
    }
    if (w->used > b->max_strings_bytes) {
        hz->error(b->c,
                  "%s: the shared strings table is over max_shared_strings_bytes (%llu) at shared string "
                  "%zu (from 0): it is held in memory, raise the limit if the workbook is genuine",
                  b->shown, (unsigned long long)b->max_strings_bytes, b->nstrings);
        return -1;
    }
    return 0;
}

int xlsx_book_load_strings(xlsx_book *b) {
    strings_walk w = {0};
    int rc = walk(b, "xl/sharedStrings.xml", false, on_strings, &w);
    b->strings = hzs_buf_take(&w.text);
    return rc < 0 ? -1 : 0;
}

const char *xlsx_book_string(const xlsx_book *b, size_t i, size_t *len) {
    if (i >= b->nstrings) return NULL;
    const char *s = b->strings + b->str_at[i];
    *len = strlen(s);
    return s;
}

void xlsx_book_free(xlsx_book *b) {
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].part);
    }
    free(b->sheets);
    free(b->xf_kind);
    free(b->strings);
    free(b->str_at);
    b->sheets = NULL;
    b->nsheets = 0;
    b->xf_kind = NULL;
    b->strings = NULL;
    b->str_at = NULL;
    b->nstrings = 0;
}
