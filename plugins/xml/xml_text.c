/* Field text (see xml_text.h). */
#include "xml_text.h"

#include <string.h>

#include <libxml/entities.h>

/* Entities nest; libxml2 has already refused loops while parsing, this
 * only bounds our own recursion. */
#define MAX_ENTITY_DEPTH 40

typedef struct walker {
    hzs_buf *out;
    size_t start, limit; /* the field's first byte in out, its most bytes */
    xml_text_result *res;
} walker;

/* false once the field is over its limit: the walk stops there. */
static bool put(walker *w, const xmlChar *s, int entity_depth) {
    /* Empty text (id="", <a></a>) adds nothing, and before the first
     * non-empty text there is no buffer to point into. */
    if (!s || !*s) return true;
    size_t n = strlen((const char *)s), have = w->out->len - w->start;
    if (n > w->limit - have) {
        w->res->over_limit = true;
        return false;
    }
    hzs_buf_add(w->out, s, n);
    if (entity_depth > 0) w->res->entity_bytes += n;
    return true;
}

static bool walk(walker *w, const xmlNode *first, int depth);

static bool entity_text(walker *w, const xmlNode *ref, int depth) {
    xmlEntity *ent = xmlGetDocEntity(ref->doc, ref->name);
    if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY || depth >= MAX_ENTITY_DEPTH) {
        /* External (never loaded: no file or network access from a
         * feed), unparsed, or undeclared. */
        if (!w->res->unresolved) w->res->unresolved = ref->name;
        return true;
    }
    if (ent->children) return walk(w, ent->children, depth + 1);
    return put(w, ent->content, 1); /* not parsed into nodes: the replacement text itself */
}

static bool walk(walker *w, const xmlNode *first, int depth) {
    for (const xmlNode *n = first; n; n = n->next) {
        bool more = true;
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE: more = put(w, n->content, depth); break;
        case XML_ELEMENT_NODE: more = walk(w, n->children, depth); break;
        case XML_ENTITY_REF_NODE: more = entity_text(w, n, depth); break;
        default: break; /* comments, processing instructions */
        }
        if (!more) return false;
    }
    return true;
}

void xml_text_append(hzs_buf *out, const xmlNode *node, size_t limit, xml_text_result *res) {
    walker w = {out, out->len, limit, res};
    walk(&w, node->children, 0);
}
