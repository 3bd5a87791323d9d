//! Differential fuzzing: inputs the corpus does not hold, sent to an
//! implementation and to the reference, and every disagreement shrunk and
//! kept as a candidate vector. A disagreement is a question for the
//! document, not a verdict: the reference may be the one that is wrong.
//!
//! Inputs come three ways ([`Strategy`]): corpus inputs mutated
//! ([`mutate`]), valid inputs from the ABNF, and near-misses at a rule's
//! edge ([`grammar`]). Case `i` draws from its own ChaCha8 stream of the
//! seed, so a seed and a case count give the same inputs whatever the
//! jobs and timing.

pub mod candidate;
pub mod grammar;
pub mod mutate;
mod shrink;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::corpus::{Case, Corpus, Expect};
use crate::ops::{self, BAD_INPUT};
use crate::protocol::{ImplInfo, Reply, canonical};
use crate::subject::{Outcome, StartError, Subject, SubjectSpec};
use mutate::{Leaf, Seg};

/// Ops never fuzzed, and why.
pub const NOT_FUZZED: &[(&str, &str)] = &[(
    "discovery.identifier.resolve",
    "each case needs a mock DNS zone of its own",
)];

/// The sentence every candidate and every run's output carries.
pub fn candidate_sentence(implementation: &str) -> String {
    format!(
        "CANDIDATE, not a vector: a disagreement between {implementation} and the reference; \
         the reference may be the one that is wrong. Check it against the document before it \
         goes into vectors/."
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    /// A corpus input with one string member mutated.
    Mutate,
    /// A valid input built from the ABNF.
    Generate,
    /// A generated input with one rule's edge crossed.
    NearMiss,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Mutate => "mutate",
            Strategy::Generate => "generate",
            Strategy::NearMiss => "near-miss",
        }
    }
}

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The implementation accepts what the reference rejects.
    Accepts,
    /// The implementation rejects what the reference accepts.
    Rejects,
    /// Both accept, with results that differ.
    Differs,
    Timeout,
    Crash,
    ProtocolError,
    /// The reference panicked: a reference bug whatever the document says.
    ReferencePanic,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Accepts,
        Kind::Rejects,
        Kind::Differs,
        Kind::Timeout,
        Kind::Crash,
        Kind::ProtocolError,
        Kind::ReferencePanic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Accepts => "accepts",
            Kind::Rejects => "rejects",
            Kind::Differs => "differs",
            Kind::Timeout => "timeout",
            Kind::Crash => "crash",
            Kind::ProtocolError => "protocol-error",
            Kind::ReferencePanic => "reference-panic",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Accepts => "the implementation accepts what the reference rejects",
            Kind::Rejects => "the implementation rejects what the reference accepts",
            Kind::Differs => "both accept, and the results differ",
            Kind::Timeout => "the implementation did not answer in time",
            Kind::Crash => "the implementation ended without answering",
            Kind::ProtocolError => "the implementation's answer broke the protocol",
            Kind::ReferencePanic => "the reference panicked",
        }
    }

    /// Accept versus reject, or two results: the kinds a candidate's
    /// `expect` settles.
    pub fn is_disagreement(self) -> bool {
        matches!(self, Kind::Accepts | Kind::Rejects | Kind::Differs)
    }
}

/// One corpus case an op's mutations start from.
#[derive(Debug, Clone)]
struct Seed {
    id: String,
    section: String,
    input: Value,
    leaves: Vec<(Vec<Seg>, Leaf)>,
}

/// What is fuzzed of one op.
#[derive(Debug, Clone)]
pub struct OpPlan {
    pub op: &'static str,
    pub strategies: Vec<Strategy>,
    /// Its corpus cases are judged by properties and never by an exact
    /// result (a writer, whose output is not unique): only acceptance is
    /// compared.
    pub acceptance_only: bool,
    seeds: Vec<Seed>,
}

impl OpPlan {
    pub fn seeds(&self) -> usize {
        self.seeds.len()
    }
}

/// Which corpus cases seed the mutations: `--tag`, `--skip-tag`.
#[derive(Debug, Clone, Default)]
pub struct SeedFilter {
    pub tags: Vec<String>,
    pub skip_tags: Vec<String>,
}

