/* Excel refuses to open a workbook whose sheet names break these rules,
 * so they are checked when the pipeline is validated, not at run time. */
#include "sheet_name.h"

#include <string.h>
#include <strings.h>

#include "cell_kind.h"

const char *sheet_name_problem(const char *name) {
    size_t n = strlen(name);
    if (n == 0) return "is empty";
    if (cell_chars(name, n) > SHEET_NAME_MAX) return "is longer than 31 characters (Excel's limit)";
    if (strpbrk(name, "[]:*?/\\")) return "contains one of the characters [ ] : * ? / \\ that Excel forbids";
    if (name[0] == '\'' || name[n - 1] == '\'')
        return "begins or ends with an apostrophe, which Excel forbids";
    if (!strcasecmp(name, "History")) return "is reserved by Excel";
    return NULL;
}
