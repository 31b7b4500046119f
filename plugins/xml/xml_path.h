/* Paths of element names: which element is a record, and where each field
 * lives inside it.  Names are matched by local name (a namespace prefix
 * written in a path is ignored), so feeds that add or change namespaces
 * need no new pipeline. */
#ifndef HZ_XML_PATH_H
#define HZ_XML_PATH_H
#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

typedef struct xml_path {
    char **names; /* element local names, outermost first */
    size_t n;
    char *attr;    /* a field ending in @name: that attribute, else NULL */
    bool anchored; /* record path written with a leading '/': from the root */
} xml_path;

/* Parse `text`.  A record path is `case`, `returns/case` or `/returns/case`
 * (no attribute); a field path is `departure`, `person/name`, `@id`,
 * `origin/@code`, or `.` for the record element's own text.  Returns 0, or -1 with *why set to a static
 * message. */
int xml_path_parse(const char *text, bool record, xml_path *out, const char **why);
void xml_path_free(xml_path *p);

/* Does the record path end at the element whose ancestors-or-self local
 * names are stack[0..depth]? */
bool xml_path_matches(const xml_path *p, const char *const *stack, size_t depth);

/* The node a field path names inside `record`: the first match in document
 * order (an element, or an attribute node), or NULL when it is absent. */
xmlNode *xml_path_find(const xml_path *p, xmlNode *record);
#endif
