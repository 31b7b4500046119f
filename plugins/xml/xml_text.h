/* The text of a field: the concatenated character data under an element
 * (text and CDATA of all its descendants, entity references expanded), or
 * an attribute's value.  Kept byte for byte: no trimming, no whitespace
 * folding, so what the feed holds is what the row holds. */
#ifndef HZ_XML_TEXT_H
#define HZ_XML_TEXT_H
#include <stddef.h>

#include <libxml/tree.h>

/* A growing byte buffer, reused for every record. */
typedef struct xml_text {
    char *data;
    size_t len, cap;
    /* Set when a reference to an entity whose text libxml2 did not load
     * (an external entity, never fetched) was met: that text would be
     * silently missing, so the source fails instead. */
    const xmlChar *unresolved;
} xml_text;

/* Append the text of `node` (an element or an attribute).  Returns 0, or
 * -1 when memory runs out. */
int xml_text_append(xml_text *t, const xmlNode *node);
void xml_text_free(xml_text *t);
#endif
