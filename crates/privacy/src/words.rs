//! The word lists the name finder reads (see `data/README.md`): common
//! English words (SCOWL), words written with a capital that identify no
//! one, names that are also words, and the closed classes of English
//! (function words, titles, the heads of place and organisation names).

use std::collections::HashSet;
use std::sync::LazyLock;

fn set(data: &'static str) -> HashSet<&'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../data/common-words.txt")));
static CONVENTIONAL: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../data/conventional-capitals.txt")));
static MOST_COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../data/most-common-words.txt")));
static DIALECT: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../data/dialect-words.txt")));
static NAMES_THAT_ARE_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set(include_str!("../data/names-that-are-words.txt")));

/// A common English word (lower case, folded); a hyphenated word is
/// common when each of its parts is ("thirty-one", "so-and-so").
pub fn is_common(folded: &str) -> bool {
    COMMON.contains(folded)
        || (folded.contains('-')
            && folded
                .split('-')
                .all(|p| !p.is_empty() && (COMMON.contains(p) || is_function_word(p))))
}

/// A dialect or spoken form transcribers write as said ("meself",
/// "summat", "nowt", "aye", "dinnae"): not in the spelling lists, and
/// never a name.
pub fn is_dialect(folded: &str) -> bool {
    DIALECT.contains(folded)
}

/// Written with a capital by convention and identifying no one ("Monday", "God").
pub fn is_conventional_capital(word: &str) -> bool {
    CONVENTIONAL.contains(word)
}

/// A name that is also a common word ("Rose", "Lily"), but not one of the
/// commonest words ("Tell", "Good"), which at a sentence start is a word.
pub fn is_name_that_is_a_word(word: &str) -> bool {
    NAMES_THAT_ARE_WORDS.contains(word) && !MOST_COMMON.contains(word.to_lowercase().as_str())
}

/// English function words (a closed class): never a name, never the start
/// of one, whatever their case.
pub fn is_function_word(folded: &str) -> bool {
    matches!(
        folded,
        "a" | "an"
            | "the"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "here"
            | "i"
            | "i'm"
            | "i've"
            | "i'd"
            | "i'll"
            | "me"
            | "my"
            | "mine"
            | "myself"
            | "you"
            | "you're"
            | "you've"
            | "your"
            | "yours"
            | "he"
            | "he's"
            | "him"
            | "his"
            | "she"
            | "she's"
            | "her"
            | "hers"
            | "it"
            | "it's"
            | "its"
            | "we"
            | "we're"
            | "us"
            | "our"
            | "they"
            | "they're"
            | "them"
            | "their"
            | "who"
            | "whom"
            | "whose"
            | "what"
            | "which"
            | "when"
            | "where"
            | "why"
            | "how"
            | "and"
            | "but"
            | "or"
            | "nor"
            | "so"
            | "because"
            | "if"
            | "then"
            | "than"
            | "though"
            | "although"
            | "while"
            | "whilst"
            | "as"
            | "at"
            | "by"
            | "for"
            | "from"
            | "in"
            | "into"
            | "of"
            | "off"
            | "on"
            | "onto"
            | "out"
            | "over"
            | "to"
            | "up"
            | "with"
            | "without"
            | "about"
            | "after"
            | "before"
            | "again"
            | "all"
            | "any"
            | "some"
            | "no"
            | "not"
            | "yes"
            | "yeah"
            | "oh"
            | "ah"
            | "um"
            | "er"
            | "erm"
            | "well"
            | "just"
            | "now"
            | "is"
            | "was"
            | "are"
            | "were"
            | "be"
            | "been"
            | "do"
            | "did"
            | "does"
            | "don't"
            | "didn't"
            | "have"
            | "has"
            | "had"
            | "will"
            | "would"
            | "can"
            | "could"
            | "may"
            | "might"
            | "must"
            | "shall"
            | "should"
            | "okay"
            | "ok"
            | "anyway"
            | "also"
            | "even"
            | "only"
            | "very"
            | "really"
            | "like"
            | "maybe"
            | "every"
            | "each"
            | "both"
            | "either"
            | "neither"
            | "such"
            | "another"
    )
}

