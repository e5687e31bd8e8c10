//! What the repeat-employer warning reads (issue 14, migration 0028): the key each employer name
//! is counted under, the last case checked, and the employer roll-up rows of given employers only.
//! A month of a million cases names hundreds of thousands of employers; the dashboard reads the
//! rows of those that can reach the warning's count, not every (employer, day) row.

use super::db::Sql;
use super::types::SiteId;
use super::{Backend, Result, Store};
use crate::domain::alerts::EmployerDay;
use chrono::NaiveDate;

/// A row of the employer roll-up with the normalised name it is counted under (`None` when the
/// name has no key stored yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedEmployerDay {
    pub row: EmployerDay,
    pub norm: Option<String>,
}

type DayRow = (NaiveDate, String, String, i64, Option<String>);

fn keyed(rows: Vec<DayRow>) -> Vec<KeyedEmployerDay> {
    rows.into_iter()
        .map(|(day, name, code, n, norm)| KeyedEmployerDay {
            row: EmployerDay {
                day,
                name,
                credit_code: (!code.is_empty()).then_some(code),
                cases: u64::try_from(n).unwrap_or(0),
            },
            norm,
        })
        .collect()
}

/// A sub-select of the text values of the JSON array bound at `$n`.
fn text_list(backend: Backend, n: u8) -> String {
    match backend {
        Backend::Sqlite => format!("SELECT value FROM json_each(${n})"),
        Backend::Postgres => format!("SELECT jsonb_array_elements_text(${n}::jsonb)"),
    }
}

impl Store {
    /// The last case of the site (by row id), if any.
    #[tracing::instrument(skip_all, err)]
    pub async fn last_case(&self, site: SiteId) -> Result<Option<i64>> {
        self.read()
            .await?
            .scalar_optional(
                Sql::new(
                    "SELECT case_id FROM case_facts WHERE site_id = $1 \
                     ORDER BY case_id DESC LIMIT 1",
                )
                .bind(site),
            )
            .await
    }

    /// The last case whose employer was checked for a repeat-employer warning.
    #[tracing::instrument(skip_all, err)]
    pub async fn employer_watch(&self, site: SiteId) -> Result<Option<i64>> {
        self.read()
            .await?
            .scalar_optional(
                Sql::new("SELECT case_id FROM employer_alert_watch WHERE site_id = $1").bind(site),
            )
            .await
    }

    /// Records that the employers of the cases up to `case` were checked (never moves back).
    #[tracing::instrument(skip_all, err)]
    pub async fn set_employer_watch(&self, site: SiteId, case: i64) -> Result<()> {
        let mut w = self.write().await?;
        w.execute(
            Sql::new(
                "INSERT INTO employer_alert_watch (site_id, case_id) VALUES ($1, $2) \
                 ON CONFLICT (site_id) DO UPDATE SET case_id = CASE \
                 WHEN employer_alert_watch.case_id > excluded.case_id \
                 THEN employer_alert_watch.case_id ELSE excluded.case_id END",
            )
            .bind(site)
            .bind(case),
        )
        .await?;
        self.commit(w).await
    }

