//! The evaluation order: lets, rules and statuses sorted so that everything a
//! step reads is computed before it. A cycle is an error at load time that
//! underlines each of its members.

use std::collections::HashMap;

use super::CheckError;
use crate::program::{EntityInfo, Let, Rule, Step};
use crate::schema::EntityId;
use crate::source::{SourceMap, Span};

/// The steps of a program and what each depends on.
pub(crate) struct Graph<'a> {
    pub lets: &'a [Let],
    pub let_deps: &'a [Vec<Step>],
    pub rules: &'a [Rule],
    pub rule_deps: &'a [Vec<Step>],
    pub entities: &'a [EntityInfo],
    /// What an entity's entry filter reads.
    pub entry_deps: &'a HashMap<EntityId, Vec<Step>>,
    pub entity_names: &'a [&'a str],
}

/// Orders the steps by dependency (declaration order among independent ones).
/// An entity's status waits for its rules and for the statuses (and entry
/// filters) of the entities listed under it.
pub(crate) fn order(g: &Graph, sources: &SourceMap) -> Result<Vec<Step>, CheckError> {
    let Graph {
        lets,
        let_deps,
        rules,
        rule_deps,
        entities,
        entry_deps,
        ..
    } = *g;
    let mut steps: Vec<Step> = Vec::new();
    steps.extend((0..lets.len()).map(|i| Step::Let(i as u32)));
    steps.extend((0..rules.len()).map(|i| Step::Rule(i as u32)));
    steps.extend(
        entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.status_slot.is_some())
            .map(|(i, _)| Step::Status(i as EntityId)),
    );
    let index: HashMap<Step, usize> = steps.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let deps_of = |s: Step| -> Vec<Step> {
        match s {
            Step::Let(i) => let_deps[i as usize].clone(),
            Step::Rule(i) => rule_deps[i as usize].clone(),
            Step::Status(e) => {
                let info = &entities[e as usize];
                let mut d: Vec<Step> = info.rules.iter().map(|r| Step::Rule(*r)).collect();
                for c in &info.children {
                    d.push(Step::Status(*c));
                    d.extend(entry_deps.get(c).into_iter().flatten().copied());
                }
                d
            }
        }
    };
    let mut state: Vec<u8> = vec![0; steps.len()]; // 0 new, 1 visiting, 2 done
    let mut out = Vec::with_capacity(steps.len());
    // Iterative depth-first search, so a long chain cannot overflow the stack.
    for start in 0..steps.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, Vec<Step>)> = vec![(start, deps_of(steps[start]))];
        state[start] = 1;
        while let Some((node, pending)) = stack.last_mut() {
            let node = *node;
            match pending.pop() {
                Some(dep) => {
                    let Some(&d) = index.get(&dep) else { continue };
                    match state[d] {
                        0 => {
                            state[d] = 1;
                            stack.push((d, deps_of(steps[d])));
                        }
                        1 => {
                            let from = stack.iter().position(|(i, _)| *i == d).unwrap_or(0);
                            let members: Vec<Step> = stack[from..].iter().map(|(i, _)| steps[*i]).collect();
                            return Err(cycle(&members, g, sources));
                        }
                        _ => {}
                    }
                }
                None => {
                    state[node] = 2;
                    out.push(steps[node]);
                    stack.pop();
                }
            }
        }
    }
    Ok(out)
}

/// The error for a cycle: the first member underlined, the others as
/// secondary labels, the chain written out.
fn cycle(members: &[Step], g: &Graph, sources: &SourceMap) -> CheckError {
    let Graph {
        lets, rules, entities, ..
    } = *g;
    let span_of = |s: Step| -> Span {
        match s {
            Step::Let(i) => lets[i as usize].span,
            Step::Rule(i) => rules[i as usize].span,
            Step::Status(e) => entities[e as usize]
                .rules
                .first()
                .map(|r| rules[*r as usize].span)
                .or_else(|| entities[e as usize].entry.as_ref().map(|x| x.span))
                .unwrap_or_default(),
        }
    };
    let names: Vec<String> = members.iter().map(|s| describe(*s, g)).collect();
    let mut chain = names.clone();
    chain.push(names[0].clone());
    let mut e = CheckError::new(
        span_of(members[0]),
        format!("these depend on each other in a cycle: {}", chain.join(" → ")),
    )
    .label(format!("{} is part of the cycle", names[0]));
    for (s, name) in members.iter().zip(&names).skip(1) {
        let span = span_of(*s);
        if sources.contains(span.file) {
            e = e.secondary(span, format!("{name} is part of the cycle"));
        }
    }
    e
}

fn describe(s: Step, g: &Graph) -> String {
    match s {
        Step::Let(i) => format!("`{}`", g.lets[i as usize].name),
        Step::Rule(i) => format!("rule `{}`", g.rules[i as usize].id),
        Step::Status(e) => format!("the status of each {}", g.entity_names.get(e as usize).unwrap_or(&"?")),
    }
}
