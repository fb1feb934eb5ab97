//! Parameters and state set and read three ways: typed (uom), by name, and as a whole vector.

use spyks_core::uom::si::area::square_centimeter;
use spyks_core::uom::si::electric_current::microampere;
use spyks_core::uom::si::electric_current_density::{ampere_per_square_centimeter, ampere_per_square_meter};
use spyks_core::uom::si::electric_potential::{millivolt, volt};
use spyks_core::uom::si::electrical_conductance::millisiemens;
use spyks_core::uom::si::f64::{
    Area, ElectricCurrent, ElectricCurrentDensity, ElectricPotential, ElectricalConductance, MolarConcentration, ThermodynamicTemperature,
    Time,
};
use spyks_core::uom::si::molar_concentration::{micromole_per_liter, millimole_per_liter};
use spyks_core::uom::si::thermodynamic_temperature::{degree_celsius, kelvin};
use spyks_core::uom::si::time::{millisecond, second};
use spyks_core::{NeuronModel, Vector};

mod common;

spyks_core::neuron_model! {
    /// Hodgkin & Huxley (1952), squid giant axon, densities per cm².
    pub model Hh;
    parameters {
        /// Membrane capacitance.
        C_m: 1 uF/cm^2,
        /// Maximal sodium conductance.
        g_na: 120 mS/cm^2,
        g_k: 36 mS/cm^2,
        g_l: 0.3 mS/cm^2,
        E_na: 50 mV, E_k: -77 mV, E_l: -54.387 mV,
        t_ref: 2 ms,
    }
    state { v: -65 mV, m: 0.05, h: 0.6, n: 0.32 }
    inputs { I: 0 uA/cm^2 }
    expressions {
        I_na = g_na*m^3*h*(E_na - v),
        I_k = g_k*n^4*(E_k - v),
        I_l = g_l*(E_l - v),
    }
    equations {
        dv/dt = (I_na + I_k + I_l + I) / C_m,
        m: alpha = 0.1 1/(ms*mV) * (v + 40 mV) / (1 - exp(-(v + 40 mV)/10 mV)), beta = 4 1/ms * exp(-(v + 65 mV)/18 mV),
        h: alpha = 0.07 1/ms * exp(-(v + 65 mV)/20 mV), beta = 1 1/ms / (1 + exp(-(v + 35 mV)/10 mV)),
        n: alpha = 0.01 1/(ms*mV) * (v + 55 mV) / (1 - exp(-(v + 55 mV)/10 mV)), beta = 0.125 1/ms * exp(-(v + 65 mV)/80 mV),
    }
    threshold { v >= 0 mV }
    refractory { period = t_ref, hold = [] }
}

#[test]
fn typed_setters_convert_units() {
    let mut m = Hh::new();
    // 120 mS/cm² is 1.2 nS/µm² internally.
    assert!((m.params.g_na - 1.2).abs() < 1e-15);
    assert!((m.params.C_m - 0.01).abs() < 1e-17);
    // Set g_na from a typed quantity in other units: 0.1 S/cm² = 100 mS/cm².
    let g = ElectricalConductance::new::<millisiemens>(100.0) / Area::new::<square_centimeter>(1.0);
    m.params.set_g_na(g);
    assert!((m.params.g_na - 1.0).abs() < 1e-14);
    let back = m.params.g_na_quantity();
    assert!((back.value - 1000.0).abs() < 1e-9, "SI value S/m²: {}", back.value);
    m.params.set_E_na(ElectricPotential::new::<volt>(0.055));
    assert!((m.params.E_na - 55.0).abs() < 1e-12);
    assert!((m.params.E_na_quantity().get::<millivolt>() - 55.0).abs() < 1e-12);
    m.params.set_t_ref(Time::new::<second>(0.003));
    assert!((m.refractory_period() - 3.0).abs() < 1e-12);
    assert!((m.params.t_ref_quantity().get::<millisecond>() - 3.0).abs() < 1e-12);
}

spyks_core::neuron_model! {
    /// A calcium pool whose time constant scales with temperature (Q10 of 3 from 6.3 °C).
    model CaPool;
    parameters { Ca_rest: 50 uM, tau_ca: 80 ms, T: 279.45 K }
    state { Ca: 0.2 mM }
    equations { dCa/dt = (Ca_rest - Ca) / tau_ca * exp(1.0986 * (T - 279.45 K) / 10 K) }
}

