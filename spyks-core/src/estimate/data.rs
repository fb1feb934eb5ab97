//! A recorded voltage trace and the current injected while it was recorded, sampled on one
//! regular grid, in the model's internal units (mV; pA, or pA/µm² for per-area models).
//!
//! Units are given as strings and converted through a small explicit table
//! ([`VOLTAGE_UNITS`], [`CURRENT_UNITS`]), so a recording in volts and nanoamps and a model in
//! mV and pA meet without hand-written factors. Every constructor checks the data and
//! returns a [`DataError`] that says what is wrong and where.

use crate::model::NeuronModel;
use crate::stimulus::{Interp, Signal};
use crate::vector::Vector;
use std::path::Path;

/// Why a recording could not be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DataError {
    /// A trace with no samples.
    #[error("the recording is empty: the {what} trace has no samples")]
    Empty {
        /// Which trace (`"voltage"` or `"current"`).
        what: &'static str,
    },
    /// Voltage and current of different lengths.
    #[error("the voltage trace has {voltage} samples but the current trace has {current}")]
    LengthMismatch {
        /// Samples of the voltage.
        voltage: usize,
        /// Samples of the current.
        current: usize,
    },
    /// A NaN or infinite sample.
    #[error("the {what} trace is {value} at index {index}")]
    NonFinite {
        /// Which trace.
        what: &'static str,
        /// Index of the first such sample.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// A finite sample whose value in the internal unit is not (1e306 V is ∞ mV).
    #[error("the {what} trace's sample {value:e} {unit} at index {index} overflows in {internal}")]
    Overflow {
        /// Which trace.
        what: &'static str,
        /// Index of the first such sample.
        index: usize,
        /// Its value, in the unit given.
        value: f64,
        /// The unit given.
        unit: String,
        /// The internal unit.
        internal: &'static str,
    },
    /// A duration (of [`Recording::head`]) that is not positive.
    #[error("the duration {0} ms must be positive")]
    InvalidDuration(f64),
    /// A sampling interval that is not a positive finite number.
    #[error("the sampling interval dt = {0} ms must be positive and finite")]
    InvalidDt(f64),
    /// A unit missing from the table.
    #[error("unknown {what} unit `{unit}`; known units: {known}")]
    UnknownUnit {
        /// Which trace the unit was given for.
        what: &'static str,
        /// The unit given.
        unit: String,
        /// The units of the table that fit.
        known: String,
    },
    /// A unit of the wrong dimension, such as "pA" for a voltage.
    #[error("`{unit}` is a unit of {found}, but the {what} trace needs a unit of {expected}")]
    WrongDimension {
        /// Which trace.
        what: &'static str,
        /// The unit given.
        unit: String,
        /// The dimension the trace needs.
        expected: &'static str,
        /// The dimension of the unit given.
        found: &'static str,
    },
    /// A column name not in the CSV header.
    #[error("no column `{column}` in the CSV header; the columns are: {available}")]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The columns of the header.
        available: String,
    },
    /// A CSV cell that is not a number.
    #[error("CSV row {row}, column `{column}`: `{text}` is not a number")]
    Parse {
        /// Data row (1-based, after the header).
        row: usize,
        /// The column.
        column: String,
        /// The cell.
        text: String,
    },
    /// A file that could not be read or decoded.
    #[error("cannot read `{path}`: {reason}")]
    File {
        /// The file.
        path: String,
        /// What failed.
        reason: String,
    },
}

/// The physical dimension of a unit of the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// Voltage (internal unit mV).
    Voltage,
    /// Current (internal unit pA).
    Current,
    /// Current per membrane area (internal unit pA/µm²), for per-area models.
    CurrentDensity,
}

