//! The thalamocortical example with STDP: the run is deterministic, and the weight changes
//! are exactly what the recorded spike pairs predict (an independent sum of the STDP window
//! over all pre/post pairs of each synapse, valid while no weight reaches a bound).

#[allow(dead_code)]
#[path = "../examples/thalamocortical.rs"]
mod example;

use example::{W_MAX, build};

#[test]
fn stdp_weight_changes_follow_the_spike_pairs() {
    let (a_plus, tau) = (1e-3, 20.0);
    let a_minus = 1.05 * a_plus;
    let mut l = build(4, a_plus).unwrap();
    let before = l.net.projection(l.tc).unwrap().weights().to_vec();
    l.net.run(300.0).unwrap();
    let proj = l.net.projection(l.tc).unwrap();
    let after = proj.weights().to_vec();
    let (pre, post) = (l.net.spikes(l.spikes.0).unwrap().trains(), l.net.spikes(l.spikes.1).unwrap().trains());
    assert!(pre.iter().map(|t| t.len()).sum::<usize>() > 1000 && post.iter().map(|t| t.len()).sum::<usize>() > 100);
    let table = proj.table();
    let (mut predicted_sum, mut actual_sum) = (0.0, 0.0);
    for (i, pre_i) in pre.iter().enumerate() {
        for s in table.row(i) {
            let j = table.target[s] as usize;
            let mut dw = 0.0;
            for &tp in pre_i {
                for &tq in &post[j] {
                    let d = tq - tp;
                    dw += if d >= -1e-9 { a_plus * (-d.max(0.0) / tau).exp() } else { -a_minus * (d / tau).exp() };
                }
            }
            assert!(after[s] > 0.0 && after[s] < W_MAX);
            assert!((after[s] - before[s] - dw).abs() < 1e-9, "synapse {s} ({i} -> {j}): {} against {dw}", after[s] - before[s]);
            predicted_sum += dw;
            actual_sum += after[s] - before[s];
        }
    }
    println!("mean weight change {:.3e} (predicted {:.3e})", actual_sum / after.len() as f64, predicted_sum / after.len() as f64);
    assert!(actual_sum.abs() > 1e-3, "the weights moved");
    // Deterministic: the same seed gives the same weights, another seed others.
    let mut again = build(4, a_plus).unwrap();
    again.net.run(300.0).unwrap();
    assert_eq!(again.net.projection(again.tc).unwrap().weights(), &after[..]);
}
