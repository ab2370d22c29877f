#ifndef LAMBDA_TRIAGE_CNCURSES_SHIM_H
#define LAMBDA_TRIAGE_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift cannot call macros; these wrap the ones the console needs. */
static inline WINDOW *lt_stdscr(void) { return stdscr; }
static inline int lt_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int lt_lines(void) { return LINES; }
static inline int lt_cols(void) { return COLS; }
static inline int lt_key_resize(void) { return KEY_RESIZE; }
static inline int lt_key_mouse(void) { return KEY_MOUSE; }
static inline int lt_a_bold(void) { return (int)A_BOLD; }
static inline int lt_a_reverse(void) { return (int)A_REVERSE; }
static inline int lt_a_dim(void) { return (int)A_DIM; }
static inline int lt_a_underline(void) { return (int)A_UNDERLINE; }
static inline int lt_attrset(int attrs) { return wattrset(stdscr, attrs); }

/* Reads one key: returns 0 for a character (in *ch), 1 for a function key (in *ch), -1 for none. */
static inline int lt_get_key(unsigned int *ch) {
  wint_t w = 0;
  int r = wget_wch(stdscr, &w);
  *ch = (unsigned int)w;
  if (r == KEY_CODE_YES) return 1;
  if (r == OK) return 0;
  return -1;
}

/* Wheel direction of the pending mouse event: -1 up, 1 down, 0 other. */
static inline int lt_mouse_wheel(void) {
  MEVENT event;
  if (getmouse(&event) != OK) return 0;
  if (event.bstate & BUTTON4_PRESSED) return -1;
#ifdef BUTTON5_PRESSED
  if (event.bstate & BUTTON5_PRESSED) return 1;
#endif
  return 0;
}

static inline void lt_enable_wheel(void) {
#ifdef BUTTON5_PRESSED
  mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
#else
  mousemask(BUTTON4_PRESSED, NULL);
#endif
  mouseinterval(0);
}

/* Makes the process locale UTF-8 capable: the user's locale if it is, else C.UTF-8. */
static inline int lt_use_utf8_locale(void) {
  setlocale(LC_ALL, "");
  const char *codeset = nl_langinfo(CODESET);
  if (codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) return 1;
  if (setlocale(LC_ALL, "C.UTF-8")) return 1;
  return setlocale(LC_ALL, "en_US.UTF-8") != NULL;
}
#endif
