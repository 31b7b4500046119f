/* Field text (see xml_text.h). */
#include "xml_text.h"

#include <string.h>

#include <libxml/entities.h>

/* Entities nest; libxml2 has already refused loops and amplification
 * (billion laughs) while parsing, this only bounds our own recursion. */
#define MAX_ENTITY_DEPTH 40

typedef struct walker {
    hzs_buf *out;
    const xmlChar *unresolved; /* the first entity without text */
} walker;

static void put(walker *w, const xmlChar *s) {
    /* Empty text (id="", <a></a>) adds nothing, and before the first
     * non-empty text there is no buffer to point into. */
    if (s) hzs_buf_adds(w->out, (const char *)s);
}

static void walk(walker *w, const xmlNode *first, int depth);

static void entity_text(walker *w, const xmlNode *ref, int depth) {
    xmlEntity *ent = xmlGetDocEntity(ref->doc, ref->name);
    if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY || depth >= MAX_ENTITY_DEPTH) {
        /* External (never loaded: no file or network access from a
         * feed), unparsed, or undeclared. */
        if (!w->unresolved) w->unresolved = ref->name;
        return;
    }
    if (ent->children)
        walk(w, ent->children, depth + 1);
    else
        put(w, ent->content); /* not parsed into nodes: the replacement text itself */
}

static void walk(walker *w, const xmlNode *first, int depth) {
    for (const xmlNode *n = first; n; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE: put(w, n->content); break;
        case XML_ELEMENT_NODE: walk(w, n->children, depth); break;
        case XML_ENTITY_REF_NODE: entity_text(w, n, depth); break;
        default: break; /* comments, processing instructions */
        }
    }
}

const xmlChar *xml_text_append(hzs_buf *out, const xmlNode *node) {
    walker w = {out, NULL};
    walk(&w, node->children, 0);
    return w.unresolved;
}