impl SeedFilter {
    fn matches(&self, c: &Case) -> bool {
        (self.tags.is_empty() || self.tags.iter().any(|t| c.tags.contains(t)))
            && !self.skip_tags.iter().any(|t| c.tags.contains(t))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub ops: Vec<OpPlan>,
    /// Selected ops the implementation does not declare.
    pub not_declared: Vec<&'static str>,
    /// Selected ops with neither a corpus case nor a generator.
    pub nothing_to_send: Vec<&'static str>,
}

impl Plan {
    /// The plan for `selected` ops against an implementation that says
    /// `info` in its hello.
    pub fn new(
        corpus: &Corpus,
        selected: &[&'static str],
        info: &ImplInfo,
        filter: &SeedFilter,
    ) -> Plan {
        let mut plan = Plan::default();
        for &op in selected {
            if NOT_FUZZED.iter().any(|(o, _)| *o == op) {
                continue;
            }
            if !info.supports(op) {
                plan.not_declared.push(op);
                continue;
            }
            let of_op = || corpus.cases.iter().filter(move |c| c.op == op);
            let acceptance_only = of_op().any(|c| matches!(c.expect, Expect::Properties(_)))
                && !of_op().any(|c| matches!(c.expect, Expect::Result(_)));
            let seeds: Vec<Seed> = of_op()
                .filter(|c| c.feature.as_ref().is_none_or(|f| info.has_feature(f)))
                .filter(|c| filter.matches(c))
                .map(|c| Seed {
                    id: c.id.clone(),
                    section: c.citation.section.clone(),
                    leaves: mutate::leaves(&c.input),
                    input: c.input.clone(),
                })
                .filter(|s| !s.leaves.is_empty())
                .collect();
            let mut strategies = Vec::new();
            if !seeds.is_empty() {
                strategies.push(Strategy::Mutate);
            }
            if grammar::member(op).is_some() {
                strategies.extend([Strategy::Generate, Strategy::NearMiss]);
            }
            if strategies.is_empty() {
                plan.nothing_to_send.push(op);
                continue;
            }
            plan.ops.push(OpPlan {
                op,
                strategies,
                acceptance_only,
                seeds,
            });
        }
        plan
    }
}

/// One input, and where it came from.
#[derive(Debug, Clone)]
pub struct Made {
    pub index: usize,
    pub op: &'static str,
    pub strategy: Strategy,
    pub input: Value,
    /// The member that was mutated or generated, and its value.
    pub path: Vec<Seg>,
    pub leaf: Leaf,
    /// The corpus case it was mutated from.
    pub from: Option<String>,
    pub section: Option<String>,
}

/// Case `index` of a run with `seed`: op and strategy in turn, the rest
/// from the case's own stream.
pub fn make(plan: &Plan, seed: u64, index: usize) -> Made {
    let op = &plan.ops[index % plan.ops.len()];
    let round = index / plan.ops.len();
    let strategy = op.strategies[round % op.strategies.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let made = |input, path, leaf, from: Option<&Seed>| Made {
        index,
        op: op.op,
        strategy,
        input,
        path,
        leaf,
        from: from.map(|s| s.id.clone()),
        section: from.map(|s| s.section.clone()),
    };
    match strategy {
        Strategy::Mutate => {
            let seed = op
                .seeds
                .choose(&mut rng)
                .expect("a mutate strategy has seeds");
            let (path, leaf) = seed.leaves.choose(&mut rng).expect("seeds have leaves");
            let leaf = mutate::mutate(leaf, &mutate::alphabet(op.op), &mut rng);
            let input = mutate::with_leaf(&seed.input, path, &leaf);
            made(input, path.clone(), leaf, Some(seed))
        }
        Strategy::Generate | Strategy::NearMiss => {
            let miss = (strategy == Strategy::NearMiss)
                .then(|| rng.gen_range(0..grammar::edges(op.op).max(1)));
            let text = grammar::generate(op.op, miss, &mut rng);
            let mut chars: Vec<char> = text.chars().collect();
            chars.truncate(mutate::MAX_MEMBER);
            let member = grammar::member(op.op).unwrap_or("text");
            let leaf = Leaf::Text(chars);
            let input = json!({ member: leaf.to_value() });
            made(input, vec![Seg::Key(member.into())], leaf, None)
        }
    }
}

/// How one input went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Agree,
    /// The implementation answered `unsupported`.
    Unsupported,
    /// The reference says it is not an input of the op
    /// (`mimispec.bad_input`: a mutated enum member, say): not sent.
    NotInput,
    Found(Kind),
}

/// Both sides' answers to one input.
#[derive(Debug, Clone)]
pub struct Asked {
    pub class: Class,
    /// The reference's answer, or what its panic said.
    pub reference: Result<Reply, String>,
    /// The implementation's, when it was asked.
    pub outcome: Option<Outcome>,
}

fn reference(op: &str, input: &Value) -> Result<Reply, String> {
    catch_unwind(AssertUnwindSafe(|| {
        crate::subject::reference_answer(op, input)
    }))
    .map_err(|p| crate::subject::panic_message(p.as_ref()))
}

/// Asks the reference, then (when the input is one) the implementation.
pub fn ask(subject: &mut dyn Subject, id: &str, op: &OpPlan, input: &Value) -> Asked {
    let reference = reference(op.op, input);
    let early = match &reference {
        Err(_) => Some(Class::Found(Kind::ReferencePanic)),
        Ok(Reply::Error { code, .. }) if code == BAD_INPUT => Some(Class::NotInput),
        Ok(_) => None,
    };
    if let Some(class) = early {
        return Asked {
            class,
            reference,
            outcome: None,
        };
    }
    let outcome = subject.call(id, op.op, input).outcome;
    let features = subject.info().features.clone();
    let class = match (&reference, &outcome) {
        (Ok(want), Outcome::Reply(got)) => compare(op, want, got, &features),
        (_, Outcome::Timeout(_)) => Class::Found(Kind::Timeout),
        (_, Outcome::Crash(_)) => Class::Found(Kind::Crash),
        (_, Outcome::ProtocolError(_)) => Class::Found(Kind::ProtocolError),
        (Err(_), _) => Class::Found(Kind::ReferencePanic),
    };
    Asked {
        class,
        reference,
        outcome: Some(outcome),
    }
}

/// Accept versus reject, then results in canonical form without the
/// members whose feature the implementation does not declare. Error codes
/// are never compared; `accepted` agrees with any result.
pub fn compare(op: &OpPlan, want: &Reply, got: &Reply, features: &[String]) -> Class {
    match (got, want) {
        (Reply::Unsupported(_), _) => Class::Unsupported,
        (Reply::Error { .. }, Reply::Error { .. }) => Class::Agree,
        (Reply::Error { .. }, _) => Class::Found(Kind::Rejects),
        (_, Reply::Error { .. }) => Class::Found(Kind::Accepts),
        (Reply::Result(got), Reply::Result(want)) if !op.acceptance_only => {
            let (mut want, mut got) = (canonical(want), canonical(got));
            for u in ops::unkept(op.op, features) {
                crate::verdict::leave_out(u, &mut want, &mut got);
            }
            if want == got {
                Class::Agree
            } else {
                Class::Found(Kind::Differs)
            }
        }
        _ => Class::Agree,
    }
}

/// A finding, shrunk.
#[derive(Debug, Clone)]
pub struct Finding {
    pub made: Made,
    pub kind: Kind,
    /// The shrunk input, and its member's value.
    pub input: Value,
    pub leaf: Leaf,
    pub reference: Result<Reply, String>,
    pub outcome: Option<Outcome>,
    /// Calls the shrinker made (each asked both sides).
    pub shrink_calls: usize,
    /// Findings of the run that shrank to this one (itself included).
    pub seen: usize,
}

impl Finding {
    /// What deduplicates findings: op, kind and the shrunk input.
    pub fn key(&self) -> (String, Kind, String) {
        (
            self.made.op.to_owned(),
            self.kind,
            canonical(&self.input).to_string(),
        )
    }
}

/// Counts for one op and strategy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub cases: usize,
    pub agreed: usize,
    pub unsupported: usize,
    pub not_input: usize,
    /// Before deduplication.
    pub found: BTreeMap<Kind, usize>,
}

impl Tally {
    fn add(&mut self, class: Class) {
        self.cases += 1;
        match class {
            Class::Agree => self.agreed += 1,
            Class::Unsupported => self.unsupported += 1,
            Class::NotInput => self.not_input += 1,
            Class::Found(k) => *self.found.entry(k).or_default() += 1,
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.agreed += other.agreed;
        self.unsupported += other.unsupported;
        self.not_input += other.not_input;
        for (k, n) in &other.found {
            *self.found.entry(*k).or_default() += n;
        }
    }

    pub fn disagreements(&self) -> usize {
        self.found
            .iter()
            .filter(|(k, _)| k.is_disagreement())
            .map(|(_, n)| n)
            .sum()
    }

    pub fn faults(&self) -> usize {
        self.found
            .iter()
            .filter(|(k, _)| !k.is_disagreement())
            .map(|(_, n)| n)
            .sum()
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// At most this many cases.
    pub cases: usize,
    /// No case starts after this.
    pub until: Option<Instant>,
    pub jobs: usize,
    /// Calls the shrinker may make per finding.
    pub shrink_steps: usize,
}

#[derive(Debug)]
pub struct FuzzResult {
    pub info: ImplInfo,
    pub tallies: BTreeMap<(&'static str, Strategy), Tally>,
    /// Deduplicated, in the order of the case that found each first.
    pub findings: Vec<Finding>,
    pub cases: usize,
    pub elapsed: Duration,
}

impl FuzzResult {
    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        for v in self.tallies.values() {
            t.merge(v);
        }
        t
    }
}

/// Runs the fuzzer with `first` (the started implementation) and `jobs - 1`
/// more instances.
pub fn execute(
    plan: &Plan,
    spec: &SubjectSpec,
    first: Box<dyn Subject>,
    opts: &Options,
    progress: &ProgressBar,
) -> Result<FuzzResult, StartError> {
    let start = Instant::now();
    let info = first.info().clone();
    let mut subjects = vec![first];
    for _ in 1..opts.jobs.max(1) {
        subjects.push(spec.start()?);
    }
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let tallies: Mutex<BTreeMap<(&'static str, Strategy), Tally>> = Mutex::new(BTreeMap::new());
    let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for mut subject in subjects {
            let (next, done, tallies, found) = (&next, &done, &tallies, &found);
            s.spawn(move || {
                let mut mine: BTreeMap<(&'static str, Strategy), Tally> = BTreeMap::new();
                loop {
                    if opts.until.is_some_and(|u| Instant::now() >= u) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= opts.cases {
                        break;
                    }
                    let made = make(plan, opts.seed, i);
                    let op = &plan.ops[i % plan.ops.len()];
                    let id = format!("fuzz/{}/{i}", made.op);
                    let asked = ask(subject.as_mut(), &id, op, &made.input);
                    mine.entry((made.op, made.strategy))
                        .or_default()
                        .add(asked.class);
                    if let Class::Found(kind) = asked.class {
                        let f = shrunk(subject.as_mut(), op, made, kind, asked, opts.shrink_steps);
                        if let Ok(mut found) = found.lock() {
                            found.push(f);
                        }
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                    progress.inc(1);
                }
                if let Ok(mut all) = tallies.lock() {
                    for (k, t) in mine {
                        all.entry(k).or_default().merge(&t);
                    }
                }
            });
        }
    });
    let mut findings = found.into_inner().unwrap_or_default();
    findings.sort_by_key(|f| f.made.index);
    Ok(FuzzResult {
        info,
        tallies: tallies.into_inner().unwrap_or_default(),
        findings: dedup(findings),
        cases: done.into_inner(),
        elapsed: start.elapsed(),
    })
}

/// Shrinks a finding over its member, asking both sides each step; a
/// timeout is not shrunk (each step could cost the whole timeout).
fn shrunk(
    subject: &mut dyn Subject,
    op: &OpPlan,
    made: Made,
    kind: Kind,
    asked: Asked,
    budget: usize,
) -> Finding {
    let id = format!("fuzz/{}/{}/shrink", made.op, made.index);
    let budget = if kind == Kind::Timeout { 0 } else { budget };
    let mut last: Option<Asked> = None;
    let (leaf, calls) = shrink::shrink(&made.leaf, budget, |leaf| {
        let input = mutate::with_leaf(&made.input, &made.path, leaf);
        let a = ask(subject, &id, op, &input);
        let same = a.class == Class::Found(kind);
        if same {
            last = Some(a);
        }
        same
    });
    // The answers shown are those to the shrunk input itself.
    let asked = if leaf == made.leaf {
        asked
    } else {
        last.unwrap_or(asked)
    };
    Finding {
        input: mutate::with_leaf(&made.input, &made.path, &leaf),
        leaf,
        kind,
        reference: asked.reference,
        outcome: asked.outcome,
        shrink_calls: calls,
        seen: 1,
        made,
    }
}

fn dedup(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut at: BTreeMap<(String, Kind, String), usize> = BTreeMap::new();
    for f in findings {
        match at.get(&f.key()) {
            Some(&i) => out[i].seen += 1,
            None => {
                at.insert(f.key(), out.len());
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn info(ops: &[&str]) -> ImplInfo {
        ImplInfo {
            name: "t".into(),
            version: "1".into(),
            ops: ops.iter().map(|s| s.to_string()).collect(),
            features: Vec::new(),
        }
    }

    #[test]
    fn the_same_seed_makes_the_same_inputs_and_another_seed_others() {
        let corpus = Corpus::embedded().unwrap();
        let ops = ["immi.msg_id.parse", "immi.message.parse"];
        let plan = Plan::new(&corpus, &ops, &info(&ops), &SeedFilter::default());
        assert_eq!(plan.ops.len(), 2);
        let inputs = |seed| {
            (0..60)
                .map(|i| make(&plan, seed, i).input)
                .collect::<Vec<_>>()
        };
        assert_eq!(inputs(3), inputs(3));
        assert_ne!(inputs(3), inputs(4));
        let strategies: BTreeSet<Strategy> = (0..60).map(|i| make(&plan, 3, i).strategy).collect();
        assert_eq!(strategies.len(), 3);
    }

    #[test]
    fn resolve_and_undeclared_ops_are_not_fuzzed() {
        let corpus = Corpus::embedded().unwrap();
        let ops = ["discovery.identifier.resolve", "immi.msg_id.parse"];
        let plan = Plan::new(
            &corpus,
            &ops,
            &info(&["discovery.identifier.resolve"]),
            &SeedFilter::default(),
        );
        assert!(plan.ops.is_empty());
        assert_eq!(plan.not_declared, ["immi.msg_id.parse"]);
    }

    #[test]
    fn comparison_ignores_codes_and_takes_accepted_as_any_result() {
        let plan = OpPlan {
            op: "immi.datetime.parse",
            strategies: vec![Strategy::Generate],
            acceptance_only: false,
            seeds: Vec::new(),
        };
        let err = |c: &str| Reply::Error {
            code: c.into(),
            message: String::new(),
        };
        let r = |v: Value| Reply::Result(v);
        assert_eq!(compare(&plan, &err("a"), &err("b"), &[]), Class::Agree);
        assert_eq!(
            compare(&plan, &r(json!({})), &Reply::Accepted, &[]),
            Class::Agree
        );
        assert_eq!(
            compare(&plan, &err("a"), &Reply::Accepted, &[]),
            Class::Found(Kind::Accepts)
        );
        assert_eq!(
            compare(&plan, &r(json!({})), &err("a"), &[]),
            Class::Found(Kind::Rejects)
        );
        // `fraction` is not compared without datetime-fraction.
        let (a, b) = (
            json!({"x": 1, "fraction": "5"}),
            json!({"x": 1, "fraction": "50"}),
        );
        assert_eq!(
            compare(&plan, &r(a.clone()), &r(b.clone()), &[]),
            Class::Agree
        );
        let f = vec!["datetime-fraction".to_string()];
        assert_eq!(
            compare(&plan, &r(a), &r(b), &f),
            Class::Found(Kind::Differs)
        );
    }
}
