//! IANA time zone names, and a helping hand for the nearly right ones.
//!
//! Only the names are carried (about 9 KB, 3 KB gzipped), not the rules: the
//! contract checks that Setter will know a zone, it never converts a time. The
//! table ships inside the widget's wasm, so a full tz crate would cost far more
//! than it gives. `scripts/update-tz-names.sh` regenerates it from tzdata.

use std::sync::LazyLock;

/// Every zone and link name the IANA tz database defines, sorted, one a line.
const NAMES: &str = include_str!("tz-names.txt");

/// The names split once. The file is sorted in byte order, which is `str`'s
/// order, so a lookup is a binary search.
static SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| NAMES.lines().collect());

/// Every name, sorted (byte order), for pickers.
pub fn names() -> impl Iterator<Item = &'static str> {
    SORTED.iter().copied()
}

/// Whether `name` is a zone or link the tz database defines, in its exact case.
pub fn is_known(name: &str) -> bool {
    SORTED.binary_search(&name).is_ok()
}

/// The name an operator most likely meant: the same name in another case, then a
/// city typed without its region ("berlin", "new york"), then a name at most two
/// edits away. `None` when nothing is close.
pub fn suggest(typed: &str) -> Option<&'static str> {
    let wanted = fold(typed);
    if wanted.is_empty() {
        return None;
    }
    // The names are ASCII: compare them folded byte by byte, without allocating.
    let folds_to_wanted = |name: &str| {
        name.len() == wanted.len()
            && name.bytes().zip(wanted.bytes()).all(|(a, b)| fold_byte(a) == b)
    };
    names()
        .find(|name| folds_to_wanted(name))
        .or_else(|| names().find(|name| name.rsplit('/').next().is_some_and(folds_to_wanted)))
        .or_else(|| {
            let wanted_chars = wanted.chars().count();
            names()
                // Two edits change the length by two at most (names are ASCII).
                .filter(|name| name.len().abs_diff(wanted_chars) <= 2)
                .map(|name| (edit_distance(&fold(name), &wanted), name))
                .filter(|(distance, _)| *distance <= 2)
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, name)| name)
        })
}

/// Lower case, trimmed, spaces as underscores: "new york" ~ "New_York".
fn fold(name: &str) -> String {
    name.trim().chars().map(|c| if c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect()
}

fn fold_byte(byte: u8) -> u8 {
    if byte == b' ' { b'_' } else { byte.to_ascii_lowercase() }
}

/// Levenshtein distance over chars, in one row of memory.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete_enough() {
        let all: Vec<&str> = names().collect();
        assert!(all.windows(2).all(|pair| pair[0] < pair[1]), "sorted and unique");
        assert!(all.len() > 500, "the whole database, not a sample: {}", all.len());
        for name in ["UTC", "Europe/Berlin", "America/New_York", "US/Eastern", "Etc/GMT+5"] {
            assert!(is_known(name), "{name} is defined (links included)");
        }
    }

    #[test]
    fn names_need_no_escaping_in_html() {
        // The widget writes the names into its datalist's HTML as they are.
        let plain = |b: u8| b.is_ascii_alphanumeric() || b"/_+-".contains(&b);
        for name in names() {
            assert!(name.bytes().all(plain), "{name:?} has a character HTML would need escaped");
        }
    }

    #[test]
    fn known_names_are_case_exact() {
        assert!(!is_known("europe/berlin"));
        assert!(!is_known("Europe/Berlin "));
        assert!(!is_known(""));
    }

    #[test]
    fn suggestions_fix_case_city_and_typos() {
        assert_eq!(suggest("europe/berlin"), Some("Europe/Berlin"));
        assert_eq!(suggest("EUROPE/BERLIN"), Some("Europe/Berlin"));
        assert_eq!(suggest("new york"), Some("America/New_York"));
        assert_eq!(suggest("Europe/Berln"), Some("Europe/Berlin"));
        assert_eq!(suggest("Mars/Olympus_Mons"), None);
        assert_eq!(suggest("   "), None);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
