//! The renderings of a run's report and of a comparison of several.

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod matrix;
pub mod text;
