#include "CNcursesw.h"
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>

static volatile sig_atomic_t pending_signal = 0;
static volatile sig_atomic_t curses_active = 0;

// The self-pipe trick: a signal may be delivered to any thread (the Lab's server threads
// among them), and only the main thread waits in poll(). Every handled signal writes a byte
// here, and sl_wait watches it, so a resize or a SIGTERM wakes the loop at once instead of at
// its next timeout.
static int signal_pipe[2] = {-1, -1};
static struct sigaction ncurses_winch;

static void poke(void) {
    if (signal_pipe[1] < 0) return;
    int saved = errno;
    ssize_t written = write(signal_pipe[1], "", 1);
    (void)written;
    errno = saved;
}

// SIGWINCH: ncurses' own handler (it turns a resize into KEY_RESIZE), then the wake-up.
static void on_winch(int sig, siginfo_t *info, void *context) {
    if (ncurses_winch.sa_flags & SA_SIGINFO) {
        if (ncurses_winch.sa_sigaction) ncurses_winch.sa_sigaction(sig, info, context);
    } else if (ncurses_winch.sa_handler != SIG_DFL && ncurses_winch.sa_handler != SIG_IGN) {
        ncurses_winch.sa_handler(sig);
    }
    poke();
}

int sl_setup_locale(void) {
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    int utf8 = codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
    if (!utf8) {
        setlocale(LC_CTYPE, "C.UTF-8");
    }
    return utf8;
}

int sl_start(int want_color) {
    initscr();
    curses_active = 1;
    // Behind the handler initscr installed, so that ncurses still sees the resize (once: a
    // second start must not chain to itself).
    static int winch_chained = 0;
    if (!winch_chained) {
        struct sigaction winch;
        memset(&winch, 0, sizeof winch);
        winch.sa_sigaction = on_winch;
        winch.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&winch.sa_mask);
        sigaction(SIGWINCH, &winch, &ncurses_winch);
        winch_chained = 1;
    }
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    int color = 0;
    if (want_color && has_colors()) {
        start_color();
        use_default_colors();
        color = 1;
    }
    return color;
}

void sl_stop(void) {
    if (curses_active) {
        curses_active = 0;
        curs_set(1);
        endwin();
    }
}

int sl_lines(void) { return LINES; }
int sl_cols(void) { return COLS; }
int sl_colors(void) { return COLORS; }

void sl_init_pair(short pair, short fg, short bg) { init_pair(pair, fg, bg); }

void sl_put(int y, int x, const wchar_t *text, int attrs, short pair) {
    attr_t a = A_NORMAL;
    if (attrs & SL_ATTR_BOLD) a |= A_BOLD;
    if (attrs & SL_ATTR_DIM) a |= A_DIM;
    if (attrs & SL_ATTR_UNDERLINE) a |= A_UNDERLINE;
    if (attrs & SL_ATTR_REVERSE) a |= A_REVERSE;
#ifdef A_ITALIC
    if (attrs & SL_ATTR_ITALIC) a |= A_ITALIC;
#endif
    cchar_t cell;
    setcchar(&cell, text, a, pair, NULL);
    mvwadd_wch(stdscr, y, x, &cell);
}

void sl_refresh(void) { wrefresh(stdscr); }
void sl_clear(void) { clearok(stdscr, TRUE); }

int sl_read_key(int timeout_ms, unsigned int *out) {
    wtimeout(stdscr, timeout_ms);
    wint_t ch = 0;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR) return 0;
    *out = (unsigned int)ch;
    return r == KEY_CODE_YES ? 2 : 1;
}

int sl_wait(int wake_fd, int timeout_ms) {
    struct pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {signal_pipe[0], POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int r = poll(fds, wake_fd >= 0 ? 3 : 2, timeout_ms);
    if (r <= 0) return 0;
    if (fds[1].revents) {
        // A signal: emptied here; the caller takes it (sl_take_signal) or reads KEY_RESIZE.
        char bytes[64];
        while (read(signal_pipe[0], bytes, sizeof bytes) > 0) {}
        return 0;
    }
    if (fds[0].revents) return 1;
    return 2;
}

void sl_write_raw(const char *bytes, int length) {
    fflush(stdout);
    ssize_t written = write(STDOUT_FILENO, bytes, (size_t)length);
    (void)written;
}

int sl_key_resize(void) { return KEY_RESIZE; }

int sl_enable_mouse(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    wanted |= BUTTON5_PRESSED;
#endif
    mmask_t got = mousemask(wanted, NULL);
    mouseinterval(0);
    return got != 0;
}

int sl_key_mouse(void) { return KEY_MOUSE; }

int sl_get_mouse(int *y, int *x) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *y = event.y;
    *x = event.x;
    if (event.bstate & BUTTON1_PRESSED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 2;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 3;
#endif
    return 0;
}
int sl_key_f1(void) { return KEY_F(1); }

static void on_signal(int sig) {
    pending_signal = sig;
    poke();
}

static void on_crash(int sig) {
    // Restore the terminal before the process dies, so the shell is usable afterwards. Best
    // effort: endwin() is not async-signal-safe, and after a crash the heap may be what broke;
    // it works for the usual case (a trap in Swift code) and costs nothing when it does not.
    if (curses_active) {
        curses_active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void sl_install_signal_handlers(void) {
    if (signal_pipe[0] < 0 && pipe(signal_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(signal_pipe[i], F_SETFL, fcntl(signal_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    sa.sa_handler = on_crash;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    // A parent may have left these blocked (a test runner's thread, say): we handle them.
    sigset_t handled;
    sigemptyset(&handled);
    int signals[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(&handled, signals[i]);
    sigprocmask(SIG_UNBLOCK, &handled, NULL);
}

int sl_take_signal(void) {
    int sig = pending_signal;
    pending_signal = 0;
    return sig;
}

void sl_suspend(void) {
    endwin();
    // Stop with the default action, then put back whatever handler was there (ncurses').
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &old, NULL);
    // Continued (fg): curses mode comes back on the next refresh.
    wrefresh(stdscr);
}
