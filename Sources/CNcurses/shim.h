#ifndef LAMBDA_TRIAGE_CNCURSES_SHIM_H
#define LAMBDA_TRIAGE_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>

/* Swift cannot call macros; these wrap the ones the console needs. */
static inline WINDOW *lt_stdscr(void) { return stdscr; }
static inline int lt_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int lt_lines(void) { return LINES; }
static inline int lt_cols(void) { return COLS; }
static inline int lt_key_resize(void) { return KEY_RESIZE; }
static inline int lt_key_mouse(void) { return KEY_MOUSE; }
#endif
