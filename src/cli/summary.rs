//! What a run of `screen` comes to: records by verdict and by regime, how long it took. A line
//! on stderr at the end when stderr is a terminal, and `--summary FILE` as JSON for pipelines
//! (`docs/cli.md`). The time is measured (a monotonic clock) only to be reported here.

use std::collections::BTreeMap;
use std::time::Duration;

use embargo::Verdict;
use embargo::internals::eval::Outcome;
use embargo::internals::provenance::Provenance;
use embargo::internals::report::verdicts::verdict_style;

/// What one record adds to the summary: its verdict and the regimes of its findings, each once
pub struct Counted {
    outcome: Outcome,
    regimes: Vec<String>,
}

impl Counted {
    /// Of a verdict (on the worker threads, beside its rendering)
    pub fn of(verdict: &Verdict) -> Counted {
        let regimes = verdict.regimes();
        Counted {
            outcome: verdict.verdict,
            regimes,
        }
    }
}

/// The counts of a run
#[derive(Default)]
pub struct Tally {
    records: u64,
    by_verdict: [u64; Outcome::ALL.len()],
    by_regime: BTreeMap<String, u64>,
}

impl Tally {
    /// Counts one record
    pub fn add(&mut self, counted: Counted) {
        self.records += 1;
        if let Some(i) = Outcome::ALL.iter().position(|o| *o == counted.outcome)
            && let Some(n) = self.by_verdict.get_mut(i)
        {
            *n += 1;
        }
        for regime in counted.regimes {
            *self.by_regime.entry(regime).or_insert(0) += 1;
        }
    }

    /// `--summary FILE`: `records`, `by_verdict` (every verdict, zeros included), `by_regime`
    /// (records with a finding of the regime), `provenance`, `seconds`
    pub fn json(&self, provenance: &Provenance, took: Duration) -> String {
        let by_verdict: serde_json::Map<String, serde_json::Value> = Outcome::ALL
            .iter()
            .zip(self.by_verdict)
            .map(|(o, n)| (o.as_str().to_string(), n.into()))
            .collect();
        let summary = serde_json::json!({
            "records": self.records,
            "by_verdict": by_verdict,
            "by_regime": self.by_regime,
            "provenance": provenance,
            "seconds": (took.as_secs_f64() * 1000.0).round() / 1000.0,
        });
        let mut text = serde_json::to_string_pretty(&summary)
            .unwrap_or_else(|e| format!("{{\"error\":\"cannot write the summary: {e}\"}}"));
        text.push('\n');
        text
    }

    /// The line said on a terminal: `screened 29 records in 0.02 s (1,450 records/s): 5
    /// prohibited, ...` (verdicts with no record left out), each verdict in its colour when
    /// `colour`
    pub fn line(&self, took: Duration, colour: bool) -> String {
        let seconds = took.as_secs_f64();
        let rate = if seconds > 0.0 {
            format!(" ({} records/s)", grouped(self.records as f64 / seconds))
        } else {
            String::new()
        };
        let counts: Vec<String> = Outcome::ALL
            .iter()
            .zip(self.by_verdict)
            .filter(|(_, n)| *n > 0)
            .map(|(o, n)| {
                let style = if colour {
                    verdict_style(*o)
                } else {
                    anstyle::Style::new()
                };
                format!("{} {style}{}{style:#}", grouped(n as f64), o.as_str())
            })
            .collect();
        let records = if self.records == 1 {
            "record"
        } else {
            "records"
        };
        format!(
            "embargo: screened {} {records} in {seconds:.2} s{rate}: {}",
            grouped(self.records as f64),
            counts.join(", ")
        )
    }
}

/// A count with thousands separated by commas (`12,345`), rounded to a whole number
fn grouped(n: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a count or a rate: never negative, far below u64::MAX"
    )]
    let whole = n.max(0.0).round() as u64;
    embargo::internals::report::thousands(whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use embargo::internals::ir::Level;

    fn tally(outcomes: &[(Outcome, &[&str])]) -> Tally {
        let mut t = Tally::default();
        for (outcome, regimes) in outcomes {
            t.add(Counted {
                outcome: *outcome,
                regimes: regimes.iter().map(ToString::to_string).collect(),
            });
        }
        t
    }

    #[test]
    fn counts_by_verdict_and_regime() {
        let t = tally(&[
            (Outcome::Level(Level::Prohibited), &["DPRK", "Iran"]),
            (Outcome::Level(Level::Prohibited), &["DPRK"]),
            (Outcome::Level(Level::Clear), &[]),
            (Outcome::Invalid, &[]),
        ]);
        let provenance = Provenance::new("sha256:00".into(), Vec::new());
        let json: serde_json::Value =
            serde_json::from_str(&t.json(&provenance, Duration::from_millis(1500))).unwrap();
        assert_eq!(json["records"], 4);
        assert_eq!(
            json["by_verdict"],
            serde_json::json!({"prohibited": 2, "authorization_required": 0, "review": 0,
                "notify": 0, "clear": 1, "invalid": 1})
        );
        assert_eq!(json["by_regime"], serde_json::json!({"DPRK": 2, "Iran": 1}));
        assert_eq!(json["seconds"], 1.5);
        assert_eq!(json["provenance"]["pack"], "sha256:00");
        assert_eq!(
            t.line(Duration::from_secs(2), false),
            "embargo: screened 4 records in 2.00 s (2 records/s): 2 prohibited, 1 clear, 1 invalid"
        );
        let coloured = t.line(Duration::from_secs(2), true);
        assert!(
            coloured.contains("\u{1b}[1m\u{1b}[31mprohibited\u{1b}[0m"),
            "{coloured:?}"
        );
    }

    #[test]
    fn large_counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(1_234_567.4), "1,234,567");
        assert_eq!(grouped(123_456.0), "123,456");
    }
}
