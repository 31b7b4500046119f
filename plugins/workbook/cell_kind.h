/* cell_kind.h - what a field becomes in a worksheet: a number, an Excel
 * date, or text.  A column is typed from all its values (a number column
 * only if every non-empty value is a number), so that a code like `004`
 * or a case id never silently turns into a number. */
#ifndef WORKBOOK_CELL_KIND_H
#define WORKBOOK_CELL_KIND_H
#include <stdbool.h>
#include <stddef.h>

typedef enum cell_kind { CELL_STRING = 0, CELL_NUMBER, CELL_DATE } cell_kind;

/* Digits a number may have: more would not survive the double Excel
 * stores (15 significant digits), so the value is kept as text. */
#define CELL_MAX_DIGITS 15

/* A decimal number as Excel would keep it exactly: an optional '-', an
 * integer part without leading zeros (except "0"), an optional fraction,
 * at most CELL_MAX_DIGITS digits in all. */
bool cell_is_number(const char *p, size_t n);

/* An ISO date YYYY-MM-DD that exists in the calendar, year 1900 to 9999
 * (Excel's range).  Its parts in *year, *month, *day. */
bool cell_is_date(const char *p, size_t n, int *year, int *month, int *day);

/* Characters (UTF-8 code points) in p[0..n): Excel's limits and column
 * widths count characters, not bytes. */
size_t cell_chars(const char *p, size_t n);

/* "string", "number" or "date" as the `types` option spells them; -1 for
 * any other name. */
int cell_kind_parse(const char *name);
const char *cell_kind_name(cell_kind k);
#endif
