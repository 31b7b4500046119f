/* html.h - text into HTML: escaping every value, numbers as the report
 * prints them. */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H
#include <stdbool.h>
#include <stdint.h>

#include <support/hzs_buf.h>

/* `s` with & < > " ' as character references, safe in element content
 * and in a quoted attribute; control characters other than tab and line
 * feed become spaces (they have no place in a page). */
void html_text(hzs_buf *b, const char *s);

/* Whether `s` is a whole number: an optional '-' then 1 to 18 digits, no
 * leading zero (a code such as "004" is no number). */
bool html_is_integer(const char *s, int64_t *out);

/* Whether `s` is a decimal number (digits, at most one '.', optional '-'). */
bool html_is_decimal(const char *s);

/* A whole number with thousands separators: 49795 -> 49,795. */
void html_integer(hzs_buf *b, int64_t n);

/* A cell: a whole number with separators, anything else escaped as is. */
void html_cell_text(hzs_buf *b, const char *s);
#endif
