/* make_workbooks DIR: writes the test workbooks of tests/formats with
 * libxlsxwriter, so that the xlsx source is tested on files a real writer
 * made, not on XML written by hand.  Built for make check only. */
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

static char path[4096];

static const char *in_dir(const char *dir, const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* basic.xlsx: every kind of cell in sheet "Cases", then "Notes" and
 * "Codes".  Rows are 0-based here, 1-based in the sheet. */
static int basic(const char *dir) {
    lxw_workbook *wb = workbook_new(in_dir(dir, "basic.xlsx"));
    lxw_worksheet *cases = workbook_add_worksheet(wb, "Cases");
    lxw_worksheet *notes = workbook_add_worksheet(wb, "Notes");
    lxw_worksheet *codes = workbook_add_worksheet(wb, "Codes");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "dd/mm/yyyy hh:mm:ss");
    lxw_format *clock = workbook_add_format(wb);
    format_set_num_format(clock, "hh:mm");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *border = workbook_add_format(wb);
    format_set_border(border, LXW_BORDER_THIN);

    /* header: id, Name merged over B:C, count, flag, onset (a date
     * format), reported (plain serials, made dates by dates:), seen (a
     * date-time), total (a formula), time (hh:mm: not a date) */
    worksheet_write_string(cases, 0, 0, "id", bold);
    worksheet_merge_range(cases, 0, 1, 0, 2, "Name", bold);
    const char *rest[] = {"count", "flag", "onset", "reported", "seen", "total", "time"};
    for (int i = 0; i < 7; i++) worksheet_write_string(cases, 0, (lxw_col_t)(3 + i), rest[i], bold);

    lxw_datetime onset = {2024, 2, 29, 0, 0, 0};
    lxw_datetime seen = {2023, 12, 31, 23, 59, 30};
    worksheet_write_number(cases, 1, 0, 1, NULL);
    worksheet_write_string(cases, 1, 1, "Amina", NULL);
    worksheet_write_string(cases, 1, 2, "Diallo", NULL);
    worksheet_write_number(cases, 1, 3, 0.1, NULL);
    worksheet_write_boolean(cases, 1, 4, 1, NULL);
    worksheet_write_datetime(cases, 1, 5, &onset, date);
    worksheet_write_number(cases, 1, 6, 45000, NULL); /* 2023-03-15 */
    worksheet_write_datetime(cases, 1, 7, &seen, stamp);
    worksheet_write_formula_num(cases, 1, 8, "=D2*3", NULL, 0.30000000000000004);
    worksheet_write_number(cases, 1, 9, 0.5, clock);

    /* sparse: only A, C, E, G */
    worksheet_write_number(cases, 2, 0, 2, NULL);
    worksheet_write_string(cases, 2, 2, "Okafor, \"Jr\"", NULL);
    worksheet_write_boolean(cases, 2, 4, 0, NULL);
    worksheet_write_number(cases, 2, 6, 59, NULL); /* 1900-02-28 */

    /* row 4 left out entirely, row 5 only styled blanks: both empty */
    worksheet_write_blank(cases, 4, 0, border);
    worksheet_write_blank(cases, 4, 3, border);

    worksheet_write_number(cases, 5, 0, 3, NULL);
    worksheet_write_string(cases, 5, 1, "Zoë", NULL);
    worksheet_write_number(cases, 5, 3, -2.5e-7, NULL);
    worksheet_write_number(cases, 5, 6, 61, NULL); /* 1900-03-01 */
    worksheet_write_formula_str(cases, 5, 8, "=B6&\"!\"", NULL, "Zoë!");
    worksheet_write_number(cases, 5, 9, 123456789012.0, NULL);

    /* row 7: an error value goes here (the test patches the cached value
     * of this formula into #DIV/0!, as Excel stores it) */
    worksheet_write_number(cases, 6, 0, 4, NULL);
    worksheet_write_formula_num(cases, 6, 3, "=1/0", NULL, 0);

    /* row 8: day 60 as a plain serial in a dates: column */
    worksheet_write_number(cases, 7, 0, 5, NULL);
    worksheet_write_number(cases, 7, 6, 60, NULL);

    /* trailing styled blanks: not rows, not skipped */
    for (lxw_row_t r = 8; r < 12; r++) worksheet_write_blank(cases, r, 1, border);

    worksheet_write_string(notes, 0, 0, "note", NULL);
    worksheet_write_string(notes, 0, 1, "by", NULL);
    lxw_rich_string_tuple plain = {NULL, "rich "}, strong = {bold, "text"};
    lxw_rich_string_tuple *runs[] = {&plain, &strong, NULL};
    worksheet_write_rich_string(notes, 1, 0, runs, NULL);
    worksheet_write_string(notes, 1, 1, "Name", NULL);
    /* a table further down and right, for range: */
    worksheet_write_string(notes, 4, 2, "code", NULL);
    worksheet_write_string(notes, 4, 3, "label", NULL);
    worksheet_write_string(notes, 5, 2, "A1", NULL);
    worksheet_write_string(notes, 5, 3, "first", NULL);
    worksheet_write_string(notes, 6, 2, "B2", NULL);
    worksheet_write_string(notes, 6, 3, "second", NULL);
    worksheet_write_string(notes, 7, 2, "after the range", NULL);

    worksheet_write_string(codes, 0, 0, "code", NULL);
    worksheet_write_string(codes, 0, 1, "code", NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

/* inline.xlsx: constant_memory mode writes strings inline (t="inlineStr")
 * rather than shared. */
static int inline_strings(const char *dir) {
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(in_dir(dir, "inline.xlsx"), &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    worksheet_write_string(ws, 0, 0, "district", NULL);
    worksheet_write_string(ws, 0, 1, "cases", NULL);
    worksheet_write_string(ws, 1, 0, "  Nord  ", NULL);
    worksheet_write_number(ws, 1, 1, 12, NULL);
    worksheet_write_string(ws, 2, 0, "Sud-Est", NULL);
    worksheet_write_number(ws, 2, 1, 7.25, NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

/* empty_rows.xlsx: a header, a row, then a million rows of styled blank
 * cells, then one last row: the blanks are skipped rows, read in bounded
 * time and memory. */
static int empty_rows(const char *dir) {
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(in_dir(dir, "empty_rows.xlsx"), &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    lxw_format *border = workbook_add_format(wb);
    format_set_border(border, LXW_BORDER_THIN);
    worksheet_write_string(ws, 0, 0, "a", NULL);
    worksheet_write_string(ws, 0, 1, "b", NULL);
    worksheet_write_number(ws, 1, 0, 1, NULL);
    worksheet_write_number(ws, 1, 1, 2, NULL);
    lxw_row_t last = 1000002;
    for (lxw_row_t r = 2; r < last; r++) worksheet_write_blank(ws, r, 0, border);
    worksheet_write_number(ws, last, 0, 3, NULL);
    worksheet_write_number(ws, last, 1, 4, NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

/* many_strings.xlsx: 2000 distinct shared strings, for the table's
 * limit. */
static int many_strings(const char *dir) {
    lxw_workbook *wb = workbook_new(in_dir(dir, "many_strings.xlsx"));
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    worksheet_write_string(ws, 0, 0, "word", NULL);
    char text[64];
    for (int i = 1; i <= 2000; i++) {
        snprintf(text, sizeof text, "string number %d", i);
        worksheet_write_string(ws, (lxw_row_t)i, 0, text, NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: make_workbooks DIR\n");
        return 2;
    }
    return basic(argv[1]) | inline_strings(argv[1]) | empty_rows(argv[1]) | many_strings(argv[1]);
}
