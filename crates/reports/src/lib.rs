//! The committee reports of Sikker By (docs/domain.md §2 recipients and cadences): the annual report
//! to BIU, ØU and BR, the half-yearly report on unsettled areas and the quarterly report to
//! Sikker By, as PDF (typst), HTML and XLSX.
//!
//! The flow is one way: [`service::gather`] reads the store, [`build::build`] turns the
//! evaluations into the [`model::Report`] (the only place figures pass disclosure control),
//! [`service::record`] stores it as a snapshot, and [`render::render`] turns a snapshot's
//! document into bytes. Renderers only format; numbers and dates are formatted in [`format`].

pub mod availability;
pub mod build;
pub mod chart;
pub mod diff;
pub mod display;
pub mod format;
pub mod html;
pub mod model;
pub mod pdf;
pub mod period;
mod record_lock;
pub mod render;
pub mod service;
pub mod table;
pub mod xlsx;

pub use model::{Document, IndexArea, IndexOverview, Report};
pub use period::{ReportKind, ReportPeriod};
pub use render::{render, OutputFormat};
pub use service::{approve, generate, record, regenerate, ReportError, ReportRequest};
