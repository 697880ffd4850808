//! Synthetic transcripts for benchmarks and load tests: deterministic,
//! interview-shaped (short questions, long answers, marks), any size.

use std::io::Write;

const WORDS: &[&str] = &[
    "the",
    "choir",
    "was",
    "really",
    "lovely",
    "and",
    "I",
    "went",
    "every",
    "Thursday",
    "with",
    "my",
    "neighbour",
    "because",
    "after",
    "Ron",
    "died",
    "I",
    "didn't",
    "go",
    "out",
    "much",
    "you",
    "know",
    "but",
    "the",
    "link",
    "worker",
    "came",
    "round",
    "to",
    "the",
    "house",
    "um",
    "and",
    "we",
    "talked",
    "about",
    "what",
    "matters",
    "to",
    "me",
    "museum",
    "walking",
    "group",
    "canal",
    "cooking",
    "biryani",
    "singing",
    "friends",
    "waiting",
    "list",
    "doctor",
    "weeks",
    "confidence",
    "bus",
    "lonely",
    "laugh",
    "tea",
    "community",
    "centre",
    "garden",
    "memory",
];

/// A small deterministic generator (xorshift), so benchmarks are repeatable.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value; zero is avoided).
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Turns of a synthetic interview: (is_interviewer, text), about `words` words in all.
pub fn turns(seed: u64, words: usize) -> Vec<(bool, String)> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = Vec::new();
    let mut total = 0;
    let mut interviewer = true;
    while total < words {
        let n = if interviewer {
            8 + rng.below(15)
        } else {
            60 + rng.below(240)
        };
        let n = n.min(words - total).max(1);
        let mut s = String::with_capacity(n * 7);
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let w = WORDS[rng.below(WORDS.len())];
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push_str(w);
            }
            if !interviewer && rng.below(40) == 0 {
                s.push_str(" [laughs]");
            }
            if i + 1 < n && rng.below(12) == 0 {
                s.push(',');
            }
        }
        s.push(if interviewer { '?' } else { '.' });
        total += n;
        out.push((interviewer, s));
        interviewer = !interviewer;
    }
    out
}

/// A `Name: text` transcript of about `words` words.
pub fn transcript_txt(seed: u64, words: usize) -> String {
    let mut s = String::from("Interview – 12 March 2025 – 01:02:03\n\n");
    for (interviewer, text) in turns(seed, words) {
        s.push_str(if interviewer {
            "Interviewer: "
        } else {
            "Participant: "
        });
        s.push_str(&text);
        s.push_str("\n\n");
    }
    s
}

/// The same transcript as a .docx with bold labels.
pub fn transcript_docx(seed: u64, words: usize) -> Vec<u8> {
    let mut body = String::new();
    for (interviewer, text) in turns(seed, words) {
        let label = if interviewer {
            "Interviewer:"
        } else {
            "Participant:"
        };
        body.push_str(&format!(
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{label}</w:t></w:r><w:r><w:t xml:space=\"preserve\"> {text}</w:t></w:r></w:p>"
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    // Writing to memory cannot fail for I/O reasons; an error here is a bug.
    let write =
        |zip: &mut zip::ZipWriter<_>, name: &str, data: &[u8]| -> zip::result::ZipResult<()> {
            zip.start_file(name, opts)?;
            zip.write_all(data)?;
            Ok(())
        };
    let ok = write(&mut zip, "[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#)
        .and_then(|_| write(&mut zip, "word/document.xml", xml.as_bytes()));
    match ok.and_then(|_| zip.finish()) {
        Ok(c) => c.into_inner(),
        Err(e) => panic!("writing a zip in memory failed: {e}"),
    }
}
