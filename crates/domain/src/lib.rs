//! The domain of Sikker By: the memo's portfolio, budget and criteria as types, and the pure rules
//! (CPR numbers, calendar-month arithmetic) that every other crate builds on.
//!
//! Nothing here does I/O or touches a database: the seed data is compiled in with `include_str!`
//! and parsed by [`seed`], so every figure can be checked without a running system.

pub mod access;
pub mod assessment_round;
pub mod budget;
pub mod calendar;
pub mod cases;
pub mod codes;
pub mod cpr;
pub mod criteria;
pub mod disclosure;
pub mod engine;
pub mod geography;
pub mod half_year;
pub mod indicators;
pub mod portfolio;
pub mod publish;
pub mod safety_index;
pub mod seed;
pub mod terminal_text;
