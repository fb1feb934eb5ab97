//! Ids are numbered per network: an id made by one network, given to another that holds
//! something under the same number, is an error naming the kind of id, not a silent reference
//! to the other network's population, projection or monitor.

use spyks::integrate::Rk4;
use spyks::network::{Network, NetworkError, Population, Projection, Rule, Target, Values};
use spyks::presets::integrate_and_fire::Lif;

/// A network of two populations, a projection and one monitor of each kind, all number 0 or 1.
fn network(seed: u64) -> (Network, [spyks::network::PopId; 2], spyks::network::ProjId) {
    let mut net = Network::new(0.1, seed).unwrap();
    let a = net.add_population(Population::new("a", 4, Lif::new(), |_| Rk4)).unwrap();
    let b = net.add_population(Population::new("b", 3, Lif::new(), |_| Rk4)).unwrap();
    let proj = net.connect(Projection::new(a, b, Rule::AllToAll, Target::state("V")).weight(Values::Const(0.5))).unwrap();
    (net, [a, b], proj)
}

fn foreign(e: NetworkError, what: &str) {
    match &e {
        NetworkError::ForeignId { what: w, .. } => assert_eq!(*w, what, "{e}"),
        other => panic!("expected a foreign {what} id, got {other:?}"),
    }
    assert!(e.to_string().contains("belongs to another network"), "{e}");
}

#[test]
fn ids_of_another_network_are_refused() {
    let (mut one, [a1, b1], p1) = network(1);
    let (mut two, [a2, _], p2) = network(2);
    let (s1, m1, r1) =
        (one.record_spikes(a1, None).unwrap(), one.record_state(a1, &["V"], &[0], 0.1).unwrap(), one.record_rate(a1, 1.0).unwrap());
    let (s2, m2, r2) =
        (two.record_spikes(a2, None).unwrap(), two.record_state(a2, &["V"], &[0], 0.1).unwrap(), two.record_rate(a2, 1.0).unwrap());
    one.run(1.0).unwrap();
    two.run(1.0).unwrap();

    // Every method that takes a population id.
    foreign(two.len(a1).unwrap_err(), "population");
    foreign(two.init_state(a1, "V", Values::Const(-60.0)).unwrap_err(), "population");
    foreign(two.set_param(b1, "tau_m", Values::Const(20.0)).unwrap_err(), "population");
    foreign(two.set_input(a1, "I", Values::Const(1.0)).unwrap_err(), "population");
    foreign(two.get(a1, "V", 0).unwrap_err(), "population");
    foreign(two.add_drive(a1, "I", spyks::network::CurrentSchedule::new("steps").window(0.0, 1.0, 1.0, [0])).unwrap_err(), "population");
    foreign(two.record_spikes(a1, None).unwrap_err(), "population");
    foreign(two.record_state(a1, &["V"], &[0], 0.1).unwrap_err(), "population");
    foreign(two.record_rate(a1, 1.0).unwrap_err(), "population");
    // A projection with one end in another network.
    foreign(two.connect(Projection::new(a2, b1, Rule::OneToOne, Target::state("V"))).unwrap_err(), "population");
    foreign(two.connect(Projection::new(a1.slice(0..3), a2.slice(0..3), Rule::OneToOne, Target::state("V"))).unwrap_err(), "population");

    // Projection ids.
    foreign(two.projection(p1).err().unwrap(), "projection");
    foreign(two.weights_mut(p1).err().unwrap(), "projection");
    foreign(two.clear_plasticity(p1).unwrap_err(), "projection");

    // Monitor ids.
    foreign(two.spikes(s1).err().unwrap(), "spike monitor");
    foreign(two.states(m1).err().unwrap(), "state monitor");
    foreign(two.rates(r1).err().unwrap(), "rate monitor");

    // Each network's own ids still work, and a refused call changed nothing.
    assert_eq!(one.projection(p1).unwrap().len(), 12);
    assert_eq!(two.projection(p2).unwrap().len(), 12);
    assert_eq!(two.states(m2).unwrap().values("V", 0).unwrap().len(), 11);
    assert_eq!(one.states(m1).unwrap().values("V", 0).unwrap().len(), 11);
    assert_eq!(two.spikes(s2).unwrap().len(), one.spikes(s1).unwrap().len());
    assert_eq!(two.rates(r2).unwrap().rates().len(), one.rates(r1).unwrap().rates().len());
    assert_eq!(two.len(a2).unwrap(), 4);
    assert_eq!(two.get(a2, "V", 0).unwrap(), one.get(a1, "V", 0).unwrap());
}
