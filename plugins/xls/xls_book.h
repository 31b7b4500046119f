/* xls_book.h - a legacy Excel (.xls, BIFF) workbook through FreeXL.
 *
 * FreeXL reads the whole workbook into memory when it opens it (every
 * sheet's cells, 16 bytes each, as the sheet's DIMENSION record declares
 * them), so the file is refused over max_file_bytes before FreeXL sees it,
 * and FreeXL is given the descriptor that was checked (/proc/self/fd/N),
 * not the path again.  A cell comes back as FreeXL reports it: empty, an
 * integer, a double, text, or a date, date-time or time as text, which
 * this module turns back into the Excel serial it was (FreeXL's calendar
 * has every fourth year leap, 1900 and 2100 included), so that dates are
 * written by the same code as the xlsx source's (lib/support/hzs_cells). */
#ifndef HZ_XLS_BOOK_H
#define HZ_XLS_BOOK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonize/plugin.h>

typedef struct xls_book {
    hz_component *c;
    const char *path, *shown;
    uint64_t max_file_bytes;
    uint64_t max_cells; /* all sheets' cells, as FreeXL allocates them */
    const void *handle; /* FreeXL's; NULL when not open */
    size_t nsheets;
    char **sheet_names;
    bool date1904;
    uint32_t rows, cols; /* the selected sheet's, as FreeXL allocated them */
} xls_book;

/* Open the workbook: a regular file no larger than max_file_bytes whose
 * sheets declare no more than max_cells cells (xls_scan.h), which FreeXL
 * reads whole.  0, or -1 after reporting (hz->error). */
int xls_book_open(xls_book *b);

/* Make sheet `index` the one cells are read from.  0, or -1 after
 * reporting. */
int xls_book_select(xls_book *b, size_t index);

/* What a cell holds. */
typedef enum {
    XLS_EMPTY,  /* no cell, or one FreeXL does not read (a formula) */
    XLS_NUMBER, /* .number */
    XLS_TEXT,   /* .text (UTF-8, FreeXL's) */
    XLS_DATE,   /* .number: the serial of a date or date-time cell */
    XLS_TIME,   /* .number: a time of day, from 0 to under 1 */
} xls_cell_kind;

typedef struct xls_cell {
    xls_cell_kind kind;
    double number;
    const char *text;
} xls_cell;

/* Cell (row, col) of the selected sheet, both 0-based.  0, or -1 after
 * reporting a cell FreeXL could not give (`feed` names the sheet). */
int xls_book_cell(const xls_book *b, uint32_t row, uint32_t col, xls_cell *out, const char *feed);

void xls_book_close(xls_book *b);
#endif