impl Dimension {
    fn describe(self) -> &'static str {
        match self {
            Dimension::Voltage => "voltage",
            Dimension::Current => "current",
            Dimension::CurrentDensity => "current density",
        }
    }

    /// The uom-ordered exponents (length, mass, time, current, ...) of the dimension, as
    /// [`VarInfo::dimension`](crate::VarInfo) gives them.
    pub fn exponents(self) -> [i32; 7] {
        match self {
            Dimension::Voltage => [2, 1, -3, -1, 0, 0, 0],
            Dimension::Current => [0, 0, 0, 1, 0, 0, 0],
            Dimension::CurrentDensity => [-2, 0, 0, 1, 0, 0, 0],
        }
    }
}

/// Voltage units and the internal value (mV) of one of each.
pub const VOLTAGE_UNITS: &[(&str, f64)] = &[("mV", 1.0), ("V", 1e3), ("uV", 1e-3), ("µV", 1e-3)];

/// Current and current-density units, their dimension and the internal value of one of each
/// (pA; pA/µm² for densities: 1 µA/cm² = 10⁻⁶ A / 10⁸ µm² = 0.01 pA/µm²).
pub const CURRENT_UNITS: &[(&str, Dimension, f64)] = &[
    ("pA", Dimension::Current, 1.0),
    ("nA", Dimension::Current, 1e3),
    ("uA", Dimension::Current, 1e6),
    ("µA", Dimension::Current, 1e6),
    ("fA", Dimension::Current, 1e-3),
    ("A", Dimension::Current, 1e12),
    ("pA/um^2", Dimension::CurrentDensity, 1.0),
    ("pA/µm^2", Dimension::CurrentDensity, 1.0),
    ("uA/cm^2", Dimension::CurrentDensity, 0.01),
    ("µA/cm^2", Dimension::CurrentDensity, 0.01),
    ("mA/cm^2", Dimension::CurrentDensity, 10.0),
    ("nA/cm^2", Dimension::CurrentDensity, 1e-5),
];

/// The internal value of one `unit` of voltage (mV).
pub fn voltage_factor(unit: &str) -> Result<f64, DataError> {
    if let Some(&(_, f)) = VOLTAGE_UNITS.iter().find(|(u, _)| *u == unit) {
        return Ok(f);
    }
    if let Some(&(_, d, _)) = CURRENT_UNITS.iter().find(|(u, _, _)| *u == unit) {
        return Err(DataError::WrongDimension { what: "voltage", unit: unit.into(), expected: "voltage", found: d.describe() });
    }
    let known = VOLTAGE_UNITS.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", ");
    Err(DataError::UnknownUnit { what: "voltage", unit: unit.into(), known })
}

/// The dimension of a current `unit` and the internal value of one of it.
pub fn current_factor(unit: &str) -> Result<(Dimension, f64), DataError> {
    if let Some(&(_, d, f)) = CURRENT_UNITS.iter().find(|(u, _, _)| *u == unit) {
        return Ok((d, f));
    }
    if VOLTAGE_UNITS.iter().any(|(u, _)| *u == unit) {
        return Err(DataError::WrongDimension { what: "current", unit: unit.into(), expected: "current", found: "voltage" });
    }
    let known = CURRENT_UNITS.iter().map(|(u, _, _)| *u).collect::<Vec<_>>().join(", ");
    Err(DataError::UnknownUnit { what: "current", unit: unit.into(), known })
}

/// A voltage trace and its injected current, sampled every `dt` ms from t = 0, in internal
/// units.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    dt: f64,
    voltage: Vec<f64>,
    current: Vec<f64>,
    current_dimension: Dimension,
}