/// Titles and family or care roles said before a name ("Mrs Chen",
/// "Sister Adeyemi", "Auntie Grace"). Folded.
pub fn is_title(folded: &str) -> bool {
    matches!(
        folded.trim_end_matches('.'),
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "mx"
            | "dr"
            | "doctor"
            | "prof"
            | "professor"
            | "sister"
            | "nurse"
            | "matron"
            | "father"
            | "fr"
            | "brother"
            | "mother"
            | "reverend"
            | "rev"
            | "revd"
            | "pastor"
            | "imam"
            | "rabbi"
            | "canon"
            | "vicar"
            | "bishop"
            | "sir"
            | "dame"
            | "lady"
            | "lord"
            | "councillor"
            | "cllr"
            | "auntie"
            | "aunty"
            | "aunt"
            | "uncle"
            | "nan"
            | "nana"
            | "nanna"
            | "gran"
            | "granny"
            | "grandma"
            | "grandad"
            | "granddad"
            | "grandpa"
            | "cousin"
            | "st"
            | "saint"
            | "mrs."
            | "mr."
            | "dr."
    )
}

/// Folded titles that begin a place or organisation name rather than a person's.
pub fn is_place_title(folded: &str) -> bool {
    matches!(folded.trim_end_matches('.'), "st" | "saint")
}

/// The last word of a place's name ("Moss Lane", "Hallbrook Park"). Folded.
pub fn is_place_head(folded: &str) -> bool {
    matches!(
        folded,
        "lane"
            | "street"
            | "st"
            | "road"
            | "rd"
            | "avenue"
            | "ave"
            | "close"
            | "drive"
            | "way"
            | "hill"
            | "green"
            | "park"
            | "estate"
            | "square"
            | "crescent"
            | "terrace"
            | "grove"
            | "gardens"
            | "row"
            | "walk"
            | "place"
            | "court"
            | "mews"
            | "rise"
            | "vale"
            | "view"
            | "fields"
            | "field"
            | "common"
            | "heath"
            | "moor"
            | "bridge"
            | "cross"
            | "end"
            | "town"
            | "village"
            | "city"
            | "bay"
            | "beach"
            | "wood"
            | "woods"
            | "valley"
            | "dale"
            | "brook"
            | "market"
            | "station"
    )
}

/// The last word of an organisation's name ("Riverside Medical Centre",
/// "Age Concern Calder" has none: it is found as a run). Folded.
pub fn is_org_head(folded: &str) -> bool {
    matches!(
        folded,
        "centre"
            | "center"
            | "hospital"
            | "surgery"
            | "practice"
            | "clinic"
            | "school"
            | "college"
            | "university"
            | "academy"
            | "church"
            | "chapel"
            | "mosque"
            | "temple"
            | "gurdwara"
            | "synagogue"
            | "trust"
            | "council"
            | "society"
            | "club"
            | "group"
            | "association"
            | "foundation"
            | "charity"
            | "services"
            | "service"
            | "ltd"
            | "limited"
            | "plc"
            | "partnership"
            | "unit"
            | "ward"
            | "home"
            | "house"
            | "library"
            | "hall"
            | "pharmacy"
            | "hospice"
            | "project"
            | "network"
            | "hub"
            | "café"
            | "cafe"
            | "pub"
            | "arms"
            | "inn"
            | "theatre"
            | "museum"
            | "choir"
            | "band"
            | "team"
            | "federation"
            | "union"
            | "institute"
            | "agency"
            | "authority"
    )
}

/// Lower-case words that join the words of one name ("Bank of England",
/// "Ahmed bin Said", "Maria de la Cruz").
pub fn is_connector(folded: &str) -> bool {
    matches!(
        folded,
        "of" | "de"
            | "del"
            | "della"
            | "da"
            | "di"
            | "du"
            | "la"
            | "le"
            | "van"
            | "von"
            | "der"
            | "den"
            | "ter"
            | "bin"
            | "ibn"
            | "bint"
            | "al"
            | "el"
            | "y"
    )
}

/// Words after which a name is said ("a dog called Biscuit", "named after").
pub fn is_naming_word(folded: &str) -> bool {
    matches!(folded, "called" | "named" | "nicknamed" | "christened")
}
