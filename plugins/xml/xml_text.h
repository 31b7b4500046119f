/* The text of a field: the concatenated character data under an element
 * (text and CDATA of all its descendants, entity references expanded), or
 * an attribute's value.  Kept byte for byte: no trimming, no whitespace
 * folding, so what the feed holds is what the row holds. */
#ifndef HZ_XML_TEXT_H
#define HZ_XML_TEXT_H
#include <support/hzs_buf.h>

#include <libxml/tree.h>

/* Append the text of `node` (an element or an attribute) to `out`.
 * Returns NULL, or the name of the first entity met whose text libxml2 did
 * not load (an external entity, never fetched): that text is missing from
 * `out`, so the caller fails rather than hand on an incomplete value. */
const xmlChar *xml_text_append(hzs_buf *out, const xmlNode *node);
#endif