impl Recording {
    /// A recording from in-memory samples: `voltage` in `voltage_unit`, `current` in
    /// `current_unit`, one sample every `dt` ms.
    pub fn new(dt: f64, voltage: Vec<f64>, voltage_unit: &str, current: Vec<f64>, current_unit: &str) -> Result<Self, DataError> {
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(DataError::InvalidDt(dt));
        }
        let fv = voltage_factor(voltage_unit)?;
        let (dim, fi) = current_factor(current_unit)?;
        for (what, x) in [("voltage", &voltage), ("current", &current)] {
            if x.is_empty() {
                return Err(DataError::Empty { what });
            }
            if let Some(index) = x.iter().position(|v| !v.is_finite()) {
                return Err(DataError::NonFinite { what, index, value: x[index] });
            }
        }
        if voltage.len() != current.len() {
            return Err(DataError::LengthMismatch { voltage: voltage.len(), current: current.len() });
        }
        let internal = if dim == Dimension::Current { "pA" } else { "pA/µm^2" };
        for (what, x, f, unit, internal) in
            [("voltage", &voltage, fv, voltage_unit, "mV"), ("current", &current, fi, current_unit, internal)]
        {
            if let Some(index) = x.iter().position(|v| !(v * f).is_finite()) {
                return Err(DataError::Overflow { what, index, value: x[index], unit: unit.into(), internal });
            }
        }
        let scale = |mut x: Vec<f64>, f: f64| {
            if f != 1.0 {
                x.iter_mut().for_each(|v| *v *= f);
            }
            x
        };
        Ok(Recording { dt, voltage: scale(voltage, fv), current: scale(current, fi), current_dimension: dim })
    }

    /// A recording from CSV text with a header row: the columns `voltage_column` and
    /// `current_column` in the given units, one row every `dt` ms.
    pub fn from_csv_reader<R: std::io::Read>(
        reader: R,
        voltage_column: (&str, &str),
        current_column: (&str, &str),
        dt: f64,
    ) -> Result<Self, DataError> {
        let file_err = |e: csv::Error| DataError::File { path: "CSV input".into(), reason: e.to_string() };
        let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
        let header = rdr.headers().map_err(file_err)?.clone();
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| DataError::MissingColumn { column: name.into(), available: header.iter().collect::<Vec<_>>().join(", ") })
        };
        let (iv, ii) = (find(voltage_column.0)?, find(current_column.0)?);
        let (mut v, mut i) = (Vec::new(), Vec::new());
        for (row, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(file_err)?;
            for (col, name, out) in [(iv, voltage_column.0, &mut v), (ii, current_column.0, &mut i)] {
                let text = rec.get(col).unwrap_or("");
                let x = text.parse::<f64>().map_err(|_| DataError::Parse { row: row + 1, column: name.into(), text: text.into() })?;
                out.push(x);
            }
        }
        Recording::new(dt, v, voltage_column.1, i, current_column.1)
    }

    /// A recording from a CSV file with a header row; columns given as (name, unit).
    ///
    /// ```no_run
    /// use spyks_core::estimate::Recording;
    /// let rec = Recording::from_csv("cell3.csv", ("Vm", "mV"), ("Iinj", "nA"), 0.02)?;
    /// # Ok::<(), spyks_core::estimate::DataError>(())
    /// ```
    pub fn from_csv(
        path: impl AsRef<Path>,
        voltage_column: (&str, &str),
        current_column: (&str, &str),
        dt: f64,
    ) -> Result<Self, DataError> {
        let p = path.as_ref();
        let f = std::fs::File::open(p).map_err(|e| DataError::File { path: p.display().to_string(), reason: e.to_string() })?;
        Recording::from_csv_reader(f, voltage_column, current_column, dt).map_err(|e| match e {
            DataError::File { reason, .. } => DataError::File { path: p.display().to_string(), reason },
            e => e,
        })
    }

    /// A recording from two one-dimensional `.npy` arrays of floats (f64 or f32), each given
    /// as (path, unit).
    pub fn from_npy(voltage: (impl AsRef<Path>, &str), current: (impl AsRef<Path>, &str), dt: f64) -> Result<Self, DataError> {
        let v = read_npy(voltage.0.as_ref())?;
        let i = read_npy(current.0.as_ref())?;
        Recording::new(dt, v, voltage.1, i, current.1)
    }

    /// The first `duration` ms of the recording (the samples at t ≤ `duration`): to fit a
    /// part and keep the rest for checking the prediction. (Growing windows do not stop a
    /// spiking model from locking onto a wrong spike train; synchronisation does, see
    /// [`LevenbergMarquardt::fit_synchronised`](super::LevenbergMarquardt::fit_synchronised).)
    pub fn head(&self, duration: f64) -> Result<Recording, DataError> {
        if duration.is_nan() || duration <= 0.0 {
            return Err(DataError::InvalidDuration(duration));
        }
        // A duration past the end (up to +∞, whose count saturates) keeps every sample.
        let n = ((duration / self.dt + 1e-9).floor() as usize).saturating_add(1).min(self.len());
        Ok(Recording { voltage: self.voltage[..n].to_vec(), current: self.current[..n].to_vec(), ..*self })
    }

    /// Sampling interval (ms).
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.voltage.len()
    }

    /// Always false: a recording has at least one sample.
    pub fn is_empty(&self) -> bool {
        self.voltage.is_empty()
    }

    /// Time of the last sample (ms).
    pub fn duration(&self) -> f64 {
        (self.len() - 1) as f64 * self.dt
    }

    /// The voltage (mV).
    pub fn voltage(&self) -> &[f64] {
        &self.voltage
    }

    /// The current (pA, or pA/µm² for a density).
    pub fn current(&self) -> &[f64] {
        &self.current
    }

    /// Whether the current is a current or a current density.
    pub fn current_dimension(&self) -> Dimension {
        self.current_dimension
    }

    /// The sample times (ms).
    pub fn times(&self) -> Vec<f64> {
        (0..self.len()).map(|k| k as f64 * self.dt).collect()
    }

    /// The current as a stimulus signal read with `interp` between samples (linear for a
    /// smoothly varying current; nearest for a digitised step protocol, as spyks reads it).
    pub fn current_signal(&self, interp: Interp) -> Signal {
        Signal::sampled(self.dt, self.current.clone(), interp)
    }

    /// Why the recording's current cannot drive input number `i` of `M` (a density for a
    /// model driven in pA, or the reverse): "is in pA, which …", or `None` when it can.
    pub(crate) fn cannot_drive<M: NeuronModel>(&self, i: usize) -> Option<String> {
        let info = &M::Inputs::INFO[i];
        info.dimension
            .is_some_and(|d| d != self.current_dimension.exponents())
            .then(|| format!("is in {}, which the recording's current ({:?}) cannot drive", info.unit, self.current_dimension))
    }

    /// Why the recording's voltage cannot be compared with state variable number `v` of `M`
    /// (a gate, a current): "the recording's voltage (mV) cannot be compared with `w`, in
    /// pA", or `None` when it is a voltage.
    pub(crate) fn cannot_compare<M: NeuronModel>(v: usize) -> Option<String> {
        let info = &M::State::INFO[v];
        info.dimension
            .is_some_and(|d| d != Dimension::Voltage.exponents())
            .then(|| format!("the recording's voltage (mV) cannot be compared with `{}`, in {}", info.name, info.unit))
    }
}

