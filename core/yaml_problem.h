/* yaml_problem.h - libyaml's "found character that cannot start any token"
 * (a tab, a leading '%', '@' or '`') and "did not find expected ','" (a
 * ${VAR} unquoted inside { } or [ ]) said in words a first-time user
 * understands, with the fix. */
#ifndef HZ_YAML_PROBLEM_H
#define HZ_YAML_PROBLEM_H
#include <stdio.h>

/* libyaml reported `problem` at 0-based `line` and `column` (characters)
 * of the YAML text in `f` (read again from its start).  Returns a message
 * naming the character at that place and how to write it instead (the
 * caller frees it), or NULL when the problem is not one this explains:
 * the caller then keeps libyaml's text. */
char *hz_yaml_problem_explain(FILE *f, const char *problem, size_t line, size_t column);
#endif