/// uom gives current densities and concentrations a kind of their own (constituent
/// concentration) and temperatures another, so its named types for them are not the plain
/// quantities of their dimensions. The setters take either (the named type, or a current
/// divided by an area), and the getters return the named type. Before, the setters took only
/// the plain kind, and `ElectricCurrentDensity` or `ThermodynamicTemperature` did not compile.
#[test]
fn typed_accessors_take_uoms_named_quantities_of_any_kind() {
    let mut u = HhInputs::default();
    // 10 µA/cm² is 0.1 pA/µm² internally.
    u.set_I(ElectricCurrentDensity::new::<ampere_per_square_centimeter>(10e-6));
    assert!((u.I - 0.1).abs() < 1e-15, "{}", u.I);
    u.set_I(ElectricCurrent::new::<microampere>(20.0) / Area::new::<square_centimeter>(1.0));
    assert!((u.I - 0.2).abs() < 1e-15, "{}", u.I);
    let j: ElectricCurrentDensity = u.I_quantity();
    assert!((j.get::<ampere_per_square_meter>() - 0.2).abs() < 1e-15);

    let mut m = CaPool::new();
    // Temperatures are absolute: 36 °C is 309.15 K.
    m.params.set_T(ThermodynamicTemperature::new::<degree_celsius>(36.0));
    assert!((m.params.T - 309.15).abs() < 1e-12, "{}", m.params.T);
    let t: ThermodynamicTemperature = m.params.T_quantity();
    assert!((t.get::<kelvin>() - 309.15).abs() < 1e-12);
    m.params.set_Ca_rest(MolarConcentration::new::<micromole_per_liter>(80.0));
    assert!((m.params.Ca_rest - 0.08).abs() < 1e-15, "{}", m.params.Ca_rest);
    let c: MolarConcentration = m.params.Ca_rest_quantity();
    assert!((c.get::<millimole_per_liter>() - 0.08).abs() < 1e-15);
    // The setters' values reach the equations: at 36 °C the pool relaxes 3^2.97 faster.
    let x = CaPoolState { Ca: 0.2 };
    let d = m.derivative(0.0, &x, &CaPoolInputs::default()).Ca;
    let expected = (0.08 - 0.2) / 80.0 * (1.0986f64 * 2.97).exp();
    assert!((d - expected).abs() < 1e-12 * expected.abs(), "{d} against {expected}");
}

#[test]
fn by_name_access_reports_valid_names() {
    let mut m = Hh::new();
    m.params.set("g_k", 0.5).unwrap();
    assert_eq!(m.params.g_k, 0.5);
    assert_eq!(m.params.get("g_k").unwrap(), 0.5);
    let err = m.params.set("g_kk", 1.0).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("unknown name `g_kk`"), "{msg}");
    assert!(msg.contains("C_m, g_na, g_k, g_l, E_na, E_k, E_l, t_ref"), "{msg}");
    let mut x = m.initial_state();
    x.set("m", 0.1).unwrap();
    assert_eq!(x.m, 0.1);
    assert!(x.get("V").is_err());
}

#[test]
fn whole_vectors_in_declared_order() {
    let mut m = Hh::new();
    let p = m.params.to_svector();
    assert_eq!(p.len(), 8);
    assert_eq!(p[1], m.params.g_na);
    let mut q = p;
    q[2] = 0.0;
    m.params = HhParams::from_svector(&q);
    assert_eq!(m.params.g_k, 0.0);
    assert!(HhParams::from_slice(&[1.0, 2.0]).is_err());
    assert_eq!(HhState::from_array([-65.0, 0.05, 0.6, 0.32]), HhState::default());
    // Metadata: names, units, declared units and kinds in order.
    let info = HhParams::INFO;
    assert_eq!(info[1].name, "g_na");
    assert_eq!(info[1].unit, "nS/µm^2");
    assert_eq!(info[1].declared_unit, "mS/cm^2");
    assert_eq!(info[0].doc, " Membrane capacitance.");
    let names: Vec<&str> = Hh::variables().map(|v| v.name).collect();
    assert_eq!(&names[..4], &["v", "m", "h", "n"]);
    assert_eq!(&names[names.len() - 3..], &["I_na", "I_k", "I_l"]);
}

#[test]
fn hh_resting_state_is_near_equilibrium() {
    // Independent check of the unit system: at the textbook resting state the HH currents
    // nearly balance, so dv/dt is small compared to the individual currents.
    let m = Hh::new();
    let x = HhState { v: -65.0, m: 0.0529, h: 0.5961, n: 0.3177 };
    let u = HhInputs::default();
    let e = m.expressions(0.0, &x, &u);
    let dv = m.derivative(0.0, &x, &u).v;
    assert!(dv.abs() < 0.05, "dv/dt at rest {dv} mV/ms");
    // I_na at rest: 120 mS/cm² · m³h · 115 mV ≈ 1.0 µA/cm² = 0.01 pA/µm².
    assert!((e.I_na - 1.2 * 0.0529f64.powi(3) * 0.5961 * 115.0).abs() < 1e-12);
    // 10 µA/cm² of input raises dv/dt by 10 mV/ms (C = 1 µF/cm²).
    let dv2 = m.derivative(0.0, &x, &HhInputs { I: 0.1 }).v;
    assert!((dv2 - dv - 10.0).abs() < 1e-12);
    assert!(Hh::LINEAR.iter().all(|&l| l));
}

#[test]
fn hh_jacobians_match_finite_differences() {
    let m = Hh::new();
    let mut rng = common::Rng::new(11);
    // Avoid the removable singularities of the alpha rates at v = -40 and -55 mV exactly.
    let states = common::random_states::<Hh>(&mut rng, 100);
    let e = common::jacobian_fd_error(&m, &states, &HhInputs { I: 0.1 });
    assert!(e < 1e-5, "{e:e}");
}

#[test]
fn presets_compiled_inside_spyks_core() {
    use spyks_core::presets::spyks::{Nakl, NaklInputs};
    let m = Nakl::new();
    let d = m.derivative(0.0, &m.initial_state(), &NaklInputs::default());
    assert!((d.V - 0.3 * 15.6 / 250.0).abs() < 1e-15);
}
