/* mode: replace_partition — a run replaces, in one transaction, the rows of
 * the partitions (values of the partition_by column) it carries, and no
 * others, so that several offices load one table without erasing each
 * other.  See README.md, "replace_partition". */
#ifndef HZ_PG_PARTITION_H
#define HZ_PG_PARTITION_H
#include "pg_sink.h"

/* In open(), in the transaction, with s->final known: checks an existing
 * table's columns (before anything is read) and creates the staging table
 * the rows are copied into; sets s->target. */
int pg_partition_open(pg_sink *s);
/* In prepare(), every row staged: under the table's advisory lock, creates
 * the table if absent (or checks its columns again), deletes the rows of
 * the carried partitions, inserts the staged rows.  Only COMMIT is left. */
int pg_partition_prepare(pg_sink *s);
/* After COMMIT: the summary lines (partitions, rows deleted and inserted). */
void pg_partition_note(pg_sink *s);
#endif
