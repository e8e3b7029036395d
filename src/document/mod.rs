//! TOML files as the user wrote them: the text, where every key and value sits in it, and a check of
//! their shape against the JSON Schema of the Rust type they deserialize into.
//!
//! serde stops at the first error, so `idp.toml` and `platform.toml` are read in two passes: the shape
//! check collects every unknown key, missing key and wrong type at once, with its key path, and only a
//! file that passes is handed to serde. The schema comes from the same types (`schemars`), so the
//! check, the deserializer and `idp schema` cannot disagree.

mod node;
mod shape;
mod source;
mod typed;

pub use source::{Location, SourceFile, SyntaxError, key_path_join};
pub use typed::{Parsed, parse_typed};
