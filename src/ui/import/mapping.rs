//! Which API field each column of a file fills.
//!
//! A header is matched by its exact API name first, then by a loose form of
//! it (case, spaces, dashes, dots and underscores ignored) against the names
//! and the aliases spreadsheets use (`E-mail`, `Time zone`, `WhatsApp ID`);
//! `metadata.<key>` and `metadata:<key>` name a metadata key. Anything else
//! is ignored until the operator says otherwise.

use crate::contract::{Field, check_metadata_key};

/// What one column fills.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Nothing: the column is not sent.
    Ignore,
    /// A field (an identifier or a text change; never `metadata` as a whole).
    Field(Field),
    /// One metadata key.
    Metadata(String),
}

/// The loose forms of every field's name and of its aliases.
const ALIASES: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("contactid", Field::Id),
    ("setterid", Field::Id),
    ("waid", Field::WaId),
    ("whatsapp", Field::WaId),
    ("whatsappid", Field::WaId),
    ("whatsappnumber", Field::WaId),
    ("smsphonenumber", Field::SmsPhoneNumber),
    ("smsphone", Field::SmsPhoneNumber),
    ("smsnumber", Field::SmsPhoneNumber),
    ("sms", Field::SmsPhoneNumber),
    ("firstname", Field::FirstName),
    ("givenname", Field::FirstName),
    ("lastname", Field::LastName),
    ("surname", Field::LastName),
    ("familyname", Field::LastName),
    ("fullname", Field::FullName),
    ("name", Field::FullName),
    ("phonenumber", Field::PhoneNumber),
    ("phone", Field::PhoneNumber),
    ("telephone", Field::PhoneNumber),
    ("mobile", Field::PhoneNumber),
    ("email", Field::Email),
    ("emailaddress", Field::Email),
    ("mail", Field::Email),
    ("defaulttimezone", Field::DefaultTimeZone),
    ("timezone", Field::DefaultTimeZone),
    ("tz", Field::DefaultTimeZone),
];

/// The loose form of a header: ASCII lowercase (every alias is ASCII, and
/// Unicode's case tables would cost the wasm some kilobytes), without spaces,
/// dashes, dots or underscores.
fn loose(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Target {
    /// The target a header names, or [`Target::Ignore`].
    pub fn guess(header: &str) -> Target {
        let header = header.trim();
        if let Some(field) = Field::from_name(header).filter(|f| *f != Field::Metadata) {
            return Target::Field(field);
        }
        let lower = header.to_ascii_lowercase();
        for prefix in ["metadata.", "metadata:"] {
            if lower.starts_with(prefix) {
                let key = header.get(prefix.len()..).unwrap_or_default();
                return Target::Metadata(key.trim().to_owned());
            }
        }
        let loose = loose(header);
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == loose)
            .map_or(Target::Ignore, |(_, field)| Target::Field(*field))
    }

    /// A short text for this target, as the mapping's `<select>` and the
    /// remembered mapping spell it: `-`, a field's name, `metadata.<key>`.
    pub fn encode(&self) -> String {
        match self {
            Target::Ignore => "-".to_owned(),
            Target::Field(field) => field.as_str().to_owned(),
            Target::Metadata(key) => format!("metadata.{key}"),
        }
    }

    /// Reads what [`Target::encode`] wrote.
    pub fn decode(text: &str) -> Option<Target> {
        if text == "-" {
            return Some(Target::Ignore);
        }
        if let Some(key) = text.strip_prefix("metadata.") {
            return Some(Target::Metadata(key.to_owned()));
        }
        Field::from_name(text).filter(|f| *f != Field::Metadata).map(Target::Field)
    }

    /// What the mapping table says this target is.
    pub fn label(&self) -> String {
        match self {
            Target::Ignore => "Ignore this column".to_owned(),
            Target::Field(field) => field.label().to_owned(),
            Target::Metadata(key) => format!("Metadata: {key}"),
        }
    }
}

/// The targets of every column of a file, in column order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub targets: Vec<Target>,
}

/// Why a mapping cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error(
        "No column says which contact a row is about: map a column to Contact ID, WhatsApp ID or SMS phone number."
    )]
    NoIdentifier,
    #[error("Columns {first} and {second} both fill {target}: set one of them to “Ignore”.")]
    Twice { first: String, second: String, target: String },
    #[error("Column {column} names the metadata key “{key}”, which cannot be used: {problem}")]
    BadKey { column: String, key: String, problem: String },
}

impl Mapping {
    /// Every header's guessed target.
    pub fn guess(headers: &[String]) -> Mapping {
        Mapping { targets: headers.iter().map(|header| Target::guess(header)).collect() }
    }

    /// The mapping as one line of text, for remembering it.
    pub fn encode(&self) -> String {
        let targets: Vec<String> = self.targets.iter().map(Target::encode).collect();
        targets.join("\u{1f}")
    }

    /// Reads what [`Mapping::encode`] wrote, for a file `width` columns wide.
    pub fn decode(text: &str, width: usize) -> Option<Mapping> {
        let targets: Option<Vec<Target>> = text.split('\u{1f}').map(Target::decode).collect();
        targets.filter(|targets| targets.len() == width).map(|targets| Mapping { targets })
    }

