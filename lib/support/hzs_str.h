/* hzs_str.h - copying strings with the host allocator (never NULL). */
#ifndef HZS_STR_H
#define HZS_STR_H
#include <stddef.h>

/* The n bytes at s (which holds at least n), as a C string to release with
 * free(). */
char *hzs_strndup(const char *s, size_t n);
#endif
