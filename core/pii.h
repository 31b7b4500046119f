/* Personal data: the pipeline's `pii:` declaration, carried along the
 * graph column by column, refused at the sinks that would publish it and
 * left out of the rejects' records.
 *
 * Where a column is personal:
 *   a source's output    its name is declared in pii:, or the source marked
 *                        it (hz->schema_set_personal; it cannot unmark a
 *                        declared one)
 *   a transform's output the transform marked it either way; else a column
 *                        of its input of the same name is personal; else (a
 *                        column it made) its name is declared
 *   a sink               writes a personal column only with allow_pii: true
 */
#ifndef HZ_PII_H
#define HZ_PII_H
#include <stdbool.h>
#include <stddef.h>

#include "pipeline.h"

/* Per column flags of an hz_schema. */
enum {
    HZ_PII_PERSONAL = 1, /* the column holds personal data */
    HZ_PII_MARKED = 2,   /* the plugin said so, either way: keep its word */
};

/* What a rejected row's record shows in place of a personal value. */
#define HZ_PII_WITHHELD "[pii]"

/* Read the top-level `pii:` key, and a component's `allow_pii:`. */
void hz_pii_read(hz_pipeline *p);
void hz_pii_read_allow(hz_component *c);

/* The schema a component reads: its first input's, or, with several
 * inputs, a copy marked personal where any input's column is (made on the
 * first call).  NULL for a source. */
const hz_schema *hz_pii_input_schema(hz_component *c);

/* After c's plan(): settle the flags of its output columns (sources and
 * transforms), or check what a sink writes (sinks). */
void hz_pii_after_plan(hz_component *c);

/* Once every component is planned: warn about a declared name no stream
 * has (a misspelling would leave the real column unprotected), and about
 * rejects sinks writing whole rows of a pipeline that never said whether
 * it holds personal data. */
void hz_pii_after_planning(hz_pipeline *p);

/* The host entries (plugin.h, ABI 1.2). */
bool hz_pii_schema_personal(const hz_schema *s, size_t i);
void hz_pii_set_personal(hz_component *c, hz_schema *s, size_t i, bool personal);
int hz_pii_sink_column(hz_component *c, const hz_schema *in, size_t i, const hz_value *at);

/* The schema the fields of a row c rejects follow: batch `b` of c (NULL:
 * a source's raw fields), or NULL when the row's columns are unknown. */
const hz_schema *hz_pii_reject_schema(hz_component *c, const hz_batch *b, size_t nfields);

/* Whether the pipeline declares personal data, so that a rejected row
 * must be screened. */
bool hz_pii_active(const hz_pipeline *p);

/* `detail` with every occurrence of a personal value of the row (fields
 * following `s`; every field when s is NULL) replaced by HZ_PII_WITHHELD:
 * a plugin's detail may quote the value it refused.  Values shorter than
 * three bytes are left: they identify no one and would garble the text.
 * Returns a new string (free it). */
char *hz_pii_scrub_detail(const char *detail, const hz_schema *s, const hz_field *fields, size_t n);
#endif
