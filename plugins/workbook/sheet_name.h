/* sheet_name.h - Excel's rules for a worksheet's name. */
#ifndef WORKBOOK_SHEET_NAME_H
#define WORKBOOK_SHEET_NAME_H
#include <stdbool.h>

/* Longest name Excel accepts, in characters. */
#define SHEET_NAME_MAX 31
/* Bytes that hold any valid name: 31 UTF-8 characters and the NUL. */
#define SHEET_NAME_BYTES (SHEET_NAME_MAX * 4 + 1)

/* NULL if `name` is a valid sheet name, else why not (a sentence part
 * to follow "sheet name 'X' "). */
const char *sheet_name_problem(const char *name);

/* Whether two sheet names are the same for Excel, which compares them
 * without regard to case (ASCII letters here). */
bool sheet_name_same(const char *a, const char *b);

/* A valid sheet name made from `base` (a generated name: an input's name),
 * never an error: each of [ ] : * ? / \ becomes '_', the name is cut to 31
 * characters (whole UTF-8 characters), an apostrophe left at either end
 * becomes '_'; then, while the name is empty, reserved (History) or
 * `taken(candidate, arg)` says another sheet has it, the smallest suffix
 * ~2, ~3, ... that frees it replaces the end (the base cut further so that
 * the whole stays within 31 characters).  The result, in `out`, depends
 * only on `base` and on the names taken. */
void sheet_name_make(const char *base, char out[SHEET_NAME_BYTES],
                     bool (*taken)(const char *candidate, void *arg), void *arg);
#endif
