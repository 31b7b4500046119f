/* mode: replace_partition (see pg_partition.h).
 *
 * Rows are copied into a temporary table during the run (private to the
 * session, no WAL, gone with the transaction), so the real table is not
 * touched, nor locked, while the run reads its feeds.  prepare() then
 * takes a transaction-level advisory lock whose key is derived from the
 * schema-qualified table name, hashtext('"schema"."table"'), computed by
 * the server that holds the lock (so every client, whatever its version or
 * platform, gets the same key), and under it: DELETE the rows of every
 * partition the staging table carries, INSERT the staged rows.  The lock
 * is released by COMMIT or ROLLBACK, so runs on one table follow each
 * other: the later one's DELETE, a new statement in READ COMMITTED, sees
 * what the earlier one committed, and replaces it when both carry the same
 * partition.  Runs on different partitions never delete each other's rows.
 *
 * NULL: an empty field of a non-text partition column is NULL.  It is a
 * partition like any other (a run carrying NULL-partition rows replaces
 * the table's NULL-partition rows), as '' is in a text column: `IN` never
 * matches NULL, so those rows are deleted by an explicit IS NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_partition.h"
#include "pg_sink_names.h"
#include "pg_sql.h"
#include "pg_table.h"

/* The staging table: a temporary table is private to its session, so one
 * name serves every run. */
#define STAGE "pg_temp._hz_stage"

/* Partitions listed one per line in the summary, at most. */
#define LISTED_PARTITIONS 10

int pg_partition_open(pg_sink *s) {
    /* The table's columns are checked again under the lock in prepare():
     * this is to fail before anything is read in the usual case. */
    if (pg_check_columns(s, true) != 0) return -1;
    char *columns = pg_column_list(s, true);
    int rc = pg_exec(s, pg_sql_text("CREATE TEMPORARY TABLE " STAGE " (%s) ON COMMIT DROP", columns),
                     "cannot create the staging table");
    free(columns);
    s->target = hz->xstrdup(STAGE);
    return rc;
}

/* Wait for the table's advisory lock, saying so when another run holds
 * it. */
static int lock_table(pg_sink *s) {
    const char *param = s->final;
    PGresult *res = pg_query(s,
                             hz->xstrdup("SELECT pg_catalog.hashtext($1), "
                                         "pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext($1))"),
                             1, &param, "cannot lock the table");
    if (!res) return -1;
    bool taken = !strcmp(PQgetvalue(res, 0, 1), "t");
    if (!taken)
        hz->log(s->c, HZ_LOG_INFO,
                "waiting for another run writing table %s to finish (advisory lock %s = hashtext('%s'))",
                s->final, PQgetvalue(res, 0, 0), s->final);
    PQclear(res);
    if (taken) return 0;
    res = pg_query(s, hz->xstrdup("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext($1))"), 1,
                   &param, "cannot lock the table");
    PQclear(res);
    return res ? 0 : -1;
}

/* A table this run creates gets an index on the partition column (the
 * DELETE of later runs finds a partition's rows by it) and, as in the
 * other modes, on country-code columns.  An existing table keeps the
 * indexes it has. */
static int create_table(pg_sink *s) {
    char *columns = pg_column_list(s, true);
    int rc = pg_exec(s, pg_sql_text("CREATE TABLE %s (%s)", s->final, columns), "cannot create the table");
    free(columns);
    for (size_t j = 0; j < s->ncols && rc == 0; j++) {
        if (!pg_is_indexed(s, j)) continue;
        char *index = pg_index_name(s, j);
        rc = pg_exec(s, pg_sql_text("CREATE INDEX %I ON %s (%I)", index, s->final, s->names[j]),
                     "cannot create an index");
        free(index);
    }
    return rc;
}

/* A count with thousands separators: 1,204. */
static void add_count(hzs_buf *b, unsigned long long count) {
    char digits[24];
    size_t n = (size_t)snprintf(digits, sizeof digits, "%llu", count);
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) hzs_buf_addc(b, ',');
        hzs_buf_addc(b, digits[i]);
    }
}

/* The summary: a total line, then one line per partition (the first
 * LISTED_PARTITIONS).  `res` rows: partition (text), is NULL, deleted,
 * inserted; ordered by partition. */
