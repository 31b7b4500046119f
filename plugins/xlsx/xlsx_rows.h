/* xlsx_rows.h - a worksheet part streamed one <row> at a time: its cells
 * (column, type, style, value text) and nothing else in memory.  Rows and
 * cells without an r="..." reference follow the one before, as Excel
 * reads them.  After the rows, the <mergeCells> can be collected. */
#ifndef HZ_XLSX_ROWS_H
#define HZ_XLSX_ROWS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <support/hzs_buf.h>

#include "xlsx_book.h"
#include "xlsx_zip.h"

typedef enum {
    XLSX_NUMBER,  /* t="n" or none: <v> is a number */
    XLSX_SHARED,  /* t="s": <v> is an index into the shared strings */
    XLSX_INLINE,  /* t="inlineStr": the text of <is> */
    XLSX_STRING,  /* t="str": a formula's text result in <v> */
    XLSX_BOOL,    /* t="b": <v> is 0 or 1 */
    XLSX_ERROR,   /* t="e": <v> is #DIV/0!, #N/A... */
    XLSX_ISO_DATE /* t="d": <v> is already an ISO 8601 date */
} xlsx_cell_type;

typedef struct xlsx_cell {
    uint32_t col; /* 1-based */
    xlsx_cell_type type;
    uint32_t style; /* s="N" (0 when absent) */
    size_t at, len; /* its value's text in rows->text */
} xlsx_cell;

typedef struct xlsx_merge {
    uint32_t col1, row1, col2, row2;
} xlsx_merge;

typedef struct xlsx_rows {
    xlsx_book *book;
    const char *part;
    xlsx_member m;
    uint32_t row; /* the row just read (1-based) */
    xlsx_cell *cells;
    size_t ncells, cells_cap;
    hzs_buf text;
    xlsx_merge *merges;
    size_t nmerges;
    int in_v, in_is, in_t, in_rph;
    bool in_cell, ended;
} xlsx_rows;

/* Start reading the part of sheet `sheet`.  0, or -1 after reporting. */
int xlsx_rows_open(xlsx_rows *r, xlsx_book *b, const xlsx_sheet *sheet);

/* The next <row>: 1, 0 after the last, -1 after reporting. */
int xlsx_rows_next(xlsx_rows *r);

/* After the rows: read the rest of the part for its merged ranges.  0, or
 * -1 after reporting. */
int xlsx_rows_read_merges(xlsx_rows *r);

void xlsx_rows_close(xlsx_rows *r);
#endif