    /// The columns that fill an identifier, in column order.
    pub fn identifier_columns(&self) -> impl Iterator<Item = (usize, Field)> + '_ {
        self.targets.iter().enumerate().filter_map(|(column, target)| match target {
            Target::Field(field) if field.is_identifier() => Some((column, *field)),
            _ => None,
        })
    }

    /// The column that fills `field`, if one does.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.targets.iter().position(|target| *target == Target::Field(field))
    }

    /// Checks that rows can be built with this mapping: an identifier column,
    /// no target filled twice, metadata keys the contract accepts. `headers`
    /// name the columns in the sentences.
    pub fn check(&self, headers: &[String]) -> Result<(), MappingError> {
        let name = |column: usize| {
            let header = headers.get(column).map_or("", String::as_str);
            if header.is_empty() { format!("{}", column + 1) } else { format!("“{header}”") }
        };
        for (column, target) in self.targets.iter().enumerate() {
            if *target == Target::Ignore {
                continue;
            }
            if let Some(first) = self.targets[..column].iter().position(|t| t == target) {
                return Err(MappingError::Twice {
                    first: name(first),
                    second: name(column),
                    target: target.label(),
                });
            }
            if let Target::Metadata(key) = target
                && let Err(problem) = check_metadata_key(key)
            {
                return Err(MappingError::BadKey {
                    column: name(column),
                    key: key.clone(),
                    problem,
                });
            }
        }
        if self.identifier_columns().next().is_none() {
            return Err(MappingError::NoIdentifier);
        }
        Ok(())
    }

    /// Every target a column may be set to: ignore, each field, and the
    /// metadata key this column's header names (if it names one).
    pub fn choices(header: &str) -> Vec<Target> {
        let mut choices = vec![Target::Ignore];
        choices.extend(Field::ALL.into_iter().filter(|f| *f != Field::Metadata).map(Target::Field));
        let key = match Target::guess(header) {
            Target::Metadata(key) => key,
            _ => header.trim().to_owned(),
        };
        if !key.is_empty() {
            choices.push(Target::Metadata(key));
        }
        choices
    }
}

/// The key under which a mapping is remembered: the same set of headers, in
/// the same order, gets the same mapping next time.
pub fn remembered_key(headers: &[String]) -> String {
    format!(
        "setter-import-mapping:{:016x}",
        super::progress::hash(headers.join("\u{1f}").as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn exact_names_then_loose_forms_and_aliases() {
        let cases = [
            ("id", Target::Field(Field::Id)),
            ("Contact ID", Target::Field(Field::Id)),
            ("contact_id", Target::Field(Field::Id)),
            ("waId", Target::Field(Field::WaId)),
            ("WhatsApp", Target::Field(Field::WaId)),
            ("whatsapp id", Target::Field(Field::WaId)),
            ("sms_phone_number", Target::Field(Field::SmsPhoneNumber)),
            ("First Name", Target::Field(Field::FirstName)),
            ("first-name", Target::Field(Field::FirstName)),
            ("LASTNAME", Target::Field(Field::LastName)),
            ("E-mail", Target::Field(Field::Email)),
            ("Email Address", Target::Field(Field::Email)),
            ("phone", Target::Field(Field::PhoneNumber)),
            ("Time zone", Target::Field(Field::DefaultTimeZone)),
            ("timezone", Target::Field(Field::DefaultTimeZone)),
            ("defaultTimeZone", Target::Field(Field::DefaultTimeZone)),
            (" email ", Target::Field(Field::Email)),
            ("metadata.plan", Target::Metadata("plan".into())),
            ("Metadata:Campaign", Target::Metadata("Campaign".into())),
            ("metadata", Target::Ignore),
            ("notes", Target::Ignore),
            ("", Target::Ignore),
        ];
        for (header, target) in cases {
            assert_eq!(Target::guess(header), target, "{header:?}");
        }
    }

    #[test]
    fn a_mapping_needs_an_identifier_and_fills_each_target_once() {
        let names = headers(&["Email", "First name"]);
        assert_eq!(Mapping::guess(&names).check(&names), Err(MappingError::NoIdentifier));

        let names = headers(&["id", "email", "E-mail"]);
        let error = Mapping::guess(&names).check(&names).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Columns “email” and “E-mail” both fill Email: set one of them to “Ignore”."
        );

        let names = headers(&["id", "metadata."]);
        assert!(matches!(Mapping::guess(&names).check(&names), Err(MappingError::BadKey { .. })));

        let names = headers(&["waId", "id", "firstName", "metadata.plan", "notes"]);
        let mapping = Mapping::guess(&names);
        assert_eq!(mapping.check(&names), Ok(()));
        assert_eq!(
            mapping.identifier_columns().collect::<Vec<_>>(),
            [(0, Field::WaId), (1, Field::Id)]
        );
        assert_eq!(mapping.column_of(Field::FirstName), Some(2));
    }

    #[test]
    fn a_mapping_is_remembered_as_text_for_the_same_headers() {
        let names = headers(&["id", "metadata.plan", "notes", "E-mail"]);
        let mapping = Mapping::guess(&names);
        assert_eq!(Mapping::decode(&mapping.encode(), 4), Some(mapping.clone()));
        assert_eq!(Mapping::decode(&mapping.encode(), 3), None, "another width");
        assert_eq!(Mapping::decode("id\u{1f}nickname", 2), None, "an unknown field");
        assert_eq!(remembered_key(&names), remembered_key(&names.clone()));
        assert_ne!(remembered_key(&names), remembered_key(&headers(&["id", "E-mail"])));
    }

    #[test]
    fn every_column_can_be_ignored_set_to_any_field_or_to_its_own_metadata_key() {
        let choices = Mapping::choices("Plan");
        assert_eq!(choices.first(), Some(&Target::Ignore));
        assert_eq!(choices.last(), Some(&Target::Metadata("Plan".into())));
        assert_eq!(choices.len(), 1 + 9 + 1);
        assert_eq!(
            Mapping::choices("metadata.tier").last(),
            Some(&Target::Metadata("tier".into()))
        );
    }
}
