//! The names of the fields Setter accepts, as one closed set.

use std::fmt;

/// A field of [`super::ContactUpdate`], named as on the wire.
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

    /// The fields that change a contact and hold text: all but the identifiers
    /// and `metadata`, in the order of [`Field::ALL`].
    pub const TEXT_CHANGES: [Field; 6] = [
        Field::FirstName,
        Field::LastName,
        Field::FullName,
        Field::PhoneNumber,
        Field::Email,
        Field::DefaultTimeZone,
    ];

    /// The three fields that find a contact.
    pub const IDENTIFIERS: [Field; 3] = [Field::Id, Field::WaId, Field::SmsPhoneNumber];

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

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
