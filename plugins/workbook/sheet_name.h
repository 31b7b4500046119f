/* sheet_name.h - Excel's rules for a worksheet's name. */
#ifndef WORKBOOK_SHEET_NAME_H
#define WORKBOOK_SHEET_NAME_H

/* Longest name Excel accepts, in characters. */
#define SHEET_NAME_MAX 31

/* NULL if `name` is a valid sheet name, else why not (a sentence part
 * to follow "sheet name 'X' "). */
const char *sheet_name_problem(const char *name);
#endif
