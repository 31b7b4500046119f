/* Field text (see xml_text.h). */
#include "xml_text.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/entities.h>

/* Entities nest; libxml2 has already refused loops and amplification
 * (billion laughs) while parsing, this only bounds our own recursion. */
#define MAX_ENTITY_DEPTH 40

static int put(xml_text *t, const xmlChar *s, size_t n) {
    /* Empty text (id="", <a></a>) adds nothing, and before the first
     * non-empty text there is no buffer to point into. */
    if (n == 0) return 0;
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n) cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) return -1;
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    return 0;
}

static int walk(xml_text *t, const xmlNode *first, int depth);

static int entity_text(xml_text *t, const xmlNode *ref, int depth) {
    xmlEntity *ent = xmlGetDocEntity(ref->doc, ref->name);
    if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY || depth >= MAX_ENTITY_DEPTH) {
        /* External (never loaded: no file or network access from a
         * feed), unparsed, or undeclared. */
        if (!t->unresolved) t->unresolved = ref->name;
        return 0;
    }
    if (ent->children) return walk(t, ent->children, depth + 1);
    /* Not parsed into nodes: the replacement text itself. */
    return ent->content ? put(t, ent->content, strlen((const char *)ent->content)) : 0;
}

static int walk(xml_text *t, const xmlNode *first, int depth) {
    for (const xmlNode *n = first; n; n = n->next) {
        int rc = 0;
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content) rc = put(t, n->content, strlen((const char *)n->content));
            break;
        case XML_ELEMENT_NODE: rc = walk(t, n->children, depth); break;
        case XML_ENTITY_REF_NODE: rc = entity_text(t, n, depth); break;
        default: break; /* comments, processing instructions */
        }
        if (rc != 0) return rc;
    }
    return 0;
}

int xml_text_append(xml_text *t, const xmlNode *node) {
    return walk(t, node->children, 0);
}

void xml_text_free(xml_text *t) {
    free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
}
