//! The generated structure-of-arrays accessors (`load_strided`, `store_strided`,
//! `all_finite`) against the index-based definitions they replace.

use spyks::Vector;
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyState};

#[test]
fn load_and_store_match_index_access() {
    let _ = HodgkinHuxley::new();
    let (stride, len) = (5, HodgkinHuxleyState::LEN);
    let data: Vec<f64> = (0..len * stride).map(|k| k as f64 * 0.5 - 3.0).collect();
    for j in 0..stride {
        let x = HodgkinHuxleyState::load_strided(&data, stride, j);
        for v in 0..len {
            assert_eq!(x.get_index(v), Some(data[v * stride + j]), "entry {v} of neuron {j}");
        }
        let mut out = vec![f64::NAN; len * stride];
        x.store_strided(&mut out, stride, j);
        for (k, o) in out.iter().enumerate() {
            if k % stride == j {
                assert_eq!(*o, data[k]);
            } else {
                assert!(o.is_nan(), "store_strided wrote outside neuron {j}: index {k}");
            }
        }
    }
}

#[test]
fn all_finite_finds_any_non_finite_entry() {
    let x = HodgkinHuxleyState::default();
    assert!(x.all_finite());
    for v in 0..HodgkinHuxleyState::LEN {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut y = x;
            y.set_index(v, bad);
            assert!(!y.all_finite(), "entry {v} = {bad}");
        }
    }
}
