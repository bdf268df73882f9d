//! Graphs of items: the strongly connected components of a reference graph, shared by the analyses that must
//! tell cycles (recursive types) from chains.

/// The strongly connected component of each node (Tarjan's algorithm, iterative): nodes on a common cycle share
/// a number. Components are numbered in reverse topological order: every component a node reaches has a
/// number no larger than its own.
pub(crate) fn strongly_connected(graph: &[Vec<(usize, String)>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = graph.len();
    let mut index = vec![NONE; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![NONE; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut components = 0;
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        // (node, next edge to follow)
        let mut calls = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
            if *edge == 0 && index[node] == NONE {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some((next, _)) = graph[node].get(*edge) {
                *edge += 1;
                let next = *next;
                if index[next] == NONE {
                    calls.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}
