/* Record and field paths (see xml_path.h). */
#include "xml_path.h"

#include <stdlib.h>
#include <string.h>

#include <harmonize/plugin.h>
#include <support/hzs_str.h>

/* A name as written, without any namespace prefix; NULL if it is not a
 * plausible XML name (empty, or holding characters no name has). */
static char *local_name(const char *start, size_t len) {
    const char *colon = memchr(start, ':', len);
    if (colon) {
        len -= (size_t)(colon + 1 - start);
        start = colon + 1;
    }
    if (len == 0) return NULL;
    for (size_t i = 0; i < len; i++)
        if (strchr(" \t\r\n/@[]()=<>&\"'*", start[i])) return NULL;
    if (start[0] == '.' || start[0] == '-' || (start[0] >= '0' && start[0] <= '9')) return NULL;
    return hzs_strndup(start, len);
}

int xml_path_parse(const char *text, bool record, xml_path *out, const char **why) {
    memset(out, 0, sizeof *out);
    const char *p = text;
    if (record && *p == '/') {
        out->anchored = true;
        p++;
    }
    if (!record && !strcmp(p, ".")) return 0; /* the record element itself */
    size_t max = 1;
    for (const char *q = p; *q; q++) max += *q == '/';
    out->names = hz->xcalloc(max, sizeof *out->names);
    for (;;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (*p == '@') {
            if (record) return *why = "a record is an element, not an attribute", -1;
            if (end) return *why = "an attribute (@name) can only end a path", -1;
            out->attr = local_name(p + 1, len - 1);
            if (!out->attr) return *why = "'@' must be followed by an attribute name", -1;
            return 0;
        }
        char *name = local_name(p, len);
        if (!name)
            return *why = len == 0 ? "empty step in path (two '/' in a row, or a '/' at an end)"
                                   : "not an element name",
                   -1;
        out->names[out->n++] = name;
        if (!end) return 0;
        p = end + 1;
    }
}

void xml_path_free(xml_path *p) {
    for (size_t i = 0; i < p->n; i++) free(p->names[i]);
    free(p->names);
    free(p->attr);
    memset(p, 0, sizeof *p);
}

bool xml_path_matches(const xml_path *p, const char *const *stack, size_t depth) {
    size_t have = depth + 1;
    if (p->n > have || (p->anchored && p->n != have)) return false;
    for (size_t k = 0; k < p->n; k++)
        if (strcmp(p->names[p->n - 1 - k], stack[depth - k]) != 0) return false;
    return true;
}

static xmlAttr *find_attr(xmlNode *e, const char *name) {
    for (xmlAttr *a = e->properties; a; a = a->next)
        if (!strcmp((const char *)a->name, name)) return a;
    return NULL;
}

/* Depth-first over the children of `e`, following names[step..]. */
static xmlNode *find_from(const xml_path *p, xmlNode *e, size_t step) {
    if (step == p->n) return p->attr ? (xmlNode *)find_attr(e, p->attr) : e;
    for (xmlNode *k = e->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || strcmp((const char *)k->name, p->names[step]) != 0) continue;
        xmlNode *hit = find_from(p, k, step + 1);
        if (hit) return hit;
    }
    return NULL;
}

xmlNode *xml_path_find(const xml_path *p, xmlNode *record) {
    return find_from(p, record, 0);
}
