//! The word lists the wh-question rules read: auxiliaries, irregular past tenses, phrase
//! openers, person words, months, count words and the split's bracket markers.

/// Auxiliaries and copulas that can head a question.
pub(super) const AUX: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "had", "has", "have", "is", "may", "might", "must",
    "should", "was", "were", "will", "would",
];

/// Frequent irregular past-tense verbs.
pub(super) const IRREGULAR: &[(&str, &str)] = &[
    ("became", "become"),
    ("began", "begin"),
    ("brought", "bring"),
    ("built", "build"),
    ("came", "come"),
    ("chose", "choose"),
    ("found", "find"),
    ("gave", "give"),
    ("got", "get"),
    ("grew", "grow"),
    ("held", "hold"),
    ("kept", "keep"),
    ("knew", "know"),
    ("led", "lead"),
    ("left", "leave"),
    ("lost", "lose"),
    ("made", "make"),
    ("meant", "mean"),
    ("met", "meet"),
    ("paid", "pay"),
    ("ran", "run"),
    ("said", "say"),
    ("sent", "send"),
    ("sold", "sell"),
    ("spent", "spend"),
    ("stood", "stand"),
    ("taught", "teach"),
    ("thought", "think"),
    ("took", "take"),
    ("told", "tell"),
    ("went", "go"),
    ("won", "win"),
    ("wrote", "write"),
];

/// Words that open an introductory phrase moved to the end of a question.
pub(super) const OPENERS: &[&str] = &[
    "after",
    "although",
    "as",
    "at",
    "before",
    "by",
    "despite",
    "during",
    "following",
    "for",
    "from",
    "however",
    "in",
    "on",
    "since",
    "through",
    "under",
    "when",
    "while",
    "with",
    "within",
];

/// Person words that make the subject a "who".
pub(super) const PEOPLE: &[&str] = &[
    "he",
    "she",
    "they",
    "king",
    "president",
    "people",
    "scientists",
    "students",
];

/// The split's bracket markers.
pub(super) const BRACKETS: &[&str] = &["-lrb-", "-rrb-", "-lsb-", "-rsb-", "-lcb-", "-rcb-"];

/// Month names, which open a date.
pub(super) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Number words counted by "how many".
pub(super) const COUNTS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousands",
    "millions",
    "dozens",
    "several",
];

/// Words that end the counted noun phrase.
pub(super) const NOUN_STOP: &[&str] = &[
    "in", "of", "and", "or", "the", "a", "to", "for", "by", "with", "at", "from", "on", "as",
    "that", "which", "who", "than",
];
