//! CPR numbers (DOMAIN.md §6). Being written.