static void make_summary(pg_sink *s, const PGresult *res) {
    hzs_buf b = {0};
    int n = PQntuples(res);
    unsigned long long deleted = 0, inserted = 0;
    for (int r = 0; r < n; r++) {
        deleted += strtoull(PQgetvalue(res, r, 2), NULL, 10);
        inserted += strtoull(PQgetvalue(res, r, 3), NULL, 10);
    }
    hzs_buf_printf(&b, "replaced %d partition%s of %s in table %s: ", n, n == 1 ? "" : "s", s->names[s->part],
                   s->final);
    add_count(&b, deleted);
    hzs_buf_adds(&b, " rows deleted, ");
    add_count(&b, inserted);
    hzs_buf_adds(&b, " inserted");
    for (int r = 0; r < n && r < LISTED_PARTITIONS; r++) {
        if (!strcmp(PQgetvalue(res, r, 1), "t"))
            hzs_buf_adds(&b, "\n  NULL (empty field): ");
        else
            hzs_buf_printf(&b, "\n  '%s': ", PQgetvalue(res, r, 0));
        add_count(&b, strtoull(PQgetvalue(res, r, 2), NULL, 10));
        hzs_buf_adds(&b, " deleted, ");
        add_count(&b, strtoull(PQgetvalue(res, r, 3), NULL, 10));
        hzs_buf_adds(&b, " inserted");
    }
    if (n > LISTED_PARTITIONS) hzs_buf_printf(&b, "\n  and %d more partitions", n - LISTED_PARTITIONS);
    s->summary = hzs_buf_take(&b);
}

/* DELETE the carried partitions' rows; the result has one row per carried
 * partition with its rows deleted and staged (see make_summary). */
static PGresult *delete_partitions(pg_sink *s) {
    const char *p = s->names[s->part];
    /* Without NULL-partition rows the condition is a plain IN, which the
     * planner can make a semi-join using the partition column's index (an
     * OR keeps it from that, so it is added only when needed). */
    char *null_too = s->null_partition ? pg_sql_text(" OR t.%I IS NULL", p) : hz->xstrdup("");
    char *sql = pg_sql_text("WITH gone AS (DELETE FROM %s t WHERE t.%I IN (SELECT %I FROM " STAGE ")%s "
                            "RETURNING t.%I), "
                            "deleted AS (SELECT %I AS p, pg_catalog.count(*) AS n FROM gone GROUP BY 1), "
                            "carried AS (SELECT %I AS p, pg_catalog.count(*) AS n FROM " STAGE " GROUP BY 1) "
                            "SELECT c.p::text, c.p IS NULL, COALESCE(d.n, 0), c.n FROM carried c "
                            "LEFT JOIN deleted d ON d.p IS NOT DISTINCT FROM c.p ORDER BY c.p NULLS LAST",
                            s->final, p, p, null_too, p, p, p);
    free(null_too);
    return pg_query(s, sql, 0, NULL, "cannot delete the partitions' rows");
}

int pg_partition_prepare(pg_sink *s) {
    if (lock_table(s) != 0) return -1;
    /* Under the lock: no other run creates or fills the table meanwhile. */
    int exists = pg_table_exists(s);
    if (exists < 0 || (exists ? pg_check_columns(s, true) : create_table(s)) != 0) return -1;
    /* Autovacuum never analyzes temporary tables: without statistics the
     * planner would guess the staging table's partitions, and may scan the
     * whole table instead of using the partition column's index. */
    if (pg_exec(s, hz->xstrdup("ANALYZE " STAGE), "cannot analyze the staged rows") != 0) return -1;
    PGresult *parts = delete_partitions(s);
    if (!parts) return -1;
    char *columns = pg_column_list(s, false);
    int rc = pg_exec(s, pg_sql_text("INSERT INTO %s (%s) SELECT %s FROM " STAGE, s->final, columns, columns),
                     "cannot insert the rows");
    free(columns);
    if (rc == 0) make_summary(s, parts);
    PQclear(parts);
    return rc;
}

void pg_partition_note(pg_sink *s) {
    if (!s->summary) return;
    for (char *line = s->summary, *end; line; line = end ? end + 1 : NULL) {
        end = strchr(line, '\n');
        if (end) *end = '\0';
        hz->summary_note(s->c, "%s", line);
    }
}
