//! The language of screens and paper: Chinese by default, English selectable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN", alias = "zh")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The text of this language from a Chinese/English pair.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Accepts the usual spellings of a language tag (`zh`, `zh-CN`, `en`, `en-GB` …).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "zh" | "zh-CN" | "zh_CN" | "cn" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" | "en_US" => Some(Lang::En),
            _ => None,
        }
    }

    /// The tag written in settings and files.
    pub fn code(self) -> &'static str {
        self.pick("zh-CN", "en")
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::parse(s).ok_or_else(|| format!("unknown language {s:?} (expected zh-CN or en)"))
    }
}
