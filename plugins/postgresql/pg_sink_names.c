/* The sink's names in PostgreSQL (see pg_sink_names.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_names.h"
#include "pg_sink_names.h"

bool pg_is_indexed(const pg_sink *s, size_t j) {
    return sql_is_index_column(s->names[j]) || (s->mode == PG_REPLACE_PARTITION && j == s->part);
}

char *pg_index_name_unfitted(const pg_sink *s, size_t j) {
    size_t n = strlen(s->table) + strlen(s->names[j]) + 6;
    char *index = hz->xmalloc(n);
    snprintf(index, n, "%s_%s_idx", s->table, s->names[j]);
    return index;
}

char *pg_index_name(const pg_sink *s, size_t j) {
    return pg_name_fit(pg_index_name_unfitted(s, j));
}

/* Where the pipeline names column `name`: its partition_by, else its key
 * in `types`; NULL (the sink itself) when it only comes from the input. */
static const hz_value *column_place(const pg_sink *s, const char *name) {
    if (s->mode == PG_REPLACE_PARTITION && !strcmp(name, s->names[s->part]))
        return hz->option(s->c, "partition_by");
    const hz_value *types = hz->option(s->c, "types");
    for (size_t k = 0; types && k < hz->value_count(types); k++) {
        const char *key = hz->value_string(hz->value_key(types, k));
        if (key && !strcmp(key, name)) return hz->value_key(types, k);
    }
    return NULL;
}

/* Whether the server keeps the same bytes of a and b. */
static bool same_when_kept(const char *a, const char *b) {
    size_t ka = pg_name_kept(a);
    return ka == pg_name_kept(b) && memcmp(a, b, ka) == 0;
}

int pg_check_column_names(pg_sink *s) {
    bool *reported = hz->xcalloc(s->ncols ? s->ncols : 1, sizeof *reported);
    int rc = 0;
    /* The input's names are distinct (the core refuses duplicates): two
     * the same when kept means at least one of them is cut. */
    for (size_t j = 0; j < s->ncols; j++) {
        for (size_t i = 0; i < j && !reported[j]; i++) {
            if (!same_when_kept(s->names[i], s->names[j])) continue;
            const hz_value *at = column_place(s, s->names[j]);
            hz->config_error(s->c, at ? at : column_place(s, s->names[i]),
                             "columns '%s' and '%s' would be one column '%.*s' in PostgreSQL, which keeps "
                             "only the first %d bytes of a name: rename one of them (e.g. with a rename "
                             "transform) to at most %d bytes",
                             s->names[i], s->names[j], (int)pg_name_kept(s->names[j]), s->names[j],
                             PG_NAME_MAX, PG_NAME_MAX);
            reported[i] = reported[j] = true;
            rc = -1;
        }
    }
    for (size_t j = 0; j < s->ncols; j++) {
        size_t n = strlen(s->names[j]);
        if (n <= PG_NAME_MAX || reported[j]) continue;
        hz->config_error(s->c, column_place(s, s->names[j]),
                         "column '%s' has %zu bytes, but PostgreSQL keeps only the first %d bytes of a name: "
                         "rename it (e.g. with a rename transform) to at most %d bytes",
                         s->names[j], n, PG_NAME_MAX, PG_NAME_MAX);
        rc = -1;
    }
    free(reported);
    return rc;
}

int pg_check_index_names(pg_sink *s) {
    /* names[0] is the table, names[1 + j] column j's index (or NULL). */
    char **names = hz->xcalloc(s->ncols + 1, sizeof *names);
    names[0] = hz->xstrdup(s->table);
    for (size_t j = 0; j < s->ncols; j++)
        if (pg_is_indexed(s, j)) names[1 + j] = pg_index_name(s, j);
    int rc = 0;
    for (size_t b = 1; b <= s->ncols; b++) {
        for (size_t a = 0; a < b && names[b]; a++) {
            if (!names[a] || strcmp(names[a], names[b]) != 0) continue;
            const char *column = s->names[b - 1];
            const hz_value *at = column_place(s, column);
            if (a == 0)
                hz->config_error(s->c, at ? at : hz->option(s->c, "table"),
                                 "table '%s' and the index of column '%s' would both be named '%s'", s->table,
                                 column, names[b]);
            else
                hz->config_error(
                    s->c, at ? at : column_place(s, s->names[a - 1]),
                    "the indexes of columns '%s' and '%s' would both be named '%s' (PostgreSQL keeps only "
                    "the "
                    "first %d bytes of a name: longer index names are cut and end with a hash of the whole "
                    "name, and these two hashes are equal): rename one of the columns",
                    s->names[a - 1], column, names[b], PG_NAME_MAX);
            rc = -1;
        }
    }
    for (size_t j = 0; j <= s->ncols; j++) free(names[j]);
    free(names);
    return rc;
}
