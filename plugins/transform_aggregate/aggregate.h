/* aggregate: state shared by the plugin (options, plan, rows in) and the
 * table it publishes from finish() (suppression, order, top N, cells). */
#ifndef HZ_AGGREGATE_H
#define HZ_AGGREGATE_H
#include <stdbool.h>
#include <stdint.h>

#include <harmonize/plugin.h>

#include <support/hzs_keytable.h>

#define GROUP_SUPPRESSED 1u

/* Per group, in the key table's arena after nothing else. */
typedef struct group {
    uint64_t count;
    uint64_t line; /* the group's first row: the provenance of its output row */
    uint64_t rank; /* 0: none (not ranked, or suppressed) */
    uint32_t feed;
    uint32_t flags;
    int64_t sums[];
} group;

typedef struct agg_state {
    hz_component *c;
    size_t ngroup, *group_cols;
    size_t nsum, *sum_cols;
    const char **sum_inputs; /* input column names of the sums, for rejects */
    bool order_by_count;
    int64_t top;        /* 0: every group */
    bool share;         /* a share column */
    int share_digits;   /* decimals of the share */
    bool *within;       /* share_within: per group_by column, whether it parts the share's total */
    size_t nwithin;     /* ... how many do (0: the share is of all rows) */
    int64_t suppress;   /* k: counts 1..k-1 are suppressed; 0: off */
    bool secondary;     /* complementary suppression */
    const char *marker; /* written instead of a suppressed number */
    bool rank, flag;    /* rank and suppressed columns */
    size_t ncols_out;
    keytable groups;
    unsigned char *scratch; /* the encoded group of the row at hand */
    size_t scratch_cap;
    int64_t *row_sums; /* the row at hand's summed values */
    bool *row_has;     /* ... and which were not empty */

    /* finish() */
    bool prepared;
    uint64_t total;
    uint64_t *part_total; /* share_within: per group, the rows of its part */
    size_t *order, norder, next;
} agg_state;

/* finish(): publish the groups, a batch per call. */
int aggregate_finish(hz_component *c, void *self, hz_batch *out);
#endif
