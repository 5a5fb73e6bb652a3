//! The names of the fields Setter accepts, as one closed set.

use std::fmt;

/// A field of [`super::ContactUpdate`], named as on the wire.
///
/// Adding a field: a variant here (before `Metadata`, which stays last, as on
/// the API page), its arm in [`Field::index`], [`Field::as_str`] and
/// [`Field::label`], its place in [`Field::ALL`], and its slot in
/// `ContactUpdate` with its rule. Everything else (the form's inputs, the
/// importer's columns, the sandbox) iterates these lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Id,
    WaId,
    SmsPhoneNumber,
    FirstName,
    LastName,
    FullName,
    PhoneNumber,
    Email,
    DefaultTimeZone,
    Metadata,
}

impl Field {
    /// Every field, identifiers first, in the order the API page lists them.
    /// Complete by construction: the check below fails to compile unless
    /// `ALL[i].index() == i` for every entry and the last field closes it.
    pub const ALL: [Field; 10] = [
        Field::Id,
        Field::WaId,
        Field::SmsPhoneNumber,
        Field::FirstName,
        Field::LastName,
        Field::FullName,
        Field::PhoneNumber,
        Field::Email,
        Field::DefaultTimeZone,
        Field::Metadata,
    ];

    /// The position in [`Field::ALL`]. Exhaustive: a new variant does not
    /// compile until it has its place.
    pub const fn index(self) -> usize {
        match self {
            Field::Id => 0,
            Field::WaId => 1,
            Field::SmsPhoneNumber => 2,
            Field::FirstName => 3,
            Field::LastName => 4,
            Field::FullName => 5,
            Field::PhoneNumber => 6,
            Field::Email => 7,
            Field::DefaultTimeZone => 8,
            Field::Metadata => 9,
        }
    }

    /// The three fields that find a contact.
    pub const IDENTIFIERS: [Field; 3] = [Field::Id, Field::WaId, Field::SmsPhoneNumber];

    /// How many fields change a contact and hold text.
    pub const TEXT_CHANGE_COUNT: usize = {
        let mut count = 0;
        let mut i = 0;
        while i < Field::ALL.len() {
            if Field::ALL[i].is_text_change() {
                count += 1;
            }
            i += 1;
        }
        count
    };

    /// The fields that change a contact and hold text: all but the identifiers
    /// and `metadata`, in the order of [`Field::ALL`] (derived from it).
    pub const TEXT_CHANGES: [Field; Field::TEXT_CHANGE_COUNT] = {
        let mut fields = [Field::Metadata; Field::TEXT_CHANGE_COUNT];
        let (mut i, mut next) = (0, 0);
        while i < Field::ALL.len() {
            if Field::ALL[i].is_text_change() {
                fields[next] = Field::ALL[i];
                next += 1;
            }
            i += 1;
        }
        fields
    };

    /// The JSON name (camelCase), which is also the widget's input name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::WaId => "waId",
            Field::SmsPhoneNumber => "smsPhoneNumber",
            Field::FirstName => "firstName",
            Field::LastName => "lastName",
            Field::FullName => "fullName",
            Field::PhoneNumber => "phoneNumber",
            Field::Email => "email",
            Field::DefaultTimeZone => "defaultTimeZone",
            Field::Metadata => "metadata",
        }
    }

    /// The field with this exact JSON name.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.as_str() == name)
    }

    /// Whether the field finds the contact rather than changing it.
    pub const fn is_identifier(self) -> bool {
        matches!(self, Field::Id | Field::WaId | Field::SmsPhoneNumber)
    }

    /// Whether the field changes a contact and holds text (one of
    /// [`Field::TEXT_CHANGES`]).
    pub const fn is_text_change(self) -> bool {
        !self.is_identifier() && !matches!(self, Field::Metadata)
    }

    /// The position in [`Field::TEXT_CHANGES`], for a text change.
    pub const fn text_change_index(self) -> Option<usize> {
        if self.is_text_change() { Some(self.index() - Field::IDENTIFIERS.len()) } else { None }
    }

    /// A short label for people ("WhatsApp ID").
    pub const fn label(self) -> &'static str {
        match self {
            Field::Id => "Contact ID",
            Field::WaId => "WhatsApp ID",
            Field::SmsPhoneNumber => "SMS phone number",
            Field::FirstName => "First name",
            Field::LastName => "Last name",
            Field::FullName => "Full name",
            Field::PhoneNumber => "Phone number",
            Field::Email => "Email",
            Field::DefaultTimeZone => "Default time zone",
            Field::Metadata => "Metadata",
        }
    }
}

// `ALL` is complete and in order: each entry sits at its own index, and the
// last field (metadata, last on the API page) closes the list, so no index is
// missing. Identifiers come first, which `text_change_index` relies on.
const _: () = {
    let mut i = 0;
    while i < Field::ALL.len() {
        assert!(Field::ALL[i].index() == i, "Field::ALL is out of order");
        assert!(Field::ALL[i].is_identifier() == (i < Field::IDENTIFIERS.len()));
        i += 1;
    }
    assert!(Field::Metadata.index() + 1 == Field::ALL.len(), "Field::ALL misses a field");
};

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_sits_at_its_index_and_is_found_by_its_name() {
        for (index, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field.index(), index);
            assert_eq!(Field::from_name(field.as_str()), Some(field));
        }
    }

    #[test]
    fn text_changes_are_every_field_but_the_identifiers_and_metadata() {
        let expected: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|field| !field.is_identifier() && *field != Field::Metadata)
            .collect();
        assert_eq!(Field::TEXT_CHANGES.to_vec(), expected);
        for (index, field) in Field::TEXT_CHANGES.into_iter().enumerate() {
            assert_eq!(field.text_change_index(), Some(index));
        }
        assert_eq!(Field::Id.text_change_index(), None);
        assert_eq!(Field::Metadata.text_change_index(), None);
    }
}
