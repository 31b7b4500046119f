/* max_rejects: a count or a percent, for the whole pipeline (top-level
 * key) or for the rows one source read (a source's core key); see
 * reject_limits.c. */
#ifndef HZ_REJECT_LIMITS_H
#define HZ_REJECT_LIMITS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonize/plugin.h>

#include "value.h"

struct hz_pipeline;

/* A percent limit: num / scale percent of the rows read (0 <= num / scale
 * <= 100, scale a power of ten); scale 0: no percent limit. */
typedef struct hz_reject_percent {
    uint64_t num, scale;
} hz_reject_percent;

/* Parse a max_rejects value: a whole number >= 0 (into *count, *percent
 * zeroed) or a percent like 2% or 0.5% (into *percent, *count -1).
 * Returns false, with *count -1, *percent zeroed and why in msg, when it
 * is neither. */
bool hz_reject_limit_parse(const hz_value *v, int64_t *count, hz_reject_percent *percent, char *msg,
                           size_t msg_size);

/* One more rejected row of `origin`: counted for the pipeline and for the
 * source that read it; a count limit exceeded stops the run. */
void hz_reject_limits_count(struct hz_pipeline *p, hz_origin origin);

/* The percent limits, judged once every row is read: one exceeded fails
 * the run (nothing is published).  Nothing to do when the run failed. */
void hz_reject_limits_check(struct hz_pipeline *p);
#endif
