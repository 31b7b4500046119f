/* Queries on the catalog (see pg_table.h). */
#include <stdlib.h>
#include <string.h>

#include "pg_sql.h"
#include "pg_table.h"

int pg_resolve_schema(pg_sink *s) {
    if (s->schema) return 0;
    bool failed = false;
    char *quoted = pg_sql_text("%I", s->table);
    s->schema = pg_query_value(s,
                               "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                               "ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)",
                               quoted, &failed);
    free(quoted);
    if (failed) return -1;
    if (!s->schema) s->schema = pg_query_value(s, "SELECT pg_catalog.current_schema()", NULL, &failed);
    if (failed) return -1;
    if (!s->schema) {
        hz->error(s->c, "no schema to create table '%s' in (search_path is empty): write schema.table",
                  s->table);
        return -1;
    }
    return 0;
}

/* replace drops the old table without CASCADE: say now, before reading
 * anything, if views or foreign keys depend on it, rather than fail at
 * commit time. */
int pg_check_dependents(pg_sink *s) {
    bool failed = false;
    char *list = pg_query_value(
        s,
        "SELECT pg_catalog.string_agg(DISTINCT CASE WHEN d.classid = "
        "'pg_catalog.pg_rewrite'::pg_catalog.regclass "
        "THEN (SELECT 'view ' || r.ev_class::pg_catalog.regclass::text FROM pg_catalog.pg_rewrite r "
        "WHERE r.oid = d.objid) ELSE pg_catalog.pg_describe_object(d.classid, d.objid, 0) END, ', ') "
        "FROM pg_catalog.pg_depend d WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.refobjid = pg_catalog.to_regclass($1) AND d.deptype = 'n' "
        "AND NOT (d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND EXISTS "
        "(SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.oid = d.objid AND k.conrelid = d.refobjid))",
        s->final, &failed);
    if (failed) return -1;
    if (!list) return 0;
    hz->error(s->c,
              "mode replace would drop table %s, but other objects depend on it (%s): drop them, or use "
              "mode: append",
              s->final, list);
    free(list);
    return -1;
}

int pg_table_exists(pg_sink *s) {
    bool failed = false;
    char *oid = pg_query_value(s, "SELECT pg_catalog.to_regclass($1)::pg_catalog.oid", s->final, &failed);
    free(oid);
    return failed ? -1 : oid != NULL;
}

/* Row r of `cols` (name, type) named `name`, or -1.  Tables have few
 * columns: a linear search per column is cheap, and runs once per run. */
static int find_column(const PGresult *cols, const char *name) {
    for (int r = 0; r < PQntuples(cols); r++)
        if (!strcmp(PQgetvalue(cols, r, 0), name)) return r;
    return -1;
}

/* `part` of the message: a label, then the items separated by ", ". */
static void add_item(hzs_buf *part, const char *label, const char *item) {
    hzs_buf_adds(part, part->len ? ", " : label);
    hzs_buf_adds(part, item);
}

int pg_check_columns(pg_sink *s, bool exact) {
    const char *param = s->final;
    PGresult *cols = pg_query(s,
                              hz->xstrdup("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
                                          "FROM pg_catalog.pg_attribute a WHERE a.attrelid = "
                                          "pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT "
                                          "a.attisdropped ORDER BY a.attnum"),
                              1, &param, "cannot read the table's columns");
    if (!cols) return -1;
    if (PQntuples(cols) == 0) { /* absent (a table has at least one column here) */
        PQclear(cols);
        return 0;
    }
    hzs_buf missing = {0}, types = {0}, extra = {0};
    for (size_t j = 0; j < s->ncols; j++) {
        int r = find_column(cols, s->names[j]);
        char *name = pg_sql_text("%I", s->names[j]);
        if (r < 0) {
            add_item(&missing, "missing ", name);
        } else if (exact && strcmp(PQgetvalue(cols, r, 1), pg_type(s->types[j])) != 0) {
            add_item(&types, "of another type ", name);
            hzs_buf_printf(&types, " (%s in the table, %s from the sink)", PQgetvalue(cols, r, 1),
                           pg_type(s->types[j]));
        }
        free(name);
    }
    for (int r = 0; exact && r < PQntuples(cols); r++) {
        bool written = false;
        for (size_t j = 0; j < s->ncols && !written; j++)
            written = !strcmp(PQgetvalue(cols, r, 0), s->names[j]);
        if (written) continue;
        char *name = pg_sql_text("%I", PQgetvalue(cols, r, 0));
        add_item(&extra, "not written by the sink ", name);
        free(name);
    }
    PQclear(cols);
    int rc = 0;
    if (missing.len || types.len || extra.len) {
        const char *sep1 = missing.len && (types.len || extra.len) ? "; " : "";
        const char *sep2 = types.len && extra.len ? "; " : "";
        hz->error(s->c, "table %s does not match the columns this sink writes: %s%s%s%s%s", s->final,
                  hzs_buf_str(&missing), sep1, hzs_buf_str(&types), sep2, hzs_buf_str(&extra));
        rc = -1;
    }
    hzs_buf_free(&missing);
    hzs_buf_free(&types);
    hzs_buf_free(&extra);
    return rc;
}

int pg_column_has_index(pg_sink *s, const char *index, const char *column) {
    const char *params[] = {s->final, index, column};
    PGresult *res = pg_query(s,
                             hz->xstrdup("SELECT 1 FROM pg_catalog.pg_index i "
                                         "JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid "
                                         "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid "
                                         "AND a.attnum = i.indkey[0] "
                                         "WHERE i.indrelid = pg_catalog.to_regclass($1) AND i.indnatts = 1 "
                                         "AND x.relname = $2 AND a.attname = $3"),
                             3, params, "cannot read the table's indexes");
    if (!res) return -1;
    int found = PQntuples(res) > 0;
    PQclear(res);
    return found;
}