/// Reads a one-dimensional `.npy` array of f64 or f32.
fn read_npy(path: &Path) -> Result<Vec<f64>, DataError> {
    let err = |reason: String| DataError::File { path: path.display().to_string(), reason };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let npy = npyz::NpyFile::new(&bytes[..]).map_err(|e| err(e.to_string()))?;
    if npy.shape().len() != 1 {
        return Err(err(format!("expected a one-dimensional array, found shape {:?}", npy.shape())));
    }
    match npy.dtype() {
        npyz::DType::Plain(t) if t.type_char() == npyz::TypeChar::Float && t.size_field() == 8 => {
            npy.into_vec::<f64>().map_err(|e| err(e.to_string()))
        }
        npyz::DType::Plain(t) if t.type_char() == npyz::TypeChar::Float && t.size_field() == 4 => {
            Ok(npy.into_vec::<f32>().map_err(|e| err(e.to_string()))?.into_iter().map(f64::from).collect())
        }
        d => Err(err(format!("expected an array of f64 or f32, found dtype {}", d.descr()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(v: Vec<f64>, i: Vec<f64>) -> Result<Recording, DataError> {
        Recording::new(0.1, v, "mV", i, "pA")
    }

    #[test]
    fn units_are_converted_to_internal() {
        let r = Recording::new(0.5, vec![-0.07, 0.02], "V", vec![0.1, 2.0], "nA").unwrap();
        assert_eq!(r.voltage(), &[-70.0, 20.0]);
        assert_eq!(r.current(), &[100.0, 2000.0]);
        assert_eq!(r.current_dimension(), Dimension::Current);
        assert_eq!(r.times(), vec![0.0, 0.5]);
        assert_eq!(r.duration(), 0.5);
        let d = Recording::new(0.5, vec![-65.0], "mV", vec![10.0], "uA/cm^2").unwrap();
        // 10 µA/cm² = 0.1 pA/µm² (the Hodgkin-Huxley preset's UA_PER_CM2 is 0.01).
        assert!((d.current()[0] - 0.1).abs() < 1e-15);
        assert_eq!(d.current_dimension(), Dimension::CurrentDensity);
        match d.current_signal(Interp::Linear) {
            Signal::Sampled { dt, values, interp } => assert_eq!((dt, values.len(), interp), (0.5, 1, Interp::Linear)),
            s => panic!("{s:?}"),
        }
    }

    #[test]
    fn each_error_variant() {
        assert_eq!(rec(vec![], vec![]), Err(DataError::Empty { what: "voltage" }));
        assert_eq!(rec(vec![1.0], vec![]), Err(DataError::Empty { what: "current" }));
        assert_eq!(rec(vec![1.0, 2.0], vec![0.0]), Err(DataError::LengthMismatch { voltage: 2, current: 1 }));
        let e = rec(vec![1.0, f64::NAN, 3.0], vec![0.0; 3]).unwrap_err();
        assert!(matches!(e, DataError::NonFinite { what: "voltage", index: 1, value } if value.is_nan()), "{e}");
        let e = rec(vec![1.0; 3], vec![0.0, 0.0, f64::INFINITY]).unwrap_err();
        assert_eq!(e, DataError::NonFinite { what: "current", index: 2, value: f64::INFINITY });
        assert_eq!(e.to_string(), "the current trace is inf at index 2");
        // Finite in the unit given, infinite in the internal one: refused, not stored as ∞.
        let e = Recording::new(0.1, vec![-0.07, 1e306], "V", vec![0.0; 2], "pA").unwrap_err();
        assert_eq!(e.to_string(), "the voltage trace's sample 1e306 V at index 1 overflows in mV");
        let e = Recording::new(0.1, vec![-65.0], "mV", vec![-1e301], "A").unwrap_err();
        assert_eq!(e.to_string(), "the current trace's sample -1e301 A at index 0 overflows in pA");
        let e = Recording::new(0.1, vec![-65.0], "mV", vec![1e308], "mA/cm^2").unwrap_err();
        assert!(matches!(e, DataError::Overflow { internal: "pA/µm^2", .. }), "{e}");
        for dt in [0.0, -0.1, f64::NAN, f64::INFINITY] {
            let e = Recording::new(dt, vec![1.0], "mV", vec![0.0], "pA").unwrap_err();
            assert!(matches!(e, DataError::InvalidDt(_)), "{e}");
        }
        let e = Recording::new(0.1, vec![1.0], "mv", vec![0.0], "pA").unwrap_err();
        assert!(matches!(&e, DataError::UnknownUnit { what: "voltage", unit, .. } if unit == "mv"), "{e}");
        let e = Recording::new(0.1, vec![1.0], "mV", vec![0.0], "amps").unwrap_err();
        assert!(matches!(&e, DataError::UnknownUnit { what: "current", .. }), "{e}");
        let e = Recording::new(0.1, vec![1.0], "pA", vec![0.0], "pA").unwrap_err();
        assert_eq!(e.to_string(), "`pA` is a unit of current, but the voltage trace needs a unit of voltage");
        let e = Recording::new(0.1, vec![1.0], "mV", vec![0.0], "mV").unwrap_err();
        assert!(matches!(e, DataError::WrongDimension { what: "current", found: "voltage", .. }));
    }

    #[test]
    fn head_keeps_the_samples_up_to_a_time() {
        let r = rec((0..11).map(f64::from).collect(), vec![1.0; 11]).unwrap();
        let h = r.head(0.35).unwrap();
        assert_eq!(h.voltage(), &[0.0, 1.0, 2.0, 3.0]);
        assert_eq!((h.dt(), h.current().len()), (0.1, 4));
        assert_eq!(r.head(0.3).unwrap().len(), 4);
        assert_eq!(r.head(50.0).unwrap(), r);
        // Past any count of samples: the whole recording (the count once overflowed).
        assert_eq!(r.head(1e300).unwrap(), r);
        assert_eq!(r.head(f64::INFINITY).unwrap(), r);
        assert_eq!(r.head(0.0).unwrap_err().to_string(), "the duration 0 ms must be positive");
        assert!(r.head(f64::NAN).is_err());
    }

    #[test]
    fn csv_columns_by_name() {
        let text = "t, Vm, I\n0, -65, 0.1\n0.02, -64.5, 0.2\n";
        let r = Recording::from_csv_reader(text.as_bytes(), ("Vm", "mV"), ("I", "nA"), 0.02).unwrap();
        assert_eq!(r.voltage(), &[-65.0, -64.5]);
        assert_eq!(r.current(), &[100.0, 200.0]);
        let e = Recording::from_csv_reader(text.as_bytes(), ("V", "mV"), ("I", "nA"), 0.02).unwrap_err();
        assert_eq!(e, DataError::MissingColumn { column: "V".into(), available: "t, Vm, I".into() });
        let bad = "Vm,I\n-65,0\n-64,x\n";
        let e = Recording::from_csv_reader(bad.as_bytes(), ("Vm", "mV"), ("I", "pA"), 0.02).unwrap_err();
        assert_eq!(e, DataError::Parse { row: 2, column: "I".into(), text: "x".into() });
        let e = Recording::from_csv("no/such/file.csv", ("Vm", "mV"), ("I", "pA"), 0.02).unwrap_err();
        assert!(matches!(&e, DataError::File { path, .. } if path == "no/such/file.csv"), "{e}");
    }

    #[test]
    fn npy_files_round_trip() {
        let dir = std::env::temp_dir().join(format!("spyks-data-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, x: &[f64]| {
            let p = dir.join(name);
            use npyz::WriterBuilder;
            let mut buf = Vec::new();
            {
                let mut w = npyz::WriteOptions::new().default_dtype().shape(&[x.len() as u64]).writer(&mut buf).begin_nd().unwrap();
                w.extend(x.iter().copied()).unwrap();
                w.finish().unwrap();
            }
            std::fs::write(&p, buf).unwrap();
            p
        };
        let pv = write("v.npy", &[-0.065, -0.064]);
        let pi = write("i.npy", &[1.0, 2.0]);
        let r = Recording::from_npy((&pv, "V"), (&pi, "uA/cm^2"), 0.025).unwrap();
        assert_eq!(r.voltage(), &[-65.0, -64.0]);
        assert_eq!(r.current(), &[0.01, 0.02]);
        let short = write("short.npy", &[1.0]);
        let e = Recording::from_npy((&pv, "V"), (&short, "pA"), 0.025).unwrap_err();
        assert_eq!(e, DataError::LengthMismatch { voltage: 2, current: 1 });
        std::fs::remove_dir_all(&dir).ok();
    }
}
