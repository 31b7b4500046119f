/* xls_scan.h - what FreeXL would allocate, found before FreeXL runs.
 *
 * FreeXL allocates every sheet's cells when it opens a workbook, 16 bytes
 * a cell, as many as the sheet's DIMENSION record declares (or, without
 * one, as its farthest cell implies), up to 16,777,216 a sheet: a 9 KB
 * hostile file with four sheets took 1 GB.  This scan reads the OLE2
 * (CFBF) container's Workbook stream itself, with every offset and chain
 * checked against the file, walks its BIFF records and adds up the cells
 * each sheet would get, so that the source can refuse a workbook over
 * max_cells before FreeXL allocates anything.  Memory: the FAT and the
 * stream, both within the file's size. */
#ifndef HZ_XLS_SCAN_H
#define HZ_XLS_SCAN_H
#include <stddef.h>
#include <stdint.h>

/* Scan the workbook open as `fd` (`size` bytes).  0 with *cells the upper
 * bound of the cells FreeXL would allocate for all sheets; -1 with `why`
 * (a static string) saying what is wrong with the container. */
int xls_scan_cells(int fd, uint64_t size, uint64_t *cells, const char **why);
#endif
