/* hzs_sheet.h - what the workbook sources (xlsx, xls) share about one
 * sheet read as a table: the `sheet`, `range`, `header_row` and `dates`
 * options, the header row turned into column names (merged header cells
 * named Name, Name_2...), and empty rows counted for the run summary.
 * Each source reads its own file format; what a user writes and reads in
 * messages is the same for both. */
#ifndef HZS_SHEET_H
#define HZS_SHEET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonize/plugin.h>

/* The entries of a sheet source's option table that hzs_sheet reads
 * (sheet, header_row, range), in one place so that every such source
 * documents them alike; `dates` says what its format detects, so each
 * source writes its own. */
// clang-format off
#define HZS_SHEET_OPTIONS                                                                               \
    {"sheet", HZ_OPT_STRING, NULL, false,                                                               \
     "the sheet to read: its name, or its position from 1 (default: the first)", NULL},               \
    {"header_row", HZ_OPT_INT, NULL, false,                                                             \
     "the row (from 1) holding the column names; default the first row of 'range', else 1", NULL},     \
    {"range", HZ_OPT_STRING, NULL, false,                                                               \
     "the cells to read, A1-style: A3:F2000, or columns only (B:F); outside it nothing is read", NULL}
// clang-format on

/* The cells a source reads: `range` and `header_row`. */
typedef struct hzs_sheet_area {
    uint32_t header_row;
    uint32_t col1, col2, row1, row2; /* the range; col2/row2 0: open */
    bool has_range;
} hzs_sheet_area;

/* Read the `range` and `header_row` options of `c` (config errors at
 * them).  0, or -1 after reporting. */
int hzs_sheet_area_init(hzs_sheet_area *a, hz_component *c);

/* Whether column `col` (1-based) is inside the range. */
bool hzs_sheet_in_columns(const hzs_sheet_area *a, uint32_t col);

/* How many columns the header may have from the range's first: the
 * range's width, else up to the last column a sheet can have. */
uint32_t hzs_sheet_width(const hzs_sheet_area *a);

/* The `sheet` option among the workbook's n sheet `names`: a name first,
 * else a position from 1; none given is the first sheet.  0 with *index
 * set, or -1 after a config error listing the sheets (`shown` is how
 * messages show the file). */
int hzs_sheet_pick(hz_component *c, const char *shown, const char *const *names, size_t n, size_t *index);

/* The merged range covering header cell (row, col) other than at its
 * first column: returns true with *first_col set.  NULL when a format
 * has no merged ranges to tell. */
typedef bool (*hzs_sheet_merged_fn)(void *ctx, uint32_t row, uint32_t col, uint32_t *first_col);

/* The columns named by a header row. */
typedef struct hzs_sheet_header {
    size_t ncols;      /* columns col1 .. col1 + ncols - 1 */
    char **names;      /* from the header */
    bool *forced_date; /* listed in dates: */
} hzs_sheet_header;

/* Name the columns area->col1 .. `last` from `texts` (header cell texts by
 * column from col1, NULL for a missing cell): an empty one inside a merged
 * range takes the range's name and its position in it (Name_2); any other
 * empty one, or a name given twice, is a config error at `path`.  Then
 * read the `dates` option against the names.  `feed` is how messages show
 * the sheet (file.xlsx[Sheet]); `empty_hint` ends the empty-cell message.
 * 0, or -1 after reporting. */
int hzs_sheet_header_build(hzs_sheet_header *h, hz_component *c, const hzs_sheet_area *a, const char *feed,
                           char *const *texts, uint32_t last, hzs_sheet_merged_fn merged, void *ctx,
                           const char *empty_hint);

void hzs_sheet_header_free(hzs_sheet_header *h);

/* Empty rows: those followed by a row with data are skipped and counted;
 * those after the last row with data are the sheet's end. */
typedef struct hzs_sheet_empties {
    uint64_t pending; /* empty rows since the last row with data */
    uint64_t skipped; /* empty rows followed by data */
} hzs_sheet_empties;

/* A row with data (or a reject) follows the pending empty rows. */
void hzs_sheet_empties_data(hzs_sheet_empties *e);

/* The run summary's note: "2 empty rows skipped in f.xlsx[Cases]". */
void hzs_sheet_empties_note(const hzs_sheet_empties *e, hz_component *c, const char *feed);
#endif
