//! Calendar-month arithmetic (DOMAIN.md §7). Being written.
