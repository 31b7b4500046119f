/* hzs_cells.h - spreadsheet cells as text, for the workbook sources (xlsx,
 * xls): cell references, numbers written as the shortest text that reads
 * back the same, Excel date serials as ISO dates, and which number formats
 * are dates. */
#ifndef HZS_CELLS_H
#define HZS_CELLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Excel's limits: columns A..XFD, rows 1..1048576. */
#define HZS_CELL_MAX_COL 16384u
#define HZS_CELL_MAX_ROW 1048576u

/* "C17" -> col 3, row 17 (both 1-based).  A reference without a row
 * ("C") gives row 0 when `row_optional`.  0, or -1 when malformed. */
int hzs_cell_parse_ref(const char *text, bool row_optional, uint32_t *col, uint32_t *row);

/* Column 3 -> "C" (out holds at least 4 bytes). */
void hzs_cell_col_name(uint32_t col, char out[4]);

/* The number's text: integers without ".0", else the shortest of %.15g,
 * %.16g, %.17g that reads back the same double.  NULL when `v` is not a
 * number; else a pointer to out (holds at least 32 bytes). */
const char *hzs_cell_number_text(const char *v, char out[32]);

/* The same for a number already read; NULL when it is not finite. */
const char *hzs_cell_double_text(double d, char out[32]);

/* An Excel date serial as "YYYY-MM-DD" (no fraction) or
 * "YYYY-MM-DDTHH:MM:SS" (rounded to the second), in the 1900 system (with
 * Lotus 1-2-3's day 60, 1900-02-29, which never was) or the 1904 one.
 * NULL with *why set when it is no date (negative, day 60, past 9999). */
const char *hzs_cell_serial_date(const char *v, bool date1904, char out[32], const char **why);

/* The same for a serial already read. */
const char *hzs_cell_serial_date_of(double d, bool date1904, char out[32], const char **why);

/* What a number format shows. */
typedef enum { HZS_CELL_FMT_NUMBER, HZS_CELL_FMT_DATE, HZS_CELL_FMT_TIME } hzs_cell_format_kind;

/* What number format `id` (built in) or `code` (custom, may be NULL)
 * shows: built-in 14-17 and 22 are dates, 18-21 and 45-47 times of day;
 * a code with d, y, or an m that is a month (not next to h or s), outside
 * quotes, brackets and escapes, is a date; one with only h, m and s a
 * time. */
hzs_cell_format_kind hzs_cell_format_kind_of(unsigned id, const char *code);

/* A time of day: a serial from 0 to under 1 as "HH:MM:SS" (rounded to
 * the second); NULL for any other number. */
const char *hzs_cell_serial_time(const char *v, char out[32]);

/* The same for a serial already read. */
const char *hzs_cell_serial_time_of(double d, char out[32]);
#endif
