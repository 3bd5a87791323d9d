//! Checks of each case that the format alone cannot make: names, ops and
//! their documents, inputs and expected results against the op's types,
//! reasons, features, zones.

use serde_json::Value;

use super::LoadError;
use super::model::{Case, Expect, Property};
use crate::ops::{self, OpSpec};

fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// Every member the harness may leave uncompared (`ops::UNKEPT`) is in
/// some case's exact result, when its op has cases, so an implementation
/// that declares its feature is tested on it.
pub fn unkept(cases: &[Case]) -> Vec<LoadError> {
    ops::UNKEPT
        .iter()
        .filter(|u| cases.iter().any(|c| c.op == u.op))
        .filter(|u| {
            !cases.iter().any(|c| {
                c.op == u.op
                    && matches!(&c.expect, Expect::Result(Value::Object(m))
                        if u.members.iter().any(|k| m.contains_key(*k)))
            })
        })
        .map(|u| {
            LoadError::new(
                "vectors",
                None,
                format!(
                    "feature {}: no case of {} has {} in its result",
                    u.feature,
                    u.op,
                    u.members.join(" or ")
                ),
            )
        })
        .collect()
}

/// Every problem of one case, each a sentence starting with its id.
pub fn case(c: &Case) -> Vec<LoadError> {
    let mut errors = Vec::new();
    let mut bad = |msg: String| {
        errors.push(LoadError::new(
            &c.file,
            Some(c.line),
            format!("{}: {msg}", c.id),
        ))
    };
    let name = c.id.rsplit('#').next().unwrap_or_default();
    if !valid_name(name) {
        bad(format!("case name {name:?} must match [a-z0-9][a-z0-9-]*"));
    }
    if c.description.trim().is_empty() || c.description.contains('\n') {
        bad("description must be one non-empty line".into());
    }
    if matches!(c.expect, Expect::Reject(_)) && c.reason.is_none() {
        bad("a reject case needs a reason naming the rule the input breaks".into());
    }
    if let Some(f) = c.feature.as_deref().filter(|f| !ops::FEATURES.contains(f)) {
        bad(format!(
            "unknown feature {f:?} (features are listed in harness/src/ops/mod.rs and PROTOCOL.md)"
        ));
    }
    if let Some(t) = c
        .tags
        .iter()
        .find(|t| t.starts_with(super::requirements::LAYER_TAG))
    {
        bad(format!(
            "tag {t:?}: layer tags come from the requirements' sources; a vector does not write them"
        ));
    }
    if let Some(zone) = &c.zone {
        crate::dns::check_zone(zone).unwrap_or_else(|m| bad(format!("zone: {m}")));
    }
    if c.queries.is_some() && c.zone.is_none() {
        bad("queries are checked against a zone, and the case has none".into());
    }
    let Some(op) = ops::find(&c.op) else {
        bad(format!(
            "unknown op {:?} (see harness/PROTOCOL.md for the ops)",
            c.op
        ));
        return errors;
    };
    if op.document() != c.document() {
        bad(format!(
            "op {:?} does not belong to document {}",
            c.op,
            c.document()
        ));
    }
    if let Err(m) = input(op, c) {
        bad(m);
    }
    match &c.expect {
        Expect::Result(want) => {
            if let Err(e) = op.check_result(want) {
                bad(format!("expected {e}"));
            }
        }
        Expect::Properties(props) => {
            if props.is_empty() {
                bad("properties must name at least one check".into());
            }
            for p in props {
                if let Err(m) = property(p) {
                    bad(m);
                }
            }
        }
        Expect::Reject(_) => {}
    }
    errors
}

/// The input has the op's input type once the harness has added what it
/// adds, and names none of those members itself.
fn input(op: &OpSpec, c: &Case) -> Result<(), String> {
    if !c.input.is_object() {
        return Err("input must be a mapping".into());
    }
    if let Some(m) = op.injected.iter().find(|m| c.input.get(**m).is_some()) {
        return Err(format!(
            "input.{m} is added by the harness; a vector never writes it"
        ));
    }
    let sent = if op.injected.is_empty() {
        c.input.clone()
    } else {
        let zone = c
            .zone
            .as_ref()
            .ok_or_else(|| format!("op {} needs a zone: the harness adds input.dns", op.name))?;
        let oracle = zone.oracle.as_ref().map(|_| "http://127.0.0.1:1/oracle");
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 53));
        crate::dns::inject_at(
            &c.input,
            addr,
            oracle,
            crate::dns::TypeCodes::default(),
            crate::dns::client_timeout(zone),
        )
    };
    op.check_input(&sent).map_err(|e| e.to_string())
}

fn property(p: &Property) -> Result<(), String> {
    let Property::Reparse {
        op,
        result,
        at,
        not_at,
        msg_id,
        ..
    } = p
    else {
        return Ok(());
    };
    if result.is_some() && (at.is_some() || not_at.is_some() || msg_id.is_some()) {
        return Err("reparse holds result, or at, not_at and msg_id, not both".into());
    }
    if let Some(path) = at
        .iter()
        .chain(not_at)
        .flat_map(|m| m.keys())
        .chain(msg_id.iter().flatten())
        .find(|p| !p.starts_with('/'))
    {
        return Err(format!(
            "reparse.at, not_at, msg_id: {path:?} is not a JSON pointer (starts with /)"
        ));
    }
    let spec = ops::find(op).ok_or_else(|| format!("reparse names unknown op {op:?}"))?;
    if let Some(want) = result {
        spec.check_result(want)
            .map_err(|e| format!("reparse with {op}: expected {e}"))?;
    }
    Ok(())
}

/// Whether `v` has the result type of `op` (for reports on an answer).
pub fn result_shape(op: &str, v: &Value) -> Option<String> {
    ops::find(op)?.check_result(v).err().map(|e| e.to_string())
}
