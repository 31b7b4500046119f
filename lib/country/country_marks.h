/* What a cell carries besides a name: control characters (the cell is
 * junk, not a country) and the footnote marks of published tables (`*`,
 * `†`, `¹`, `(1)`, `a/`), which say nothing about the country. */
#ifndef HZ_COUNTRY_MARKS_H
#define HZ_COUNTRY_MARKS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether `n` bytes hold a control character: a C0 control other than the
 * tab (U+0000-U+0008, U+000A-U+001F) or DEL.  The C1 controls (U+0080-U+009F)
 * are not counted: UTF-8 read as Latin-1 leaves them inside real names
 * (`Ã\u0089thiopie`), and the mojibake repair needs them. */
bool hz_country_has_control(const char *p, size_t n);

/* The length of `p` without the footnote marks at its end, repeatedly:
 * `*`, `†`, `‡`, the superscript digits `¹²³⁰⁴-⁹`, a bracketed mark of
 * one or two digits, one lower-case letter or `*` (`(1)`, `[2]`, `(b)`,
 * `(*)`), and the UN-table form of one or two digits or a lower-case letter
 * followed by a slash after a space (`1/`, `a/`).  Spaces around the marks
 * go too.  Never strips the whole text. */
size_t hz_country_strip_footnotes(const char *p, size_t n);

#endif
