/* The text of a field: the concatenated character data under an element
 * (text and CDATA of all its descendants, entity references expanded), or
 * an attribute's value.  Kept byte for byte: no trimming, no whitespace
 * folding, so what the feed holds is what the row holds.
 *
 * Bounded: a field stops growing past its limit (max_field_bytes), so an
 * entity used 50,000 times, or a record of huge texts, never takes more
 * memory than the limit says. */
#ifndef HZ_XML_TEXT_H
#define HZ_XML_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <support/hzs_buf.h>

#include <libxml/tree.h>

typedef struct xml_text_result {
    /* NULL, or the name of the first entity met whose text libxml2 did
     * not load (an external entity, never fetched): that text is missing,
     * so the caller fails rather than hand on an incomplete value. */
    const xmlChar *unresolved;
    bool over_limit;       /* the text is longer than the limit (truncated) */
    uint64_t entity_bytes; /* bytes that came from entity references */
} xml_text_result;

/* Append the text of `node` (an element or an attribute) to `out`, at
 * most `limit` bytes of it (more sets over_limit and stops). */
void xml_text_append(hzs_buf *out, const xmlNode *node, size_t limit, xml_text_result *res);
#endif
