//! Renderings of a decision's [`crate::document::Document`].

pub mod text;
