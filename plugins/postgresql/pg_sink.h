/* The postgresql sink's state, shared by its files: pg_sink.c (the class:
 * options, connection, COPY), pg_sql.c (building and running statements),
 * pg_table.c (what the server already has) and pg_partition.c (mode
 * replace_partition). */
#ifndef HZ_PG_SINK_H
#define HZ_PG_SINK_H
#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include <support/hzs_buf.h>
#include <support/hzs_sql.h>
#include "pg_plugin.h"

typedef enum pg_mode { PG_REPLACE, PG_APPEND, PG_REPLACE_PARTITION } pg_mode;

typedef struct pg_sink {
    hz_component *c;
    const char *conninfo;
    char *schema; /* given as schema.table, or found at open() */
    char *table;  /* the bare table name */
    pg_mode mode;
    size_t ncols;
    const char **names;
    sql_type *types;
    bool *declared;
    size_t part; /* replace_partition: the partition_by column's index */

    PGconn *conn;
    char *final;    /* "schema"."table", quoted */
    char *target;   /* where COPY goes: the new table (replace), the staging
                       table (replace_partition) or final (append) */
    char *new_name; /* the new table's bare name (replace) */
    char *copy_sql;
    hzs_buf buf; /* COPY data not sent yet */

    /* replace_partition: a row with a NULL partition value was sent (an
     * empty field in a non-text partition column), and the summary line
     * made in prepare(), noted once COMMIT succeeded. */
    bool null_partition;
    char *summary;
} pg_sink;
#endif
