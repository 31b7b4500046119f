/* fuzz_rows: the bytes are two CSV feeds, split at the first form feed
 * (0x0C), run through the transforms that parse field values and on to
 * the sinks that type them: merge of the two feeds on case_id (with its
 * duplicates report), int, bucket, date (every directive), map with and
 * without Unicode case folding, aggregate (shares, sums, top, disclosure
 * control), then a SQLite table (INTEGER and DATE columns) and a CSV
 * file.  Feeds have no header: their columns are fixed here, so every
 * byte is data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char pipeline[] =
    "version: 1\n"
    "sources:\n"
    "  vhr:\n"
    "    type: csv\n"
    "    path: vhr.csv\n"
    "    header: false\n"
    "    columns: &columns [case_id, departure_date, age, sex, origin_country, household_size]\n"
    "  avrr: {type: csv, path: avrr.csv, header: false, columns: *columns}\n"
    "transforms:\n"
    "  returns:\n"
    "    type: merge\n"
    "    inputs: [vhr, avrr]\n"
    "    key: [case_id]\n"
    "    duplicates: out/duplicates.csv\n"
    "  tidy:\n"
    "    inputs: [returns]\n"
    "    steps:\n"
    "      - {type: int, column: age, min: 0, max: 120, reason: invalid_age}\n"
    "      - type: bucket\n"
    "        column: age\n"
    "        output: age_group\n"
    "        buckets: {child: [0, 17], adult: [18, 59], elderly: [60, 120]}\n"
    "        empty: unknown\n"
    "      - type: date\n"
    "        column: departure_date\n"
    "        formats: [\"%d.%m.%Y\", \"%Y-%m-%d\", \"%Y%m%d\", \"%d.%m.%y\", \"%d-%b-%Y\", \"%b %e %Y\"]\n"
    "        year_column: year\n"
    "        required: false\n"
    "      - type: map\n"
    "        column: sex\n"
    "        values: {m: male, männlich: male, f: female, weiblich: female, \"\": unknown}\n"
    "        reason: invalid_sex\n"
    "      - type: map\n"
    "        column: origin_country\n"
    "        ignore_case: true\n"
    "        on_unmatched: keep\n"
    "        values: {Türkiye: Türkiye, Turkey: Türkiye, Irak: Iraq, Elfenbeinküste: Côte d'Ivoire,\n"
    "                 ΕΛΛΆΔΑ: Greece, İstanbul: Türkiye, ß: ss}\n"
    "      - {type: int, column: household_size}\n"
    "  table:\n"
    "    type: aggregate\n"
    "    inputs: [tidy]\n"
    "    group_by: [origin_country, age_group]\n"
    "    order: count_desc\n"
    "    top: 5\n"
    "    share: share\n"
    "    share_digits: 2\n"
    "    sum: {people: household_size}\n"
    "    suppress_below: 3\n"
    "sinks:\n"
    "  rows: {type: sqlite, inputs: [tidy], path: out/returns.sqlite, table: returns,\n"
    "         types: {departure_date: DATE, household_size: INTEGER}}\n"
    "  totals: {type: csv, inputs: [table], path: out/totals.csv, fsync: false}\n"
    "rejects: {type: csv, path: out/rejects.csv, fsync: false}\n";

static hz_document *doc;
static const char *file;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hz_fuzz_setup();
    doc = hz_fuzz_load_fixed("rows.yaml", pipeline, &file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *split = size ? memchr(data, '\f', size) : NULL;
    size_t first = split ? (size_t)(split - data) : size;
    hz_fuzz_write("vhr.csv", data, first);
    hz_fuzz_write("avrr.csv", split ? split + 1 : data, split ? size - first - 1 : 0);
    hz_fuzz_pipeline(doc, file, HZ_MODE_RUN);
    return 0;
}
