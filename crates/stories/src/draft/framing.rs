//! A drafted framing paragraph: a sentence or two in the researcher's voice,
//! third person, that sets the scene from the participant's attributes (who
//! referred them and what they joined) before the storyteller's own words.
//! Shown in italics as framing, never inside an excerpt, never in quotes.
//! Only attribute values that are roles are used ("GP", "practice nurse"):
//! a person's or place's name in the participants table never reaches it.

use super::title::RoleAttributes;

/// Referrers the framing may name, as the attribute may spell them, and how
/// the framing says them.
const REFERRERS: &[(&str, &str)] = &[
    ("gp", "GP"),
    ("doctor", "doctor"),
    ("practice nurse", "practice nurse"),
    ("nurse", "nurse"),
    ("district nurse", "district nurse"),
    ("community nurse", "community nurse"),
    ("social worker", "social worker"),
    ("pharmacist", "pharmacist"),
    ("physiotherapist", "physiotherapist"),
    ("hospital", "hospital"),
    ("housing officer", "housing officer"),
    ("family", "family"),
    ("daughter", "daughter"),
    ("son", "son"),
    ("friend", "friend"),
    ("neighbour", "neighbour"),
];

/// The framing paragraph for a storyteller called `name` (their pseudonym;
/// empty: "The storyteller"), or empty when the attributes say too little to
/// set a scene (no known referral) or the storyteller is staff.
pub fn framing(a: &RoleAttributes, name: &str) -> String {
    let clean = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase)
    };
    let staff = clean(&a.role).is_some_and(|r| r != "participant" && r != "storyteller");
    if staff {
        return String::new();
    }
    let (subj, obj, poss) = match clean(&a.gender).as_deref() {
        Some("woman" | "female" | "f") => ("she", "her", "her"),
        Some("man" | "male" | "m") => ("he", "him", "his"),
        _ => ("they", "them", "their"),
    };
    let name = name.trim();
    let who = if name.is_empty() {
        "The storyteller".to_owned()
    } else {
        name.to_owned()
    };
    let whose = if name.is_empty() {
        "The storyteller's".to_owned()
    } else if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    };
    let referral = clean(&a.referred_by).and_then(|r| {
        let r = r.trim_start_matches("their ").trim_start_matches("a ");
        if matches!(r, "self" | "self-referral" | "self referral" | "themselves") {
            return Some(String::new());
        }
        REFERRERS
            .iter()
            .find(|(k, _)| *k == r)
            .map(|(_, say)| (*say).to_owned())
    });
    let Some(referrer) = referral else {
        return String::new();
    };
    let to_link = if a.has_link_worker {
        " to a link worker"
    } else {
        ""
    };
    let mut first = if referrer.is_empty() {
        let selfref = match subj {
            "she" => "herself",
            "he" => "himself",
            _ => "themselves",
        };
        format!("{who} referred {selfref}{to_link}")
    } else {
        format!("{whose} {referrer} referred {obj}{to_link}")
    };
    if let Some(act) = clean(&a.activity) {
        let group = [
            "group", "club", "choir", "class", "circle", "team", "band", "society",
        ]
        .iter()
        .any(|g| act.ends_with(g));
        if group {
            let art = if act.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            first.push_str(&format!(", and {subj} joined {art} {act}"));
        } else {
            first.push_str(&format!(", and {subj} took part in {act}"));
        }
    }
    first.push('.');
    format!(
        "{first} {} told the story in an interview; what follows is in {poss} own words.",
        capitalise(subj)
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(gender: &str, referred: &str, activity: &str, link: bool) -> RoleAttributes {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        RoleAttributes {
            gender: opt(gender),
            age_band: Some("75-84".into()),
            activity: opt(activity),
            role: Some("participant".into()),
            referred_by: opt(referred),
            has_link_worker: link,
        }
    }

    #[test]
    fn the_framing_sets_the_scene_in_the_third_person_from_roles_only() {
        assert_eq!(
            framing(&attrs("woman", "GP", "Choir", true), "Dot"),
            "Dot's GP referred her to a link worker, and she joined a choir. \
             She told the story in an interview; what follows is in her own words."
        );
        assert_eq!(
            framing(
                &attrs("man", "Practice nurse", "Museum object handling", false),
                "Lloyd"
            ),
            "Lloyd's practice nurse referred him, and he took part in museum object handling. \
             He told the story in an interview; what follows is in his own words."
        );
        assert_eq!(
            framing(&attrs("", "Self", "Walking group", false), ""),
            "The storyteller referred themselves, and they joined a walking group. \
             They told the story in an interview; what follows is in their own words."
        );
        // A referrer that is not a known role (it may be a name) gives no framing.
        assert_eq!(
            framing(&attrs("woman", "Priya Sharma", "Choir", true), "Dot"),
            ""
        );
        assert_eq!(framing(&attrs("woman", "", "Choir", true), "Dot"), "");
        // Staff tell their story differently: no drafted framing.
        let mut staff = attrs("woman", "GP", "Choir", false);
        staff.role = Some("link worker".into());
        assert_eq!(framing(&staff, "Sita"), "");
        // Never the first person.
        let f = framing(&attrs("woman", "GP", "Choir", true), "Dot");
        let words: Vec<String> = crate::tokens::tokens(&f, 0)
            .iter()
            .map(|t| t.text.to_lowercase())
            .collect();
        assert!(
            !words
                .iter()
                .any(|w| ["i", "me", "my", "we", "our", "us"].contains(&w.as_str()))
        );
    }
}
