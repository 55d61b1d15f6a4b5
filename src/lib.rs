//! minutes-watch: committee minutes in, tagged JSON, follow-ups and alerts out.
//!
//! The pipeline, one module a stage:
//! watch -> ingest -> extract -> segment -> classify -> followups -> publish.
//! The analysis stages (extract's parsers, segment, classify, followups and
//! [`pipeline`]) are pure: text in, data out. Files, tokio and the database
//! live at the edges ([`watch`], [`ingest`], [`publish`], [`ledger`], [`daemon`]).

pub mod classify;
pub mod evaluate;
pub mod extract;
pub mod followups;
pub mod ledger;
pub mod model;
pub mod pipeline;
pub mod segment;

pub mod config;
pub mod daemon;
pub mod ingest;
pub(crate) mod logsafe;
pub mod publish;
pub mod recovery;
pub mod runtime;
pub mod watch;
pub mod worker;
