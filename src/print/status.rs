//! Real-time status: `DLE EOT n` (n = 1 printer, 2 offline cause, 4 roll paper sensor).
//!
//! Each answer is one byte whose bits 1 and 4 are set and bits 0 and 7 clear; a byte that does not
//! fit that pattern is not a status answer. A printer that does not answer has an unknown status,
//! never "ok".

use serde::Serialize;

pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;

/// The queries sent before and after a job, in order.
pub const QUERIES: [u8; 3] = [1, 2, 4];

pub fn query(n: u8) -> [u8; 3] {
    [DLE, EOT, n]
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fault", content = "detail", rename_all = "snake_case")]
pub enum Fault {
    Offline,
    CoverOpen,
    PaperEnd,
    /// A warning: printing goes on.
    PaperNearEnd,
    Error,
    /// The printer does not answer status queries although its profile says it does.
    NoAnswer,
    /// Connection refused, timed out or dropped.
    Unreachable(String),
}

impl Fault {
    pub fn blocks_printing(&self) -> bool {
        !matches!(self, Fault::PaperNearEnd)
    }

    pub fn zh(&self) -> String {
        match self {
            Fault::Offline => "打印机离线".to_string(),
            Fault::CoverOpen => "打印机上盖打开".to_string(),
            Fault::PaperEnd => "打印机缺纸".to_string(),
            Fault::PaperNearEnd => "打印纸将尽，请准备换纸".to_string(),
            Fault::Error => "打印机故障（切刀或机械错误）".to_string(),
            Fault::NoAnswer => "打印机无应答，状态未知".to_string(),
            Fault::Unreachable(e) => format!("无法连接打印机：{e}"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            Fault::Offline => "printer offline".to_string(),
            Fault::CoverOpen => "printer cover open".to_string(),
            Fault::PaperEnd => "printer out of paper".to_string(),
            Fault::PaperNearEnd => "paper near end".to_string(),
            Fault::Error => "printer error (cutter or mechanism)".to_string(),
            Fault::NoAnswer => "printer does not answer: status unknown".to_string(),
            Fault::Unreachable(e) => format!("printer unreachable: {e}"),
        }
    }
}

/// What is known about the printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterStatus {
    /// `false` when the printer or the transport cannot tell (device file, profile without
    /// status support): printing goes ahead but the status line says "unknown".
    pub known: bool,
    pub faults: Vec<Fault>,
}

impl PrinterStatus {
    pub fn ok() -> Self {
        PrinterStatus {
            known: true,
            faults: vec![],
        }
    }

    pub fn unknown() -> Self {
        PrinterStatus {
            known: false,
            faults: vec![],
        }
    }

    pub fn fault(f: Fault) -> Self {
        PrinterStatus {
            known: !matches!(f, Fault::NoAnswer | Fault::Unreachable(_)),
            faults: vec![f],
        }
    }

    pub fn blocks_printing(&self) -> bool {
        self.faults.iter().any(Fault::blocks_printing)
    }

    pub fn is_ok(&self) -> bool {
        self.known && self.faults.is_empty()
    }

    /// One line for the status bar and the job's error column.
    pub fn describe(&self) -> String {
        if self.faults.is_empty() {
            return if self.known {
                "打印机正常 (ok)".to_string()
            } else {
                "打印机状态未知 (status unknown)".to_string()
            };
        }
        self.faults
            .iter()
            .map(|f| format!("{} ({})", f.zh(), f.en()))
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Whether `b` has the fixed bits of a status byte.
pub fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

/// Faults reported by the answer `b` to `DLE EOT n`.
pub fn parse(n: u8, b: u8) -> Result<Vec<Fault>, String> {
    if !is_status_byte(b) {
        return Err(format!("DLE EOT {n}: 0x{b:02x} is not a status byte"));
    }
    let mut f = Vec::new();
    match n {
        1 => {
            if b & 0x08 != 0 {
                f.push(Fault::Offline);
            }
        }
        2 => {
            if b & 0x04 != 0 {
                f.push(Fault::CoverOpen);
            }
            if b & 0x20 != 0 {
                f.push(Fault::PaperEnd);
            }
            if b & 0x40 != 0 {
                f.push(Fault::Error);
            }
        }
        4 => {
            if b & 0x60 != 0 {
                f.push(Fault::PaperEnd);
            } else if b & 0x0c != 0 {
                f.push(Fault::PaperNearEnd);
            }
        }
        _ => return Err(format!("DLE EOT {n} is not queried")),
    }
    Ok(f)
}

/// Combines the answers to the three queries (duplicates removed, order kept).
pub fn combine(answers: &[(u8, u8)]) -> Result<PrinterStatus, String> {
    let mut faults = Vec::new();
    for (n, b) in answers {
        for f in parse(*n, *b)? {
            if !faults.contains(&f) {
                faults.push(f);
            }
        }
    }
    // Offline is implied by the concrete cause; keep it only when no cause is known.
    if faults.len() > 1 {
        faults.retain(|f| *f != Fault::Offline);
    }
    Ok(PrinterStatus {
        known: true,
        faults,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_bits() {
        assert_eq!(
            combine(&[(1, 0x12), (2, 0x12), (4, 0x12)]),
            Ok(PrinterStatus::ok())
        );
        let s = combine(&[(1, 0x1a), (2, 0x32), (4, 0x72)]).expect("paper out");
        assert_eq!(s.faults, vec![Fault::PaperEnd]);
        assert!(s.blocks_printing());
        let s = combine(&[(1, 0x1a), (2, 0x16), (4, 0x12)]).expect("cover");
        assert_eq!(s.faults, vec![Fault::CoverOpen]);
        let s = combine(&[(1, 0x12), (2, 0x12), (4, 0x1e)]).expect("near end");
        assert_eq!(s.faults, vec![Fault::PaperNearEnd]);
        assert!(!s.blocks_printing());
        assert!(parse(1, 0x00).is_err());
        assert!(parse(1, 0xff).is_err());
    }

    #[test]
    fn unknown_is_not_ok() {
        assert!(!PrinterStatus::unknown().is_ok());
        assert!(PrinterStatus::fault(Fault::NoAnswer).blocks_printing());
    }
}
