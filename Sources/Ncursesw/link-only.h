// Intentionally empty: the Ncursesw module only carries ncursesw's link flags.
