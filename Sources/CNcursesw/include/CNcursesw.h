// The only header in StatusLab that includes curses.h. Swift cannot import ncurses'
// macros (stdscr, LINES, COLS, A_BOLD, COLOR_PAIR …) under Swift 6, and SwiftPM drops
// pkg-config's defines, so the wide-character API needs NCURSES_WIDECHAR set here.
#ifndef CNCURSESW_H
#define CNCURSESW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <wchar.h>
#include <ncursesw/curses.h>

/// Attribute bits, as plain values Swift can use.
enum {
    SL_ATTR_BOLD = 1,
    SL_ATTR_DIM = 2,
    SL_ATTR_UNDERLINE = 4,
    SL_ATTR_REVERSE = 8,
    SL_ATTR_ITALIC = 16,
};

/// Sets the locale from the environment; falls back to C.UTF-8 for the character type so
/// wide characters still get their width. Returns 1 when the user's own codeset is UTF-8
/// (so Unicode may be drawn), 0 when only ASCII should be drawn.
int sl_setup_locale(void);

/// initscr plus raw input, no echo, keypad, hidden cursor, colours when available.
/// Returns 1 when the terminal has colours (and NO_COLOR is not asked for by the caller).
int sl_start(int want_color);
void sl_stop(void);
int sl_lines(void);
int sl_cols(void);
int sl_colors(void);

/// Initialises a colour pair (foreground/background of -1 means the terminal default).
void sl_init_pair(short pair, short fg, short bg);
/// Draws one character (a grapheme given as up to 5 code points) at y, x.
void sl_put(int y, int x, const wchar_t *text, int attrs, short pair);
void sl_refresh(void);
void sl_clear(void);

/// Reads one key with a timeout in milliseconds. Returns 0 for nothing, 1 for a character
/// (in *out), 2 for a function key (its KEY_ code in *out).
int sl_read_key(int timeout_ms, unsigned int *out);
/* Waits for the keyboard or `wake_fd`: 1 keyboard, 2 wake, 0 neither (time, a signal). */
int sl_wait(int wake_fd, int timeout_ms);
/* Writes bytes straight to the terminal (an OSC 52 clipboard sequence). */
void sl_write_raw(const char *bytes, int length);
int sl_key_resize(void);
/* Mouse: clicks (button 1 pressed) and the wheel, reported at once (no click interval).
   Returns 1 when the terminal can report the mouse. */
int sl_enable_mouse(void);
int sl_key_mouse(void);
/* The pending mouse event: 1 click, 2 wheel up, 3 wheel down, 0 anything else; cell in *y, *x. */
int sl_get_mouse(int *y, int *x);
int sl_key_f1(void);

/// SIGTERM, SIGHUP and SIGINT set a flag the loop polls; crashes restore the terminal first.
void sl_install_signal_handlers(void);
/// The pending signal number (and clears it), or 0.
int sl_take_signal(void);
/// Ctrl-Z: leaves curses mode, stops the process, and comes back when continued.
void sl_suspend(void);

#endif
