//! `GET /metrics`: what `serve` has done, in the Prometheus (OpenMetrics) text format, through
//! the Prometheus project's own Rust client.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::state::Loaded;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    endpoint: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabels {
    endpoint: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerdictLabels {
    verdict: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RegimeLabels {
    regime: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ListLabels {
    list: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: String,
}

type Seconds = Family<EndpointLabels, Histogram, fn() -> Histogram>;

/// The server's metrics, registered once
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    seconds: Seconds,
    records: Family<VerdictLabels, Counter>,
    regimes: Family<RegimeLabels, Counter>,
    list_generated: Family<ListLabels, Gauge<f64, AtomicU64>>,
    loaded: Gauge<f64, AtomicU64>,
    reloads: Family<ResultLabels, Counter>,
}

/// Latency buckets from 50 µs to about 1.6 s, doubling
fn buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "embargo_http_requests",
            "Requests answered, by endpoint and HTTP status",
            requests.clone(),
        );
        let seconds: Seconds = Family::new_with_constructor(buckets);
        registry.register(
            "embargo_http_request_duration_seconds",
            "Time to answer a request (to the first byte of a streamed answer), by endpoint",
            seconds.clone(),
        );
        let records = Family::<VerdictLabels, Counter>::default();
        registry.register(
            "embargo_records",
            "Records screened, by verdict",
            records.clone(),
        );
        let regimes = Family::<RegimeLabels, Counter>::default();
        registry.register(
            "embargo_records_by_regime",
            "Records screened with a finding of the regime",
            regimes.clone(),
        );
        let list_generated = Family::<ListLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "embargo_list_generated_timestamp_seconds",
            "When each list served was generated (its age: time() minus this)",
            list_generated.clone(),
        );
        let loaded = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "embargo_loaded_timestamp_seconds",
            "When the rules and lists served were loaded",
            loaded.clone(),
        );
        let reloads = Family::<ResultLabels, Counter>::default();
        registry.register(
            "embargo_reloads",
            "Reloads of the rules and lists, by result (ok, failed)",
            reloads.clone(),
        );
        Metrics {
            registry,
            requests,
            seconds,
            records,
            regimes,
            list_generated,
            loaded,
            reloads,
        }
    }

    /// A request answered
    pub fn request(&self, endpoint: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                endpoint: endpoint.to_string(),
                status,
            })
            .inc();
        self.seconds
            .get_or_create(&EndpointLabels {
                endpoint: endpoint.to_string(),
            })
            .observe(seconds);
    }

    /// A record's verdict, and the regimes of its findings (each once)
    pub fn verdict(&self, verdict: &embargo::Verdict) {
        self.records
            .get_or_create(&VerdictLabels {
                verdict: verdict.verdict.as_str().to_string(),
            })
            .inc();
        let mut regimes: Vec<&str> = verdict
            .findings
            .iter()
            .flatten()
            .map(|f| f.regime.as_str())
            .collect();
        regimes.sort_unstable();
        regimes.dedup();
        for regime in regimes {
            self.regimes
                .get_or_create(&RegimeLabels {
                    regime: regime.to_string(),
                })
                .inc();
        }
    }

    /// New rules and lists served
    pub fn loaded(&self, loaded: &Loaded) {
        self.list_generated.clear();
        for list in loaded.engine.lists().versions() {
            if let Some(at) = list.generated.as_deref().and_then(timestamp) {
                self.list_generated
                    .get_or_create(&ListLabels {
                        list: list.name.clone(),
                    })
                    .set(at);
            }
        }
        if let Some(at) = timestamp(&loaded.loaded_at) {
            self.loaded.set(at);
        }
    }

    /// A reload ended
    pub fn reloaded(&self, ok: bool) {
        self.reloads
            .get_or_create(&ResultLabels {
                result: if ok { "ok" } else { "failed" }.to_string(),
            })
            .inc();
    }

    /// Every metric in the OpenMetrics text format
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            out = format!("# cannot write the metrics: {e}\n# EOF\n");
        }
        out
    }
}

/// Seconds since 1970 of an RFC 3339 time or a `YYYY-MM-DD` day (its start, UTC)
fn timestamp(text: &str) -> Option<f64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis() as f64 / 1000.0);
    }
    let day = chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_lists_write_them() {
        assert_eq!(timestamp("1970-01-02"), Some(86_400.0));
        assert_eq!(timestamp("1970-01-01T00:00:01.5Z"), Some(1.5));
        assert_eq!(timestamp("2026-05-08T23:00:06Z"), Some(1_778_281_206.0));
        assert_eq!(timestamp("soon"), None);
    }

    #[test]
    fn verdicts_count_once_per_regime() {
        let m = Metrics::new();
        let engine = embargo::Engine::new(
            embargo::Pack::embedded().unwrap(),
            embargo::Lists::default(),
        );
        // Three findings of the DPRK regime (arms and a luxury good to it): the record counts once
        let twice = engine.screen_json(
            r#"{"id": "a", "date": "2022-09-05", "activity": "trade", "origin": "RU", "destination": "KP",
                "goods": [{"hs": "9306.90", "categories": ["arms"]}, {"hs": "7113.19", "categories": ["luxury"]}]}"#,
        );
        assert!(twice.findings.as_ref().unwrap().len() >= 2, "{twice:?}");
        m.verdict(&twice);
        m.verdict(&engine.screen_json(r#"{"id": "b", "dte": "2022-09-05"}"#));
        m.request("/v1/screen", 200, 0.001);
        m.reloaded(false);
        let text = m.render();
        for line in [
            r#"embargo_records_total{verdict="prohibited"} 1"#,
            r#"embargo_records_total{verdict="invalid"} 1"#,
            r#"embargo_records_by_regime_total{regime="DPRK"} 1"#,
            r#"embargo_http_requests_total{endpoint="/v1/screen",status="200"} 1"#,
            r#"embargo_http_request_duration_seconds_count{endpoint="/v1/screen"} 1"#,
            r#"embargo_reloads_total{result="failed"} 1"#,
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in:\n{text}");
        }
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
