//! A uniform view over the places a TOML value can live in `toml_edit` (a table section, an inline
//! table, an array of tables), so walkers need not care how the user spelled a table.

use toml_edit::{Item, Table, TableLike, Value};

/// A borrowed TOML value, wherever it sits in the document.
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Item(&'a Item),
    Value(&'a Value),
    Table(&'a Table),
}

/// What kind of TOML value a node holds, in the words used in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Table,
    Array,
    String,
    Integer,
    Float,
    Boolean,
    Datetime,
    Empty,
}

impl Kind {
    /// Returns the kind with its article, as messages say it ("a string").
    pub(crate) fn described(self) -> &'static str {
        match self {
            Kind::Table => "a table",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Float => "a float",
            Kind::Boolean => "a boolean",
            Kind::Datetime => "a date",
            Kind::Empty => "nothing",
        }
    }
}

impl<'a> Node<'a> {
    fn value(self) -> Option<&'a Value> {
        match self {
            Node::Item(Item::Value(value)) | Node::Value(value) => Some(value),
            _ => None,
        }
    }

    pub(crate) fn kind(self) -> Kind {
        match self {
            Node::Table(_) | Node::Item(Item::Table(_)) => Kind::Table,
            Node::Item(Item::ArrayOfTables(_)) => Kind::Array,
            Node::Item(Item::None) => Kind::Empty,
            _ => match self.value() {
                Some(Value::String(_)) => Kind::String,
                Some(Value::Integer(_)) => Kind::Integer,
                Some(Value::Float(_)) => Kind::Float,
                Some(Value::Boolean(_)) => Kind::Boolean,
                Some(Value::Datetime(_)) => Kind::Datetime,
                Some(Value::Array(_)) => Kind::Array,
                Some(Value::InlineTable(_)) => Kind::Table,
                None => Kind::Empty,
            },
        }
    }

    /// Returns the table behind the node, whether a section or an inline table.
    pub(crate) fn table(self) -> Option<&'a dyn TableLike> {
        match self {
            Node::Table(table) => Some(table),
            Node::Item(item) => item.as_table_like(),
            Node::Value(Value::InlineTable(table)) => Some(table),
            Node::Value(_) => None,
        }
    }

    /// Returns the elements of an array or array of tables, in order.
    pub(crate) fn elements(self) -> Option<Vec<Node<'a>>> {
        match self {
            Node::Item(Item::ArrayOfTables(tables)) => {
                Some(tables.iter().map(Node::Table).collect())
            }
            _ => match self.value() {
                Some(Value::Array(array)) => Some(array.iter().map(Node::Value).collect()),
                _ => None,
            },
        }
    }

    pub(crate) fn as_str(self) -> Option<&'a str> {
        self.value().and_then(Value::as_str)
    }

    pub(crate) fn as_integer(self) -> Option<i64> {
        self.value().and_then(Value::as_integer)
    }

    pub(crate) fn span(self) -> Option<std::ops::Range<usize>> {
        match self {
            Node::Item(item) => item.span(),
            Node::Value(value) => value.span(),
            Node::Table(table) => table.span(),
        }
    }
}
