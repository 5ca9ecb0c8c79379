//! The evaluation order: lets, rules and statuses sorted so that everything a
//! step reads is computed before it. A cycle is an error at load time.

use super::CheckError;
use crate::program::{EntityInfo, Let, Rule, Step};

/// Orders the steps by dependency (declaration order among independent ones).
pub(crate) fn order(
    lets: &[Let],
    let_deps: &[Vec<Step>],
    rules: &[Rule],
    rule_deps: &[Vec<Step>],
    entities: &[EntityInfo],
) -> Result<Vec<Step>, CheckError> {
    let mut steps: Vec<Step> = Vec::new();
    steps.extend((0..lets.len()).map(|i| Step::Let(i as u16)));
    steps.extend((0..rules.len()).map(|i| Step::Rule(i as u16)));
    steps.extend(
        entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.status_slot.is_some())
            .map(|(i, _)| Step::Status(i as u8)),
    );
    let deps_of = |s: Step| -> Vec<Step> {
        match s {
            Step::Let(i) => let_deps[i as usize].clone(),
            Step::Rule(i) => rule_deps[i as usize].clone(),
            Step::Status(e) => entities[e as usize].rules.iter().map(|r| Step::Rule(*r)).collect(),
        }
    };
    let mut state: Vec<u8> = vec![0; steps.len()]; // 0 new, 1 visiting, 2 done
    let mut out = Vec::with_capacity(steps.len());
    let index = |s: Step| steps.iter().position(|x| *x == s);
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
                    let Some(d) = index(dep) else { continue };
                    match state[d] {
                        0 => {
                            state[d] = 1;
                            stack.push((d, deps_of(steps[d])));
                        }
                        1 => {
                            let cycle: Vec<String> =
                                stack.iter().map(|(i, _)| describe(steps[*i], lets, rules)).collect();
                            let span = match steps[d] {
                                Step::Let(i) => lets[i as usize].span,
                                Step::Rule(i) => rules[i as usize].span,
                                Step::Status(_) => lets.first().map(|l| l.span).unwrap_or_default(),
                            };
                            return Err(CheckError::new(
                                span,
                                format!("these depend on each other in a cycle: {}", cycle.join(" → ")),
                            ));
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

fn describe(s: Step, lets: &[Let], rules: &[Rule]) -> String {
    match s {
        Step::Let(i) => format!("`{}`", lets[i as usize].name),
        Step::Rule(i) => format!("rule `{}`", rules[i as usize].id),
        Step::Status(e) => format!("the status of {}", crate::schema::ENTITIES[e as usize].name),
    }
}