    /// The employer names and credit codes of the cases after `case`.
    #[tracing::instrument(skip_all, err)]
    pub async fn employers_since(
        &self,
        site: SiteId,
        case: i64,
    ) -> Result<Vec<(String, Option<String>)>> {
        let rows: Vec<(String, String)> = self
            .read()
            .await?
            .fetch_all(
                Sql::new(
                    "SELECT DISTINCT employer_name, COALESCE(credit_code, '') FROM case_facts \
                     WHERE site_id = $1 AND case_id > $2 AND employer_name <> ''",
                )
                .bind(site)
                .bind(case),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(n, c)| (n, (!c.is_empty()).then_some(c)))
            .collect())
    }

    /// Up to `limit` employer names in the roll-up from `from` on with no key stored yet.
    #[tracing::instrument(skip_all, err)]
    pub async fn unkeyed_employer_names(
        &self,
        site: SiteId,
        from: NaiveDate,
        limit: i64,
    ) -> Result<Vec<String>> {
        self.read()
            .await?
            .fetch_all::<(String,)>(
                Sql::new(
                    "SELECT DISTINCT r.employer_name FROM employer_rollup r \
                     WHERE r.site_id = $1 AND r.local_day >= $2 AND r.employer_name <> '' \
                     AND NOT EXISTS (SELECT 1 FROM employer_names m \
                     WHERE m.site_id = r.site_id AND m.employer_name = r.employer_name) LIMIT $3",
                )
                .bind(site)
                .bind(from)
                .bind(limit),
            )
            .await
            .map(|v| v.into_iter().map(|(n,)| n).collect())
    }

    /// Stores the key (normalised name) of each employer name; a name keyed already keeps its key
    /// (the key is a function of the name).
    #[tracing::instrument(skip_all, err)]
    pub async fn save_employer_keys(&self, site: SiteId, keys: &[(String, String)]) -> Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut w = self.write().await?;
        for chunk in keys.chunks(500) {
            let json = serde_json::to_string(chunk)
                .map_err(|e| super::StorageError::Invalid(format!("employer keys: {e}")))?;
            let pairs = match w.backend() {
                Backend::Sqlite => {
                    "SELECT json_extract(value, '$[0]') AS name, json_extract(value, '$[1]') AS norm \
                     FROM json_each($2)"
                }
                Backend::Postgres => {
                    "SELECT e ->> 0 AS name, e ->> 1 AS norm FROM jsonb_array_elements($2::jsonb) AS e"
                }
            };
            w.execute(
                Sql::built(format!(
                    "INSERT INTO employer_names (site_id, employer_name, employer_norm) \
                     SELECT $1, p.* FROM ({pairs}) AS p WHERE true ON CONFLICT DO NOTHING"
                ))
                .bind(site)
                .bind(json),
            )
            .await?;
        }
        self.commit(w).await
    }

    /// The normalised names whose roll-up rows from `from` on add up to `min_cases` or more, or
    /// hold a credit code (a code can join rows written under other names).
    #[tracing::instrument(skip_all, err)]
    pub async fn busy_employer_keys(
        &self,
        site: SiteId,
        from: NaiveDate,
        min_cases: i64,
    ) -> Result<Vec<String>> {
        self.read()
            .await?
            .fetch_all::<(String,)>(
                Sql::new(
                    "SELECT m.employer_norm FROM employer_rollup r JOIN employer_names m \
                     ON m.site_id = r.site_id AND m.employer_name = r.employer_name \
                     WHERE r.site_id = $1 AND r.local_day >= $2 AND r.n > 0 \
                     AND r.employer_name <> '' GROUP BY m.employer_norm \
                     HAVING SUM(r.n) >= $3 OR MAX(r.credit_code) <> ''",
                )
                .bind(site)
                .bind(from)
                .bind(min_cases),
            )
            .await
            .map(|v| v.into_iter().map(|(n,)| n).collect())
    }

    /// The employer roll-up rows from `from` on of the names keyed `norms` and of the credit
    /// codes `codes` (employing counterparties only).
    #[tracing::instrument(skip_all, err)]
    pub async fn employer_days_of(
        &self,
        site: SiteId,
        from: NaiveDate,
        norms: &[String],
        codes: &[String],
    ) -> Result<Vec<KeyedEmployerDay>> {
        if norms.is_empty() && codes.is_empty() {
            return Ok(vec![]);
        }
        let json = |v: &[String]| {
            serde_json::to_string(v)
                .map_err(|e| super::StorageError::Invalid(format!("employer keys: {e}")))
        };
        let backend = self.backend();
        let select = "SELECT r.local_day, r.employer_name, r.credit_code, CAST(r.n AS BIGINT), \
             m.employer_norm FROM employer_rollup r LEFT JOIN employer_names m \
             ON m.site_id = r.site_id AND m.employer_name = r.employer_name \
             WHERE r.site_id = $1 AND r.local_day >= $2 AND r.n > 0 AND r.employer_name <> ''";
        // Two index look-ups (by name, by code) rather than one OR that a planner may scan for.
        let by_name = format!(
            "{select} AND r.employer_name IN (SELECT employer_name FROM employer_names \
             WHERE site_id = $1 AND employer_norm IN ({}))",
            text_list(backend, 3)
        );
        let by_code = format!("{select} AND r.credit_code IN ({})", text_list(backend, 3));
        let mut rows: Vec<DayRow> = Vec::new();
        let mut c = self.read().await?;
        for (sql, list) in [(by_name, norms), (by_code, codes)] {
            if list.is_empty() {
                continue;
            }
            let found: Vec<DayRow> = c
                .fetch_all(Sql::built(sql).bind(site).bind(from).bind(json(list)?))
                .await?;
            rows.extend(found);
        }
        drop(c);
        rows.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
        rows.dedup_by(|a, b| (a.0, &a.1, &a.2) == (b.0, &b.1, &b.2));
        Ok(keyed(rows))
    }
}
