//! Renderings of a decision's [`crate::document::Document`].

pub(crate) mod text;
