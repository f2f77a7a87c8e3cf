//! The output tree: the fully typed, ordered model that `config` prints, in the order and with
//! the scalar types that compose-go's structs give it. The YAML and JSON writers only walk it.

/// A value ready to print. Mapping entries are printed in the order they appear here.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// A Go `float64`.
    Float(f64),
    /// A Go `float32` (`cpus`, `cpu_percent`): printed with float32 shortest digits.
    Float32(f32),
    Str(String),
    Seq(Vec<Out>),
    Map(Vec<(String, Out)>),
}

impl Out {
    pub fn str(s: impl Into<String>) -> Out {
        Out::Str(s.into())
    }

    /// A mapping from entries, keeping their order.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Out)>) -> Out {
        Out::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn get(&self, key: &str) -> Option<&Out> {
        match self {
            Out::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}
